"""Correct servers that differ from the reference one in ways the spec allows: extra response
properties, detail keys a path must percent-encode, many items. The property checks must
report nothing on them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, Final

from starlette.types import ASGIApp, Scope

from tests.support.faults._apps import app_with, reference_app
from tests.support.faults._asgi import Headers, Item, Reply, rewrite
from tests.support.spec_facts import KEY

EXTRA: Final = "added_in_a_later_version"


def with_extra(value: Any) -> None:
    """Add a property to every object of a response body that the spec shapes: the body, the
    envelope and the page, every item, an error."""
    if isinstance(value, dict):
        for member in value.values():
            with_extra(member)
        value[EXTRA] = {"note": "a property this version of the spec does not know"}
    elif isinstance(value, list):
        for member in value:
            with_extra(member)


def extra_properties(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    document = json.loads(body)
    with_extra(document)
    return status, headers, json.dumps(document).encode()


# Detail keys a path must percent-encode, or that a server must not decode twice, trim,
# fold, normalize or read as form data: the id schema allows any 1 to 255 characters.
ODD_KEYS: Final = (
    "with space",
    " leading space",
    "trailing space ",
    "question?mark",
    "hash#tag",
    "percent%20encoded",
    "%41",
    "100%",
    "%",
    "plus+sign",
    "amp&ersand=equals",
    "semi;colon,comma",
    "quote'single\"double`back",
    "back\\slash",
    "tab\there",
    "new\nline",
    "<angle>[bracket]{brace}|pipe^caret",
    "~!@$*()'",
    "Case",
    "case",
    "ÜBER Straße",
    "ΣΊΣΥΦΟΣ",
    "日本語の名前",
    "emoji 🎉👩‍👩‍👧",
    "rtl \u05e9\u05dc\u05d5\u05dd \u202eevil",
    "e\u0301 combining",
    "\u00e9 precomposed",
    "a" * 255,
)
# A key with `/`: a router that decodes the path first sees one more segment.
SLASH_KEYS: Final = ("slash/inside", "/leading", "trailing/", "%2F")
# Keys that are path dot-segments once decoded, which a client or a proxy may resolve.
DOT_KEYS: Final = (".", "..")


def items_with_keys(keys: Iterable[str]) -> list[Item]:
    return [
        {KEY: key, "name": f"Group {i}", "text_id": f"group_{i}", "state": i % 3}
        for i, key in enumerate(keys)
    ]


# Values that are near misses of each other, all stored: a check must expect what the data
# legitimately matches, not count it as leniency.
NEAR_MISS_VALUES: Final = (
    "Tasks", "tasks", "Task", "asks", "Tasks ", " Tasks", "%54asks", "\uff34asks",
    "Caf\u00e9", "Cafe\u0301", "Cafe", "Caf\u00e9 Club", "Caf\u00e9  Club", "Caf\u00e9\u00a0Club",
)  # fmt: skip


def items_with_near_misses() -> list[Item]:
    """Keys, names and text ids that are near misses of one another."""
    values = NEAR_MISS_VALUES
    return [
        {KEY: key, "name": name, "text_id": text_id, "state": i % 3}
        for i, (key, name, text_id) in enumerate(
            zip(values, [*values[3:], *values[:3]], [*values[7:], *values[:7]], strict=True)
        )
    ]


def errors_worded_otherwise(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """What the Error body leaves open: the HTTP status phrase as title, another detail,
    invalid_params in another order, a `type` member, a charset on the media type."""
    if status < 400:
        return status, headers, body
    document = json.loads(body)
    document["title"] = HTTPStatus(status).phrase
    document["detail"] = "See the documentation of this API."
    document["type"] = "about:blank"
    if "invalid_params" in document:
        document["invalid_params"].reverse()
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return (
        status,
        [*kept, (b"content-type", b"application/json; charset=utf-8")],
        json.dumps(document).encode(),
    )


def other_challenge(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """A challenge the spec allows too: charset first, the scheme and names in another case,
    another realm, spaces around `=`."""
    if status != 401:
        return status, headers, body
    kept = [(k, v) for k, v in headers if k.lower() != b"www-authenticate"]
    value = b'basic CHARSET = "utf-8" , Realm="staging \\\\ \\"eu\\""'
    return status, [*kept, (b"www-authenticate", value)], body


def reference_with_odd_keys() -> ASGIApp:
    return app_with(items_with_keys(ODD_KEYS))


VARIANTS: dict[str, Callable[[], ASGIApp]] = {
    "extra properties in every body": lambda: rewrite(extra_properties)(reference_app()),
    "keys a path must percent-encode": reference_with_odd_keys,
    "2,500 items": lambda: reference_app(2500),
    "keys that are dot-segments": lambda: app_with(items_with_keys(DOT_KEYS)),
    "keys, names and text ids that are near misses of each other": lambda: app_with(
        items_with_near_misses()
    ),
    "errors worded otherwise, in another order, with a type": lambda: rewrite(
        errors_worded_otherwise
    )(reference_app()),
    "another challenge the spec allows": lambda: rewrite(other_challenge)(reference_app()),
}
# Correct too, but served wrongly by the reference server or read wrongly by a client.
TROUBLESOME_VARIANTS: dict[str, Callable[[], ASGIApp]] = {
    "keys with a slash": lambda: app_with(items_with_keys(SLASH_KEYS)),
}

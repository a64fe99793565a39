"""More variants of the reference server for the property checks: faults in authentication,
parameter bounds and allowed values, hostile strings, error bodies and page sizes, each one
that the property checks alone must report; correct servers that differ from the reference
one in ways the spec allows (extra response properties, ids a path must percent-encode, many
items), on which they must report nothing; and a server with no items at all.

Each fault is a small ASGI wrapper around a correct server, composable like FAULTS in
tests/support/faulty_servers.py."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.spec_rules import load_rules
from reference_server.store import Store
from tests.support.faulty_servers import (
    PASSWORD,
    USER,
    Fault,
    Headers,
    Reply,
    reference_app,
    rewrite,
    valid_auth,
)

Query = list[tuple[str, str]]

LIST_PATH: Final = "/event-groups"
FILTERS: Final = ("name", "text_id")
MAXIMUM_COUNT: Final = 1000
CAPPED_PAGE: Final = 50
OTHER_DEFAULT_COUNT: Final = 10
LONG_VALUE: Final = 1000
EXTRA: Final = "added_in_a_later_version"


def is_list(scope: Scope) -> bool:
    return scope["type"] == "http" and str(scope["path"]).endswith(LIST_PATH)


def is_detail(scope: Scope) -> bool:
    return scope["type"] == "http" and f"{LIST_PATH}/" in str(scope["path"])


def query_of(scope: Scope) -> Query:
    return parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)


def error_body(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"status": status, "title": title, "detail": detail}).encode()


async def server_error(send: Send) -> None:
    body = error_body(500, "Internal Server Error", "The server failed to answer this request.")
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def list_query(change: Callable[[Query], Query]) -> Fault:
    """Rewrite the query of list requests only (the detail operation has none)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if is_list(scope):
                query = urlencode(change(query_of(scope))).encode("latin-1")
                scope = {**scope, "query_string": query}
            await app(scope, receive, send)

        return faulty

    return wrap


def with_authorization(change: Callable[[Scope, bytes | None], bytes | None]) -> Fault:
    """Replace the Authorization header by what `change` makes of it (None: no header, or
    several); a header `change` gives back unchanged stays as it came."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                headers: Headers = list(scope["headers"])
                given = [v for k, v in headers if k.lower() == b"authorization"]
                value = given[0] if len(given) == 1 else None
                changed = change(scope, value)
                if changed is not value:
                    kept = [(k, v) for k, v in headers if k.lower() != b"authorization"]
                    added = [] if changed is None else [(b"authorization", changed)]
                    scope = {**scope, "headers": [*kept, *added]}
            await app(scope, receive, send)

        return faulty

    return wrap


def fail_when(broken: Callable[[Scope], bool]) -> Fault:
    """A 500 (with the Error body) for the requests `broken` picks."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and broken(scope):
                await server_error(send)
                return
            await app(scope, receive, send)

        return faulty

    return wrap


# --- faults ---------------------------------------------------------------------------------


def any_user_with_the_password(scope: Scope, value: bytes | None) -> bytes | None:
    """Checks the password only: any user name with the right password gets in."""
    try:
        scheme, token = (value or b"").split(maxsplit=1)
        _, password = base64.b64decode(token, validate=True).decode().split(":", 1)
    except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
        return value
    return valid_auth() if scheme.lower() == b"basic" and password == PASSWORD else value


def detail_unprotected(scope: Scope, value: bytes | None) -> bytes | None:
    """The detail operation answers whatever credentials come, none included."""
    return valid_auth() if is_detail(scope) else value


def count_above_maximum_as_maximum(query: Query) -> Query:
    over = str(MAXIMUM_COUNT + 1)
    return [(k, str(MAXIMUM_COUNT) if (k, v) == ("count", over) else v) for k, v in query]


def maximum_count_rejected(query: Query) -> Query:
    """Off by one at the upper bound: count=1000 is read as too large (the server's own 400)."""
    top = str(MAXIMUM_COUNT)
    return [(k, str(MAXIMUM_COUNT + 1) if (k, v) == ("count", top) else v) for k, v in query]


def lower_case_direction_accepted(query: Query) -> Query:
    return [(k, "DESC" if (k, v) == ("sort_direction", "desc") else v) for k, v in query]


def nul_in_a_filter(scope: Scope) -> bool:
    return is_list(scope) and any("\x00" in v for k, v in query_of(scope) if k in FILTERS)


def long_filter_value(scope: Scope) -> bool:
    return is_list(scope) and any(len(v) > LONG_VALUE for k, v in query_of(scope) if k in FILTERS)


def plain_text_400(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    if status != 400:
        return status, headers, body
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return status, [*kept, (b"content-type", b"text/plain; charset=utf-8")], b"Bad Request"


def page_capped(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """At most CAPPED_PAGE items on a page, whatever count asks; the total stays right."""
    if not is_list(scope) or status != 200:
        return status, headers, body
    document = json.loads(body)
    document["data"]["event_groups"] = document["data"]["event_groups"][:CAPPED_PAGE]
    return status, headers, json.dumps(document).encode()


def other_default_count(query: Query) -> Query:
    return query if "count" in dict(query) else [*query, ("count", str(OTHER_DEFAULT_COUNT))]


def space_in_key_not_found(app: ASGIApp) -> ASGIApp:
    """A key holding a space finds nothing (404 after authentication, as if the server split
    or trimmed the key)."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        if is_detail(scope) and " " in str(scope["path"]).rsplit("/", 1)[1]:
            path = str(scope["path"]).rsplit("/", 1)[0] + "/no-such-group"
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await app(scope, receive, send)

    return faulty


def reference_with_odd_keys() -> ASGIApp:
    return app_with(odd_key_items())


POLICY_FAULTS: dict[str, Fault] = {
    "any user accepted with the right password": with_authorization(any_user_with_the_password),
    "detail answers without credentials": with_authorization(detail_unprotected),
    "count above its maximum answered as the maximum": list_query(count_above_maximum_as_maximum),
    "maximum count rejected with 400": list_query(maximum_count_rejected),
    "lower-case desc accepted as DESC": list_query(lower_case_direction_accepted),
    "500 for NUL in a filter value": fail_when(nul_in_a_filter),
    "500 for a filter value over 1000 characters": fail_when(long_filter_value),
    "400 with a plain-text body": rewrite(plain_text_400),
    "pages capped at 50 items": rewrite(page_capped),
    "default page size 10, not 100": list_query(other_default_count),
    "404 for a key with a space": space_in_key_not_found,
}

# The server each fault wraps: the reference one with 60 synthetic items, unless a fault shows
# only on other data.
FAULTED_APPS: dict[str, Callable[[], ASGIApp]] = {
    "404 for a key with a space": reference_with_odd_keys,
}

# Substrings that one finding (as str(finding): check, message and the reproducing command)
# must all hold.
EXPECTED_FINDINGS: dict[str, tuple[str, ...]] = {
    "any user accepted with the right password": (
        "[auth EventGroup] wrong user, right password: ",
        "got 200",
    ),
    "detail answers without credentials": (
        f"[auth EventGroup] no credentials: {LIST_PATH}/",
        "got 200",
    ),
    "count above its maximum answered as the maximum": (
        "[parameters EventGroup] count=1001 gave 200, not 400",
    ),
    "maximum count rejected with 400": ("[parameters EventGroup] count=1000 gave 400, not 200",),
    "lower-case desc accepted as DESC": (
        "[parameters EventGroup] sort_direction=desc gave 200, not 400",
    ),
    "500 for NUL in a filter value": ("[hostile-strings EventGroup] name=", "\\x00", "gave 500"),
    "500 for a filter value over 1000 characters": (
        "[hostile-strings EventGroup] name=",
        "gave 500",
    ),
    "400 with a plain-text body": ("[parameters EventGroup] ", "400 without the "),
    "pages capped at 50 items": ("[paging EventGroup] ",),
    "default page size 10, not 100": ("[paging EventGroup] ",),
    "404 for a key with a space": ("[detail EventGroup] status 404", "with%20space"),
}


# --- correct variants -----------------------------------------------------------------------


def app_with(items: Iterable[Mapping[str, Any]]) -> ASGIApp:
    """The reference server serving exactly `items`, in their order."""
    rules = load_rules()
    (resource,) = rules.resources
    store = Store.open(rules.resources)
    store.add_all(resource.name, items)
    return create_app(credentials=Credentials(USER, PASSWORD), store=store)


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


def items_with_keys(keys: Iterable[str]) -> list[dict[str, Any]]:
    return [
        {"event_group_id": key, "name": f"Group {i}", "text_id": f"group_{i}", "state": i % 3}
        for i, key in enumerate(keys)
    ]


def odd_key_items() -> list[dict[str, Any]]:
    return items_with_keys(ODD_KEYS)


VARIANTS: dict[str, Callable[[], ASGIApp]] = {
    "extra properties in every body": lambda: rewrite(extra_properties)(reference_app()),
    "keys a path must percent-encode": reference_with_odd_keys,
    "2,500 items": lambda: reference_app(2500),
    "keys that are dot-segments": lambda: app_with(items_with_keys(DOT_KEYS)),
}
# Correct too, but served wrongly by the reference server or read wrongly by a client.
TROUBLESOME_VARIANTS: dict[str, Callable[[], ASGIApp]] = {
    "keys with a slash": lambda: app_with(items_with_keys(SLASH_KEYS)),
}


def empty_app() -> ASGIApp:
    return reference_app(0)

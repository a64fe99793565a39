"""Faults in authentication, parameter bounds and allowed values, hostile strings, error
bodies and page sizes, each one that the property checks alone must report (see
tests/conformance/test_harness_variants.py), with what the report must say."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.faults._apps import PASSWORD, valid_auth
from tests.support.faults._asgi import (
    Fault,
    Headers,
    Query,
    Reply,
    detail_key,
    fail_when,
    is_detail,
    is_list,
    query_of,
    results,
    rewrite,
    rewrite_authorization,
    rewrite_query,
    to_unknown_key,
)
from tests.support.spec_facts import (
    COUNT,
    DESCENDING,
    ENVELOPE,
    FILTERS,
    MAXIMUM_COUNT,
    RESULTS,
    SORT_DIRECTION,
)

CAPPED_PAGE: Final = 50
OTHER_DEFAULT_COUNT: Final = 10
LONG_VALUE: Final = 1000  # characters of a filter value that the server fails on


def credentials_accepted(same: Callable[[str, str], bool]) -> Fault:
    """Let in every request whose Basic user and password `same` takes for the right ones."""

    def change(scope: Scope, value: bytes | None) -> bytes | None:
        try:
            scheme, token = (value or b"").split(maxsplit=1)
            user, password = base64.b64decode(token, validate=True).decode().split(":", 1)
        except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
            return value
        return valid_auth() if scheme.lower() == b"basic" and same(user, password) else value

    return rewrite_authorization(change)


def detail_unprotected(scope: Scope, value: bytes | None) -> bytes | None:
    """The detail operation answers whatever credentials come, none included."""
    return valid_auth() if is_detail(scope) else value


def count_above_maximum_as_maximum(query: Query) -> Query:
    over = str(MAXIMUM_COUNT + 1)
    return [(k, str(MAXIMUM_COUNT) if (k, v) == (COUNT, over) else v) for k, v in query]


def maximum_count_rejected(query: Query) -> Query:
    """Off by one at the upper bound: count=1000 is read as too large (the server's own 400)."""
    top = str(MAXIMUM_COUNT)
    return [(k, str(MAXIMUM_COUNT + 1) if (k, v) == (COUNT, top) else v) for k, v in query]


def lower_case_direction_accepted(query: Query) -> Query:
    lower = DESCENDING.lower()
    return [(k, DESCENDING if (k, v) == (SORT_DIRECTION, lower) else v) for k, v in query]


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
    document[ENVELOPE][RESULTS] = results(document)[:CAPPED_PAGE]
    return status, headers, json.dumps(document).encode()


def other_default_count(query: Query) -> Query:
    return query if COUNT in dict(query) else [*query, (COUNT, str(OTHER_DEFAULT_COUNT))]


def space_in_key_not_found(app: ASGIApp) -> ASGIApp:
    """A key holding a space finds nothing (404 after authentication, as if the server split
    or trimmed the key)."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        if is_detail(scope) and " " in detail_key(scope):
            scope = to_unknown_key(scope)
        await app(scope, receive, send)

    return faulty


def list_query(change: Callable[[Query], Query]) -> Fault:
    """Rewrite the query of list requests only (the detail operation has none)."""
    return rewrite_query(change, where=is_list)


POLICY_FAULTS: dict[str, Fault] = {
    "any user accepted with the right password": credentials_accepted(
        lambda user, password: password == PASSWORD
    ),
    "detail answers without credentials": rewrite_authorization(detail_unprotected),
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

"""Nine plain faults any conformance run must catch: bodies that break the schema, statuses
the spec does not give, a parameter or a credential ignored. Schemathesis reports some, the
property checks the others (see EXPECTED_REPORTS in tests/conformance/test_conformance.py)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from starlette.types import Scope

from tests.support.faults._apps import valid_auth
from tests.support.faults._asgi import (
    Fault,
    Item,
    fail_when,
    query_of,
    rewrite_authorization,
    rewrite_query,
    rewrite_response,
    without,
)
from tests.support.spec_facts import (
    CONTAINS_FILTER,
    COUNT,
    ENVELOPE,
    MAXIMUM_COUNT,
    RESULTS,
    SORT_DIRECTION,
    TOTAL,
)


def each_group(change: Callable[[Item], None]) -> Callable[[int, Any], tuple[int, Any]]:
    """Apply `change` to every item of a body: those of a page, or the one of a detail."""

    def apply(status: int, body: Any) -> tuple[int, Any]:
        data = body.get(ENVELOPE) if isinstance(body, dict) else None
        groups = data.get(RESULTS, [data]) if isinstance(data, dict) else []
        for group in groups:
            change(group)
        return status, body

    return apply


def wrong_total(status: int, body: Any) -> tuple[int, Any]:
    if status == 200 and RESULTS in body.get(ENVELOPE, {}):
        body[ENVELOPE][TOTAL] = len(body[ENVELOPE][RESULTS])
    return status, body


def gone_instead_of_not_found(status: int, body: Any) -> tuple[int, Any]:
    return (410, body) if status == 404 else (status, body)


def at_maximum_count(scope: Scope) -> bool:
    return dict(query_of(scope)).get(COUNT) == str(MAXIMUM_COUNT)


def accept_malformed_basic(scope: Scope, value: bytes | None) -> bytes | None:
    """A Basic header whose token is no base64 of `user:password` lets the request in."""
    given = value or b""
    try:
        base64.b64decode(given.removeprefix(b"Basic "), validate=True).decode().index(":")
    except (ValueError, UnicodeDecodeError):
        if given.startswith(b"Basic"):
            return valid_auth()
    return value


FAULTS: dict[str, Fault] = {
    "state is a string": rewrite_response(each_group(lambda g: g.update(state=str(g["state"])))),
    "text_id is missing": rewrite_response(each_group(lambda g: g.pop("text_id", None))),
    "auth is ignored": rewrite_authorization(lambda scope, value: valid_auth()),
    "500 at the maximum count": fail_when(at_maximum_count),
    "410 for an unknown id": rewrite_response(gone_instead_of_not_found),
    "sort direction is ignored": rewrite_query(lambda query: without(query, SORT_DIRECTION)),
    "total_items counts the page": rewrite_response(wrong_total),
    "name filter is ignored": rewrite_query(lambda query: without(query, CONTAINS_FILTER)),
    "malformed Basic header accepted": rewrite_authorization(accept_malformed_basic),
}

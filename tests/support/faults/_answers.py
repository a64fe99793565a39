"""Faults against the answers the spec gives to an implementer's questions (issue: the
contract answers every question): how values are read, the detail operation's query policy,
the order of errors, the report of several invalid parameters, the Error body's RFC 9457
parts, the WWW-Authenticate challenge, the collation of an integer sort field, canonical
equivalence in the name filter and unique text ids. Each breaks one declared answer; the
variants of _variants.py take the choices the spec leaves open."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from contract.spec.declarations import ListResource
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.spec_rules import load_rules
from reference_server.store import Store
from tests.support.faults._apps import PASSWORD, USER, valid_auth
from tests.support.faults._asgi import (
    Fault,
    Headers,
    Item,
    Query,
    Reply,
    ask,
    is_detail,
    is_list,
    query_of,
    respond,
    response_of,
    rewrite,
    rewrite_query,
)
from tests.support.spec_facts import (
    ASCENDING,
    COUNT,
    DEFAULT_COUNT,
    DESCENDING,
    ENVELOPE,
    KEY,
    LIST_OPERATION,
    MAXIMUM_COUNT,
    OFFSET,
    RESULTS,
    SORT_DIRECTION,
    SORT_FIELD,
)

DIRECTIONS: Final = (ASCENDING, DESCENDING)
LEADING_ZERO: Final = re.compile(r"-?0[0-9]+|-0")
# The sort field whose values compare by value (x-sorting.collation: numeric).
INTEGER_SORT_FIELD: Final = next(
    value
    for value, collation in LIST_OPERATION["x-sorting"]["collation"].items()
    if collation == "numeric"
)


# --- how values are read ----------------------------------------------------------------


def direction_without_field_unchecked(query: Query) -> Query:
    """A direction is only checked with a sort field: alone, a value it does not allow passes
    as if not sent."""
    if SORT_FIELD in dict(query):
        return query
    return [(k, v) for k, v in query if k != SORT_DIRECTION or v in DIRECTIONS]


def empty_as_absent(query: Query) -> Query:
    return [(k, v) for k, v in query if v != ""]


def leading_zeros_refused(query: Query) -> Query:
    """A stricter integer syntax than declared: `007` and `-0` are refused."""
    return [(k, "not-an-integer" if LEADING_ZERO.fullmatch(v) else v) for k, v in query]


def detail_refuses_queries(app: ASGIApp) -> ASGIApp:
    """Any query parameter on the detail operation gets 400 (declared: ignored)."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        if is_detail(scope) and scope["query_string"]:
            name = query_of(scope)[0][0]
            await respond(send, 400, bad_request([(name, "is not a parameter of this operation")]))
            return
        await app(scope, receive, send)

    return faulty


def bad_request(rejections: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "status": 400,
        "title": "Invalid parameter",
        "detail": "; ".join(f"{name}: {reason}" for name, reason in rejections),
        "invalid_params": [{"name": name, "reason": reason} for name, reason in rejections],
    }


# --- the order and report of errors ------------------------------------------------------


def authorized(scope: Scope) -> Scope:
    kept = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
    return {**scope, "headers": [*kept, (b"authorization", valid_auth())]}


def checked_before_credentials(status: int) -> Fault:
    """Without the right credentials, the request is judged as if it had them first: an
    answer of `status` goes out before the 401."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                start, body = await response_of(app, scope, receive)
                if start["status"] == 401:
                    inner, inner_body = await response_of(app, authorized(scope), receive)
                    if inner["status"] == status:
                        start, body = inner, inner_body
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)

        return faulty

    return wrap


def first_invalid_only(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    if status != 400:
        return status, headers, body
    document = json.loads(body)
    document["invalid_params"] = document.get("invalid_params", [])[:1]
    return status, headers, json.dumps(document).encode()


# --- the Error body and the challenge -----------------------------------------------------


def status_member_400(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """Every error body says 400, whatever the status."""
    if status < 400:
        return status, headers, body
    document = json.loads(body)
    document["status"] = 400
    return status, headers, json.dumps(document).encode()


def problem_json(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    if status < 400:
        return status, headers, body
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    return status, [*kept, (b"content-type", b"application/problem+json")], body


def challenge(value: bytes) -> Callable[[Scope, int, Headers, bytes], Reply]:
    def change(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
        if status != 401:
            return status, headers, body
        kept = [(k, v) for k, v in headers if k.lower() != b"www-authenticate"]
        return status, [*kept, (b"www-authenticate", value)], body

    return change


# --- order, normalisation, uniqueness -------------------------------------------------------


def integers_sorted_as_text(app: ASGIApp) -> ASGIApp:
    """Sorting by the integer field compares its values as text (10 before 2)."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        query = dict(query_of(scope)) if is_list(scope) else {}
        if query.get(SORT_FIELD) != INTEGER_SORT_FIELD:
            await app(scope, receive, send)
            return
        whole = {k: v for k, v in query.items() if k not in (OFFSET, COUNT)}
        status, body = await ask(app, scope, [*whole.items(), (COUNT, str(MAXIMUM_COUNT))])
        if status != 200:
            status, body = await ask(app, scope, list(query.items()))
            await respond(send, status, body)
            return
        descending = query.get(SORT_DIRECTION) == DESCENDING
        items: list[Item] = body[ENVELOPE][RESULTS]
        items.sort(key=lambda item: (str(item[INTEGER_SORT_FIELD]), item[KEY]), reverse=descending)
        start = int(query.get(OFFSET, "0"))
        size = int(query.get(COUNT, str(DEFAULT_COUNT)))
        body[ENVELOPE][RESULTS] = items[start : start + size]
        await respond(send, 200, body)

    return faulty


def items_with_large_states() -> list[Item]:
    """States from 0 to 12: as text, 10, 11 and 12 sort before 2."""
    return [
        {
            KEY: f"{index:026x}",
            "name": f"Group {index}",
            "text_id": f"group_{index}",
            "state": index % 13,
        }
        for index in range(30)
    ]


def with_declarations(change: Callable[[ListResource], ListResource], items: list[Item]) -> ASGIApp:
    """The reference server serving `items` under declarations `change` makes of the
    spec's, while the harness reads the spec's own: a server that implements another rule."""
    rules = load_rules()
    changed = dataclasses.replace(rules, resources=tuple(map(change, rules.resources)))
    store = Store.open(changed.resources)
    for resource in changed.resources:
        store.add_all(resource.name, items)
    return create_app(credentials=Credentials(USER, PASSWORD), store=store, rules=changed)


def without_normalisation(resource: ListResource) -> ListResource:
    filters = tuple(dataclasses.replace(f, normalization="none") for f in resource.filters)
    return dataclasses.replace(resource, filters=filters)


def without_uniqueness(resource: ListResource) -> ListResource:
    return dataclasses.replace(resource, unique=(resource.detail.key,))


def items_sharing_a_text_id() -> list[Item]:
    return [
        {
            KEY: f"{index:026x}",
            "name": f"Group {index}",
            "text_id": f"group_{index // 2}",
            "state": 1,
        }
        for index in range(12)
    ]


# Names canonically equivalent to others, precomposed and decomposed.
NORMALISATION_ITEMS: Final = [
    {KEY: f"{index:026x}", "name": name, "text_id": f"group_{index}", "state": 1}
    for index, name in enumerate(
        ["Caf\u00e9 Club", "Cafe\u0301 Corner", "\u00c9lan", "E\u0301lan vital", "Cafe", "Elan"]
    )
]


ANSWER_FAULTS: dict[str, Fault] = {
    "invalid direction passes without a sort field": rewrite_query(
        direction_without_field_unchecked, where=is_list
    ),
    "empty values taken as absent": rewrite_query(empty_as_absent),
    "integers with leading zeros refused": rewrite_query(leading_zeros_refused),
    "detail refuses undefined query parameters": detail_refuses_queries,
    "parameters checked before credentials": checked_before_credentials(400),
    "unknown ids looked up before credentials": checked_before_credentials(404),
    "only the first invalid parameter reported": rewrite(first_invalid_only),
    "every error body says status 400": rewrite(status_member_400),
    "errors served as application/problem+json": rewrite(problem_json),
    "challenge without a realm": rewrite(challenge(b"Basic")),
    "challenge names another scheme": rewrite(challenge(b'Bearer realm="customer-interface"')),
    "integer sort field ordered as text": integers_sorted_as_text,
    "name filter without canonical equivalence": lambda app: app,
    "text ids shared by two groups": lambda app: app,
}
# Servers built with declarations of their own (the faults above wrap them unchanged).
SERVES: Final[dict[str, Callable[[], ASGIApp]]] = {
    "name filter without canonical equivalence": lambda: with_declarations(
        without_normalisation, NORMALISATION_ITEMS
    ),
    "text ids shared by two groups": lambda: with_declarations(
        without_uniqueness, items_sharing_a_text_id()
    ),
}

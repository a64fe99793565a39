"""Faults in the behaviour the spec declares: how filters combine, whether `%` and `_` are
wildcards, what sorting covers, what a direction without a sort field does, the query policy
and detail lookups. Each is an ASGI wrapper around the correct server that asks that server
itself for the data it needs and answers from it the way a faulty implementation would."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.support.faulty_servers import Fault, rewrite_query

Query = list[tuple[str, str]]
Item = dict[str, Any]
Reader = Callable[[Query], Awaitable[list[Item]]]
# All matches of a list request in the order a faulty server gives them; None: no fault here.
Rule = Callable[[Reader, Query], Awaitable[list[Item] | None]]

LIST_PATH = "/event-groups"
KEY = "event_group_id"
PAGING = ("count", "offset")
DEFINED = {*PAGING, "sort_field", "sort_direction", "name", "text_id"}
ALL = "1000"  # the declared maximum page size, more than any test serves


def query_of(scope: Scope) -> Query:
    return parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)


def without(query: Query, *names: str) -> Query:
    return [(k, v) for k, v in query if k not in names]


async def ask(app: ASGIApp, scope: Scope, path: str, query: Query) -> tuple[int, Any]:
    """The correct server's status and JSON body for the same request at `path`, `query`."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    prefix = scope["path"][: scope["path"].index(LIST_PATH)]
    inner = {**scope, "path": prefix + path, "raw_path": (prefix + path).encode()}
    inner["query_string"] = urlencode(query).encode()
    await app(inner, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body)


async def reply(send: Send, body: Any) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def is_list(scope: Scope) -> bool:
    return scope["type"] == "http" and str(scope["path"]).endswith(LIST_PATH)


def list_fault(rule: Rule) -> Fault:
    """Answer list requests from the matches `rule` gives, paged as asked."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if not is_list(scope):
                await app(scope, receive, send)
                return
            query = query_of(scope)

            async def read(asked: Query) -> list[Item]:
                plain = [*without(asked, *PAGING), ("count", ALL)]
                _, body = await ask(app, scope, LIST_PATH, plain)
                return list(body["data"]["event_groups"])

            items = await rule(read, query)
            if items is None:
                await app(scope, receive, send)
                return
            given = dict(query)
            start, size = int(given.get("offset", 0)), int(given.get("count", 100))
            page = items[start : start + size]
            await reply(send, {"data": {"event_groups": page, "total_items": len(items)}})

        return faulty

    return wrap


async def filters_or(read: Reader, query: Query) -> list[Item] | None:
    if not {"name", "text_id"} <= dict(query).keys():
        return None
    either = {g[KEY] for part in ("name", "text_id") for g in await read(without(query, part))}
    return [g for g in await read(without(query, "name", "text_id")) if g[KEY] in either]


def like(value: str) -> re.Pattern[str]:
    """SQL LIKE's reading of `value`: `%` any text, `_` any one character."""
    wild = {"%": ".*", "_": "."}
    return re.compile("".join(wild.get(c, re.escape(c)) for c in value.casefold()), re.DOTALL)


async def wildcards(read: Reader, query: Query) -> list[Item] | None:
    name = dict(query).get("name", "")
    if not set(name) & {"%", "_"}:
        return None
    pattern = like(name)
    return [g for g in await read(without(query, "name")) if pattern.search(g["name"].casefold())]


async def direction_reverses_default(read: Reader, query: Query) -> list[Item] | None:
    given = dict(query)
    if "sort_field" in given or given.get("sort_direction") != "DESC":
        return None
    return list(reversed(await read(query)))


def sort_page_only(app: ASGIApp) -> ASGIApp:
    """Fetch the page unsorted, then sort just that page."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(query_of(scope)) if is_list(scope) else {}
        if "sort_field" not in given:
            await app(scope, receive, send)
            return
        unsorted = without(query_of(scope), "sort_field", "sort_direction")
        _, body = await ask(app, scope, LIST_PATH, unsorted)
        field = given["sort_field"]
        body["data"]["event_groups"].sort(
            key=lambda g: (g[field], g[KEY]), reverse=given.get("sort_direction") == "DESC"
        )
        await reply(send, body)

    return faulty


def reject_unknown(pairs: Query) -> Query:
    """An undefined parameter turns into a page size of 0, which the server rejects."""
    return [*pairs, ("count", "0")] if {k for k, _ in pairs} - DEFINED else pairs


def first_of_each(pairs: Query) -> Query:
    kept: dict[str, str] = {}
    for name, value in pairs:
        kept.setdefault(name, value)
    return list(kept.items())


def detail_of_first_listed(listed: int) -> Fault:
    """The detail operation finds only the first `listed` items of the default order."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and f"{LIST_PATH}/" in scope["path"]:
                _, body = await ask(app, scope, LIST_PATH, [("count", str(listed))])
                known = {g[KEY] for g in body["data"]["event_groups"]}
                if scope["path"].rsplit("/", 1)[1] not in known:
                    path = scope["path"].rsplit("/", 1)[0] + "/no-such-group"
                    scope = {**scope, "path": path, "raw_path": path.encode()}
            await app(scope, receive, send)

        return faulty

    return wrap


async def name_lowercased(read: Reader, query: Query) -> list[Item] | None:
    """Case-insensitive by lower() instead of full case folding: "STRASSE" misses "Straße"."""
    name = dict(query).get("name")
    if name is None:
        return None
    return [g for g in await read(without(query, "name")) if name.lower() in g["name"].lower()]


async def name_prefix(read: Reader, query: Query) -> list[Item] | None:
    name = dict(query).get("name")
    if name is None:
        return None
    matches = await read(without(query, "name"))
    return [g for g in matches if g["name"].casefold().startswith(name.casefold())]


async def text_id_ignoring_case(read: Reader, query: Query) -> list[Item] | None:
    text_id = dict(query).get("text_id")
    if text_id is None:
        return None
    matches = await read(without(query, "text_id"))
    return [g for g in matches if g["text_id"].casefold() == text_id.casefold()]


async def ties_ascending_when_descending(read: Reader, query: Query) -> list[Item] | None:
    """DESC orders by the field only; ties keep ascending ids, so DESC is no exact reverse."""
    given = dict(query)
    if "sort_field" not in given or given.get("sort_direction") != "DESC":
        return None
    items = sorted(await read(without(query, "sort_field", "sort_direction")), key=lambda g: g[KEY])
    return sorted(items, key=lambda g: g[given["sort_field"]], reverse=True)


def total_before_filters(app: ASGIApp) -> ASGIApp:
    """The page is filtered, the total counts every item."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        query = query_of(scope) if is_list(scope) else []
        if not set(dict(query)) & {"name", "text_id"}:
            await app(scope, receive, send)
            return
        _, body = await ask(app, scope, LIST_PATH, query)
        _, everything = await ask(app, scope, LIST_PATH, [("count", "1")])
        body["data"]["total_items"] = everything["data"]["total_items"]
        await reply(send, body)

    return faulty


# Faults the property checks alone catch (tests/conformance/test_harness_variants.py), with
# what the report must say.
MORE_LIST_FAULTS: dict[str, Fault] = {
    "name filter lower-cases instead of case folding": list_fault(name_lowercased),
    "name filter matches prefixes only": list_fault(name_prefix),
    "text_id filter ignores case": list_fault(text_id_ignoring_case),
    "DESC keeps ties in ascending order": list_fault(ties_ascending_when_descending),
    "total counts the items before filtering": total_before_filters,
}
MORE_LIST_FINDINGS: dict[str, tuple[str, ...]] = {
    "name filter lower-cases instead of case folding": ("[filters EventGroup] name=",),
    "name filter matches prefixes only": ("[filters EventGroup] name=",),
    "text_id filter ignores case": ("[filters EventGroup] text_id=",),
    "DESC keeps ties in ascending order": ("[sorting EventGroup] ", "sort_direction=DESC"),
    "total counts the items before filtering": ("[filters EventGroup] ", "total"),
}


DECLARED_FAULTS: dict[str, Fault] = {
    "filters combined with OR": list_fault(filters_or),
    "% and _ are wildcards": list_fault(wildcards),
    "sorting only the returned page": sort_page_only,
    "DESC without sort field reverses the default order": list_fault(direction_reverses_default),
    "unknown parameter rejected": rewrite_query(reject_unknown),
    "repeated parameter accepted": rewrite_query(first_of_each),
    "detail 404 beyond the first 50 items": detail_of_first_listed(50),
}

"""Servers whose answers to different queries disagree with each other in ways each answer
alone does not show: the unfiltered listing leaves out items a filter finds, a total counts
items no page shows, a sorted listing drops items, the default order changes between two
requests, a detail differs from its list entry. The relations across queries catch them."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

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
    results,
    rewrite,
    without,
)
from tests.support.faults._declared import Reader, list_fault
from tests.support.spec_facts import (
    COUNT,
    DEFAULT_COUNT,
    ENVELOPE,
    FILTERS,
    MAXIMUM_COUNT,
    OFFSET,
    RESULTS,
    SORT_FIELD,
    TOTAL,
)

HIDDEN_STATE = 2  # the state of the items some faults leave out


def unfiltered(query: Query) -> bool:
    return not set(dict(query)) & set(FILTERS)


async def listing_hides_some(read: Reader, query: Query) -> list[Item] | None:
    """Without a filter, the items of one state are left out (and not counted); a filter
    finds them."""
    if not unfiltered(query):
        return None
    return [g for g in await read(query) if g["state"] != HIDDEN_STATE]


def total_counts_hidden(app: ASGIApp) -> ASGIApp:
    """Without a filter, pages leave out the items of one state, the total counts them."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        query = query_of(scope) if is_list(scope) else []
        status, _ = await ask(app, scope, query) if is_list(scope) else (0, None)
        if status != 200 or not unfiltered(query):
            await app(scope, receive, send)
            return
        everywhere = [*without(query, COUNT, OFFSET), (COUNT, str(MAXIMUM_COUNT))]
        _, body = await ask(app, scope, everywhere)
        shown = [g for g in results(body) if g["state"] != HIDDEN_STATE]
        given = dict(query)
        start, size = int(given.get(OFFSET, 0)), int(given.get(COUNT, DEFAULT_COUNT))
        page = {RESULTS: shown[start : start + size], TOTAL: len(results(body))}
        await respond(send, 200, {ENVELOPE: page})

    return faulty


async def sorting_drops_repeats(read: Reader, query: Query) -> list[Item] | None:
    """Sorted by a field, the items whose value of it repeats are left out."""
    field = dict(query).get(SORT_FIELD)
    if field is None:
        return None
    items = await read(query)
    counts = Counter(str(g[field]) for g in items)
    return [g for g in items if counts[str(g[field])] == 1]


def unstable_default_order() -> Fault:
    """Without a sort field, each answer comes in an order of its own."""
    answers = itertools.count()

    async def rule(read: Reader, query: Query) -> list[Item] | None:
        if SORT_FIELD in dict(query):
            return None
        items = await read(query)
        random.Random(next(answers)).shuffle(items)
        return items

    return list_fault(rule)


def detail_state_changed(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """The detail of an item gives another state than its list entry."""
    if not is_detail(scope) or status != 200:
        return status, headers, body
    document: Any = json.loads(body)
    document[ENVELOPE]["state"] += 1
    return status, headers, json.dumps(document).encode()


RELATION_FAULTS: dict[str, Fault] = {
    "the listing leaves out items a filter finds": list_fault(listing_hides_some),
    "the total counts items no page shows": total_counts_hidden,
    "sorting by a field drops the items whose value repeats": list_fault(sorting_drops_repeats),
    "the default order changes between requests": unstable_default_order(),
    "a detail differs from its list entry": rewrite(detail_state_changed),
}

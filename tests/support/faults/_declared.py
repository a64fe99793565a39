"""Faults in the behaviour the spec declares: how filters combine, whether `%` and `_` are
wildcards, what sorting covers, what a direction without a sort field does, the query policy
and detail lookups. Each asks the correct server it wraps for the data it needs and answers
from it the way a faulty implementation would."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.faults._asgi import (
    Fault,
    Item,
    Query,
    ask,
    detail_key,
    is_detail,
    is_list,
    query_of,
    respond,
    results,
    rewrite_query,
    to_unknown_key,
    without,
)
from tests.support.spec_facts import (
    CONTAINS_FILTER,
    COUNT,
    DEFAULT_COUNT,
    DESCENDING,
    ENVELOPE,
    EXACT_FILTER,
    FILTERS,
    KEY,
    MAXIMUM_COUNT,
    OFFSET,
    QUERY_PARAMETERS,
    RESULTS,
    SORT_DIRECTION,
    SORT_FIELD,
    TOTAL,
)

Reader = Callable[[Query], Awaitable[list[Item]]]
# All matches of a list request in the order a faulty server gives them; None: no fault here.
Rule = Callable[[Reader, Query], Awaitable[list[Item] | None]]


def compared(item: Item, name: str) -> str:
    """The item property that the filter `name` compares."""
    return str(item[FILTERS[name]["property"]])


def list_fault(rule: Rule) -> Fault:
    """Answer list requests from the matches `rule` gives, paged as asked."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if not is_list(scope):
                await app(scope, receive, send)
                return
            query = query_of(scope)
            status, _ = await ask(app, scope, query)
            if status != 200:  # the fault is in what a valid request gets, not in validation
                await app(scope, receive, send)
                return

            async def read(asked: Query) -> list[Item]:
                # every match on one page: the maximum page size is more than any test serves
                all_on_one_page = [*without(asked, COUNT, OFFSET), (COUNT, str(MAXIMUM_COUNT))]
                _, body = await ask(app, scope, all_on_one_page)
                return list(results(body))

            items = await rule(read, query)
            if items is None:
                await app(scope, receive, send)
                return
            given = dict(query)
            start, size = int(given.get(OFFSET, 0)), int(given.get(COUNT, DEFAULT_COUNT))
            page = items[start : start + size]
            await respond(send, 200, {ENVELOPE: {RESULTS: page, TOTAL: len(items)}})

        return faulty

    return wrap


async def filters_or(read: Reader, query: Query) -> list[Item] | None:
    if not set(FILTERS) <= dict(query).keys():
        return None
    either = {
        g[KEY]
        for kept in FILTERS
        for g in await read(without(query, *(other for other in FILTERS if other != kept)))
    }
    return [g for g in await read(without(query, *FILTERS)) if g[KEY] in either]


def misfiltered(
    name: str, keeps: Callable[[str, str], bool], when: Callable[[str], bool] = lambda value: True
) -> Rule:
    """The filter `name` done wrong: an item stays when `keeps(value, its property)`, for the
    values `when` picks (the others get the correct server's answer)."""

    async def rule(read: Reader, query: Query) -> list[Item] | None:
        value = dict(query).get(name)
        if value is None or not when(value):
            return None
        matches = await read(without(query, name))
        return [g for g in matches if keeps(value, compared(g, name))]

    return rule


def like(value: str) -> re.Pattern[str]:
    """SQL LIKE's reading of `value`: `%` any text, `_` any one character."""
    wild = {"%": ".*", "_": "."}
    return re.compile("".join(wild.get(c, re.escape(c)) for c in value.casefold()), re.DOTALL)


wildcards = misfiltered(
    CONTAINS_FILTER,
    lambda value, name: like(value).search(name.casefold()) is not None,
    when=lambda value: bool(set(value) & {"%", "_"}),
)


async def direction_reverses_default(read: Reader, query: Query) -> list[Item] | None:
    given = dict(query)
    if SORT_FIELD in given or given.get(SORT_DIRECTION) != DESCENDING:
        return None
    return list(reversed(await read(query)))


async def direction_defaults_to_descending(read: Reader, query: Query) -> list[Item] | None:
    """A sort field without a direction sorts descending: the server's default is DESC."""
    given = dict(query)
    if SORT_FIELD not in given or SORT_DIRECTION in given:
        return None
    return await read([*query, (SORT_DIRECTION, DESCENDING)])


def sort_page_only(app: ASGIApp) -> ASGIApp:
    """Fetch the page unsorted, then sort just that page."""

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(query_of(scope)) if is_list(scope) else {}
        status, _ = await ask(app, scope, query_of(scope)) if SORT_FIELD in given else (0, None)
        if status != 200:  # no sort field, or a request the server rejects
            await app(scope, receive, send)
            return
        _, body = await ask(app, scope, without(query_of(scope), SORT_FIELD, SORT_DIRECTION))
        field = given[SORT_FIELD]
        results(body).sort(
            key=lambda g: (g[field], g[KEY]), reverse=given.get(SORT_DIRECTION) == DESCENDING
        )
        await respond(send, 200, body)

    return faulty


def reject_unknown(query: Query) -> Query:
    """An undefined parameter turns into a page size of 0, which the server rejects."""
    return [*query, (COUNT, "0")] if {k for k, _ in query} - QUERY_PARAMETERS else query


def first_of_each(query: Query) -> Query:
    kept: dict[str, str] = {}
    for name, value in query:
        kept.setdefault(name, value)
    return list(kept.items())


def detail_of_first_listed(listed: int) -> Fault:
    """The detail operation finds only the first `listed` items of the default order."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if is_detail(scope):
                status, body = await ask(app, scope, [(COUNT, str(listed))])
                if status == 200 and detail_key(scope) not in {g[KEY] for g in results(body)}:
                    scope = to_unknown_key(scope)
            await app(scope, receive, send)

        return faulty

    return wrap


# Case-insensitive by lower() instead of full case folding: "STRASSE" misses "Straße".
name_lowercased = misfiltered(CONTAINS_FILTER, lambda value, name: value.lower() in name.lower())
name_prefix = misfiltered(
    CONTAINS_FILTER, lambda value, name: name.casefold().startswith(value.casefold())
)
text_id_ignoring_case = misfiltered(
    EXACT_FILTER, lambda value, text_id: text_id.casefold() == value.casefold()
)


async def ties_ascending_when_descending(read: Reader, query: Query) -> list[Item] | None:
    """DESC orders by the field only; ties keep ascending ids, so DESC is no exact reverse."""
    given = dict(query)
    if SORT_FIELD not in given or given.get(SORT_DIRECTION) != DESCENDING:
        return None
    unsorted = await read(without(query, SORT_FIELD, SORT_DIRECTION))
    by_key = sorted(unsorted, key=lambda g: g[KEY])
    return sorted(by_key, key=lambda g: g[given[SORT_FIELD]], reverse=True)


# The body a faulty server sends for a filtered list request the correct server accepts, given
# that server, the request, its query and the correct body.
FilteredAnswer = Callable[[ASGIApp, Scope, Query, dict[str, Any]], Awaitable[dict[str, Any]]]


def on_filtered_lists(answer: FilteredAnswer) -> Fault:
    """A fault in filtered list requests only: every other request, and a filtered one the
    server rejects, gets the correct answer."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            query = query_of(scope) if is_list(scope) else []
            filtered = bool(set(dict(query)) & set(FILTERS))
            status, body = await ask(app, scope, query) if filtered else (0, {})
            if status != 200:  # no filter, or a request the server rejects
                await app(scope, receive, send)
                return
            await respond(send, 200, await answer(app, scope, query, body))

        return faulty

    return wrap


async def total_before_filters(
    app: ASGIApp, scope: Scope, query: Query, body: dict[str, Any]
) -> dict[str, Any]:
    """The page is filtered, the total counts every item."""
    _, everything = await ask(app, scope, [(COUNT, "1")])
    body[ENVELOPE][TOTAL] = everything[ENVELOPE][TOTAL]
    return body


async def pages_before_filtering(
    app: ASGIApp, scope: Scope, query: Query, body: dict[str, Any]
) -> dict[str, Any]:
    """The storage pages and counts the whole collection, the filters run afterwards in the
    application on the page it got: a page holds only the matches among the items it would
    hold unfiltered, and the total counts every item, as the storage's count knows nothing
    of the filters either."""
    everywhere = [*without(query, COUNT, OFFSET), (COUNT, str(MAXIMUM_COUNT))]
    _, matched = await ask(app, scope, everywhere)
    kept = {g[KEY] for g in results(matched)}
    page: dict[str, Any]
    _, page = await ask(app, scope, without(query, *FILTERS))
    page[ENVELOPE][RESULTS] = [g for g in results(page) if g[KEY] in kept]
    return page


# Faults the property checks alone catch (tests/conformance/test_harness_variants.py), with
# what the report must say.
MORE_LIST_FAULTS: dict[str, Fault] = {
    "name filter lower-cases instead of case folding": list_fault(name_lowercased),
    "name filter matches prefixes only": list_fault(name_prefix),
    "text_id filter ignores case": list_fault(text_id_ignoring_case),
    "DESC keeps ties in ascending order": list_fault(ties_ascending_when_descending),
    "total counts the items before filtering": on_filtered_lists(total_before_filters),
    "sort direction defaults to DESC": list_fault(direction_defaults_to_descending),
    "pages before filtering": on_filtered_lists(pages_before_filtering),
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

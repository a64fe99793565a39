"""Sorting: every sort field in both directions and in none (the direction's default), and
each direction without a field, lists the collection in the declared order, read in pages
smaller than the collection (so a server that sorts only each page shows); and for each field
in each direction, a page of two items that tie on it and one of two that do not, where the
data holds them (the tie-breaker decides across a page's edge as within it)."""

from __future__ import annotations

from collections.abc import Iterator

from contract.conformance._contract import Subject, parameter_ids
from contract.conformance._findings import Evidence, NotCheckedError
from contract.conformance._listing import fetch_pages, paged, smallest_page, walk_all
from contract.conformance._probe import Params
from contract.conformance._registry import Context, check
from contract.conformance.checks._shared import judge_page, judge_whole


def speaks_for(subject: Subject) -> set[str]:
    rule = subject.resource.sorting
    if rule is None:
        return set()
    return set(rule.assumptions) | parameter_ids(
        subject.list_operation, [rule.field, rule.direction]
    )


@check("sorting", speaks_for)
def check_sorting(context: Context) -> Iterator[Evidence]:
    resource, sorting = context.subject.resource, context.subject.resource.sorting
    if sorting is None:
        return
    everything = context.everything()
    if len(everything) < 2:
        raise NotCheckedError(f"{len(everything)} item(s): no order can be wrong")
    size = min(context.page_size, max(smallest_page(resource), len(everything) // 3 + 1))
    queries: list[Params] = []
    for field_value in [*sorting.fields, None]:
        unsent = [None] if field_value is not None else []
        for direction in (sorting.ascending, sorting.descending, *unsent):
            params = [] if direction is None else [(sorting.direction, direction)]
            if field_value is not None:
                params.append((sorting.field, field_value))
            queries.append(params)
    walked = walk_all(context.probe, resource, queries, size)
    for query, got in zip(queries, walked, strict=True):
        yield from judge_whole(context, everything, query, got, size)
    yield from check_tied_pages(context)


def check_tied_pages(context: Context) -> Iterator[Evidence]:
    resource, sorting = context.subject.resource, context.subject.resource.sorting
    assert sorting is not None
    everything = context.everything()
    size = max(2, smallest_page(resource))
    queries: list[Params] = []
    for field_value, prop in sorting.fields.items():
        for direction in (sorting.ascending, sorting.descending):
            ordered = sorting.order(everything, field_value, direction)
            ties = [ordered[i][prop] == ordered[i + 1][prop] for i in range(len(ordered) - 1)]
            for tie in dict.fromkeys(ties):
                chosen = [(sorting.field, field_value), (sorting.direction, direction)]
                queries.append([*chosen, *paged(resource, size, ties.index(tie))])
    for query, page in zip(queries, fetch_pages(context.probe, resource, queries), strict=True):
        yield from judge_page(context, everything, query, page)

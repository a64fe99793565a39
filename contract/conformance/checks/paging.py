"""Pages: a walk through the collection by each of several page sizes gives, page after page,
the page the declarations promise (the right window of the default order, no longer than
asked for, with a total that counts every item); so do a page past the last item and a page
asked for without a size. Every page of every walk goes out together."""

from __future__ import annotations

from collections.abc import Iterator

from contract.conformance._contract import Subject, parameter_ids
from contract.conformance._findings import Evidence, NotCheckedError
from contract.conformance._listing import (
    MAX_PAGES,
    fetch_pages,
    fits,
    largest_page,
    paged,
    smallest_page,
)
from contract.conformance._probe import Params
from contract.conformance._registry import Context, check
from contract.conformance.checks._shared import judge_page
from contract.spec.declarations import ListResource, page_parameters


def speaks_for(subject: Subject) -> set[str]:
    paging = subject.resource.paging
    named = parameter_ids(subject.list_operation, page_parameters(paging))
    return set(paging.assumptions) | named


def page_sizes(resource: ListResource, total: int) -> list[int]:
    """Small, odd and large page sizes, each needing at most MAX_PAGES requests."""
    largest = largest_page(resource)
    candidates = {1, 2, 3, 7, total // 10 + 1, total // 3 + 1, largest}
    return sorted(
        n for n in candidates if smallest_page(resource) <= n <= largest and total / n <= MAX_PAGES
    )


@check("paging", speaks_for)
def check_paging(context: Context) -> Iterator[Evidence]:
    resource = context.subject.resource
    everything = context.everything()
    if not everything:
        raise NotCheckedError("no items: pages cannot be told apart")
    length = len(everything)
    sizes = page_sizes(resource, length)
    if not sizes:
        raise NotCheckedError(
            f"{length} items: no page size walks them in {MAX_PAGES} pages or fewer"
        )
    queries: list[Params] = [
        paged(resource, n, start) for n in sizes for start in range(0, length, n)
    ]
    offset, _ = page_parameters(resource.paging)
    if fits(resource.parameters[offset], length):
        queries.append([(offset, str(length))])  # past the last item
    queries.append([])  # the default page
    for params, page in zip(queries, fetch_pages(context.probe, resource, queries), strict=True):
        yield from judge_page(context, everything, params, page)

"""What several families of checks need: the expectation a replay of a list answer asserts,
judging a list answer against the declarations, the error body of a 4xx, and the assumptions
the spec states for a status and its body."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import httpx

from contract.conformance._attribution import Answer
from contract.conformance._contract import body_ids, response_ids
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import (
    Page,
    Walked,
    answer,
    fetch_page,
    fits,
    keys,
    paged,
    walk_all,
)
from contract.conformance._probe import Params
from contract.conformance._registry import Context
from contract.conformance._replays import Expectation
from contract.spec.declarations import Item, ListResource, response_schema


def members(resource: ListResource) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    return resource.paging.results, resource.paging.total, resource.detail.key


def page_expectation(
    resource: ListResource,
    everything: Sequence[Item],
    params: Params,
    as_if: Mapping[str, str] | None = None,
) -> Expectation:
    """The page the declarations promise for `params` (or, sent with `params`, for the
    query `as_if`), over the whole collection in default order."""
    keys_, total = resource.promised(everything, dict(params) if as_if is None else as_if)
    return Expectation(
        resource.path, tuple(params), statuses=(200,), page=(tuple(keys_), total),
        members=members(resource),
    )  # fmt: skip


def walk_expectation(
    resource: ListResource, everything: Sequence[Item], params: Params, size: int, got: list[Any]
) -> Expectation:
    """The first page of a walk by pages of `size` whose keys `got` (all pages together) are
    wrong, and what the declarations promise for it."""
    whole = {
        **dict(params),
        resource.paging.offset: "0",
        resource.paging.step: str(len(everything) or 1),
    }
    wanted = resource.promised(everything, whole)[0]
    wrong = next((i for i, (a, b) in enumerate(zip(got, wanted, strict=False)) if a != b), None)
    at = min(len(got), len(wanted)) if wrong is None else wrong
    return page_expectation(resource, everything, [*params, *paged(resource, size, at - at % size)])


def describe(query: Params, got: Answer, wanted: Answer) -> str:
    """A wrong list answer in one line: what was asked, what came, what the declarations give."""
    shown = urlencode(list(query)) or "(no parameters)"
    if got[0] == wanted[0]:
        return f"{shown}: total {got[1]}, the declarations give {wanted[1]}"
    return (
        f"{shown}: {len(got[0])} items of {got[1]} {got[0][:5]}..., "
        f"the declarations give {len(wanted[0])} of {wanted[1]} {wanted[0][:5]}..."
    )


def judge_page(
    context: Context, everything: Sequence[Item], params: Params, page: Page
) -> Iterator[Evidence]:
    """One page against the page the declarations promise for its query: the probe exercises
    what an alternative rule would have answered otherwise; a wrong page is charged to the
    rule that explains it."""
    resource = context.subject.resource
    query = dict(params)
    context.exercise_query(everything, query)
    got = (keys(resource, page.items), page.total)
    wanted = resource.promised(everything, query)
    if got != wanted:
        message = describe(params, got, wanted)
        yield Evidence(
            message,
            context.probe.curl(resource.path, params),
            context.explained(
                message,
                lambda: context.explainer.explain(everything, query, got, ask=asking(context)),
            ),
            page_expectation(resource, everything, params),
        )


def asking(context: Context, whole: bool = False) -> Callable[[Mapping[str, str]], Answer]:
    """How the server answers a query: its page, or (`whole`) every page of it."""
    resource = context.subject.resource

    paging = {resource.paging.offset, resource.paging.step}

    def ask(query: Mapping[str, str]) -> Answer:
        if whole:
            params = [(k, v) for k, v in query.items() if k not in paging]
            walked = walk_all(context.probe, resource, [params], context.page_size)[0]
            return keys(resource, walked.items), walked.total
        page = fetch_page(context.probe, resource, list(query.items()))
        return keys(resource, page.items), page.total

    return ask


def judge_whole(
    context: Context,
    everything: Sequence[Item],
    params: Params,
    got: Walked,
    size: int,
    note: str = "",
) -> Iterator[Evidence]:
    """Every page of a query, read by pages of `size`, against the whole result the
    declarations promise for it (and the total of its first page against its length)."""
    resource = context.subject.resource
    query = dict(params)
    if got.error is not None:  # an answer that is no page: the documented contract's finding
        error = got.error
        yield Evidence(
            f"{urlencode(list(params))}{note}: {error} (GET {error.path})",
            context.probe.curl(error.path, error.params),
            Attribution(),
            Expectation(
                error.path, error.params, statuses=(200,),
                body_schema=response_schema(context.subject.list_operation, 200),
            ),
        )  # fmt: skip
        return
    context.exercise_query(everything, query, whole=True)
    gave = (keys(resource, got.items), got.total)
    wanted = resource.promised(everything, context.explainer.whole(everything, query))
    if gave == wanted:
        return
    shown = urlencode(list(params)) or "(no parameters)"
    if gave[0] == wanted[0]:
        what = f"total {gave[1]}, {wanted[1]} match"
        expect = page_expectation(resource, everything, [*params, *paged(resource, size, 0)])
    else:
        what = (
            f"every page: {len(gave[0])} items {gave[0][:5]}..., the declarations give "
            f"{len(wanted[0])} {wanted[0][:5]}..."
        )
        expect = walk_expectation(resource, everything, params, size, gave[0])
    message = f"{shown}{note}: {what}"
    yield Evidence(
        message,
        context.probe.curl(resource.path, [*params, *paged(resource, size, 0)]),
        context.explained(
            message,
            lambda: context.explainer.explain(
                everything, query, gave, True, asking(context, whole=True)
            ),
        ),
        expect,
    )


def error_body(
    operation: Mapping[str, Any], response: httpx.Response, shown: str, expect: Expectation
) -> Iterator[Evidence]:
    """A 4xx answer carries the body the operation declares for that status, as the media
    type it declares, and (RFC 9457) the body's `status` is the answer's status."""
    schema = response_schema(operation, response.status_code)
    if schema is None or not 400 <= response.status_code < 500:
        return
    if expect.statuses and response.status_code not in expect.statuses:
        return  # the status is the finding; a correct server would send another body
    status, body = answer(response)
    why = Attribution(tuple(sorted(body_ids(operation, status))), "the error body's rule")
    if not fits(schema, body):
        yield Evidence(
            f"{status} without the declared error body",
            shown,
            why,
            replace(expect, statuses=(status,), body_schema=schema),
        )
        return
    documented = (operation.get("responses") or {}).get(str(status)) or {}
    media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    declared = list(documented.get("content") or {})
    if media not in declared:
        yield Evidence(
            f"{status} with its error body as {media!r}, not {' or '.join(declared)}",
            shown,
            why,
            replace(expect, statuses=(status,), media_type=declared[0]),
        )
    if isinstance(body, dict) and "status" in body and body["status"] != status:
        same = {"allOf": [schema, {"properties": {"status": {"const": status}}}]}
        yield Evidence(
            f"{status} whose error body says status {body['status']!r} (RFC 9457: the same)",
            shown,
            why,
            replace(expect, statuses=(status,), body_schema=same),
        )


def body_exercised(context: Context, operation: Mapping[str, Any], status: int) -> None:
    """An answer of `status` was judged against the body its operation declares."""
    if response_schema(operation, status) is not None:
        context.exercise(body_ids(operation, status))


def status_ids(operation: Mapping[str, Any], status: int) -> tuple[str, ...]:
    return tuple(sorted(response_ids(operation, status)))


def short(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:12]}...({len(value)} characters)"


def charged(ids: set[str] | tuple[str, ...], why: str) -> Attribution:
    return Attribution(tuple(sorted(set(ids))), why)

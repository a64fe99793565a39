"""Reading a list resource through its declarations: a page of a list answer (its items and
total at the declared member paths), every match of a query page after page, the detail of
one key. Several queries are walked together, their pages asked for in rounds, so a slow
server costs a round trip per round rather than per page."""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from contract.conformance._findings import UnexpectedResponseError
from contract.conformance._probe import Params, Probe, Request
from contract.conformance._rules import schema_error
from contract.spec.declarations import Item, ListResource, member, page_parameters

MAX_PAGES = 24  # per walk through the collection at one page size, in the paging check


@dataclass(frozen=True)
class Page:
    items: list[Item]
    total: int


def keys(resource: ListResource, items: Sequence[Item]) -> list[Any]:
    """What identifies the items: the property that fills the detail path."""
    return [item[resource.detail.key] for item in items]


def page_problem(
    resource: ListResource, items: Any, total: Any, validate_items: bool = True
) -> str | None:
    """Why a page read at the declared member paths is not one, or None; its items are
    checked against the item schema unless the caller validated the whole body already."""
    if not isinstance(items, list):
        return f"{'.'.join(resource.paging.results)} is no array"
    if not isinstance(total, int) or isinstance(total, bool):
        return f"{'.'.join(resource.paging.total)} is no integer"
    if not validate_items:
        return None
    for index, item in enumerate(items):
        error = schema_error(resource.item_schema, item)
        if error is not None:
            return f"item {index} does not match the item schema: {error}"
    return None


def read_page(resource: ListResource, response: httpx.Response, params: Params) -> Page:
    """The page of a list answer (UnexpectedResponseError if it is none)."""
    if response.status_code != 200:
        raise UnexpectedResponseError(
            f"expected 200, got {response.status_code}", resource.path, params
        )
    try:
        body = response.json()
        items, total = member(body, resource.paging.results), member(body, resource.paging.total)
    except (ValueError, KeyError, TypeError) as exc:
        raise UnexpectedResponseError(
            f"the body lacks the declared results or total ({exc!r})", resource.path, params
        ) from exc
    problem = page_problem(resource, items, total)
    if problem is not None:
        raise UnexpectedResponseError(problem, resource.path, params)
    return Page(items, total)


def fetch_page(probe: Probe, resource: ListResource, params: Params) -> Page:
    return read_page(resource, probe.get(resource.path, params), params)


def fetch_pages(probe: Probe, resource: ListResource, queries: Sequence[Params]) -> list[Page]:
    """One page per query, asked for together."""
    answers = probe.send([Request(resource.path, tuple(params)) for params in queries])
    return [read_page(resource, a, q) for a, q in zip(answers, queries, strict=True)]


def paged(resource: ListResource, size: int, start: int) -> list[tuple[str, str]]:
    first, step = page_parameters(resource.paging)
    return [(step, str(size)), (first, str(start))]


def largest_page(resource: ListResource) -> int:
    default = resource.default(resource.paging.step)
    return resource.max_page_size or (default if isinstance(default, int) else 1)


def smallest_page(resource: ListResource) -> int:
    return int(resource.parameters[resource.paging.step].get("minimum", 1))


@dataclass(frozen=True)
class Walked:
    """Every page of one query, put together, and the total its first page gave; or (when
    the walk was told to go on past it) the answer that was no page."""

    items: list[Item]
    total: int
    error: UnexpectedResponseError | None = None


def walk_all(
    probe: Probe,
    resource: ListResource,
    queries: Sequence[Params],
    size: int | None = None,
    go_on: bool = False,
) -> list[Walked]:
    """Every match of each query, page after page of `size` (by default the largest): the
    first pages of all together, then the pages each total says remain, a round at a time,
    until a page comes back empty or the total is reached. An answer that is no page raises
    UnexpectedResponseError, or (`go_on`) ends that query's walk with it as its error."""
    size = size or largest_page(resource)
    errors: dict[int, UnexpectedResponseError] = {}
    found: list[list[Item]] = [[] for _ in queries]
    totals = [0] * len(queries)
    strides = [size] * len(queries)  # a server that caps its pages is walked by its cap
    open_ = list(range(len(queries)))
    firsts = [0] * len(queries)
    first = True
    while open_:
        per_query = 1 if first else max(probe.concurrency, 1)
        asked: list[tuple[int, int]] = []  # (query, start)
        for index in open_:
            start, stride = len(found[index]), strides[index]
            wanted = 1 if first else math.ceil((totals[index] - start) / stride)
            asked += [(index, start + n * stride) for n in range(max(1, min(wanted, per_query)))]
        params = [[*queries[i], *paged(resource, size, start)] for i, start in asked]
        answers = probe.send([Request(resource.path, tuple(p)) for p in params])
        done: set[int] = set()
        for (index, _), sent, answer in zip(asked, params, answers, strict=True):
            if index in done:
                continue
            try:
                page = read_page(resource, answer, sent)
            except UnexpectedResponseError as exc:
                if not go_on:
                    raise
                errors[index] = exc
                done.add(index)
                continue
            if first and 0 < len(page.items) < min(size, page.total):
                strides[index] = len(page.items)
            totals[index] = page.total
            seen = {str(item.get(resource.detail.key)) for item in found[index]}
            repeats = any(str(item.get(resource.detail.key)) in seen for item in page.items)
            found[index] += page.items
            if (
                not page.items
                or repeats  # pages that overlap cannot be walked further
                or len(page.items) < strides[index]
                or len(found[index]) >= page.total
            ):
                done.add(index)
        if first:
            firsts = list(totals)
        open_ = [i for i in open_ if i not in done]
        first = False
    return [
        Walked(items, total, errors.get(index))
        for index, (items, total) in enumerate(zip(found, firsts, strict=True))
    ]


def walk(
    probe: Probe, resource: ListResource, params: Params = (), size: int | None = None
) -> list[Item]:
    """Every match of one query, page after page (by default of the largest size)."""
    return walk_all(probe, resource, [params], size)[0].items


def spread(items: Sequence[Item], wanted: int) -> list[Item]:
    """At most `wanted` items from all over `items`, the first and the last among them, so
    a fault beyond the first page shows."""
    if len(items) <= wanted:
        return list(items)
    last = len(items) - 1
    return [items[round(i * last / max(wanted - 1, 1))] for i in range(wanted)]


def detail_path(resource: ListResource, key: Any) -> str:
    """The detail path of `key`, percent-encoded; a key of dots only is encoded too, or an
    HTTP client would resolve it as `.` or `..` (RFC 3986 dot segments)."""
    detail = resource.detail
    text = str(key)
    encoded = "%2E" * len(text) if text and set(text) == {"."} else quote(text, safe="")
    return detail.path.replace("{" + detail.parameter + "}", encoded)


def detail_item(response: httpx.Response, resource: ListResource) -> Any:
    """The item of a detail answer at the declared member path; None when there is none."""
    if response.status_code != 200:
        return None
    try:
        return member(response.json(), resource.detail.item)
    except (ValueError, KeyError, TypeError):
        return None


def answer(response: httpx.Response) -> tuple[int, Any]:
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, response.text


def fits(schema: Mapping[str, Any], value: Any) -> bool:
    return schema_error(schema, value) is None


def unused_key(schema: Mapping[str, Any], used: Sequence[Any]) -> Any:
    """A key no item has that the path parameter's schema allows, or None."""
    taken = set(map(str, used))
    candidates: list[Any]
    if schema.get("type") == "integer":
        low = int(schema.get("minimum", 0))
        numbers = [k for k in used if isinstance(k, int)]
        candidates = [max(numbers, default=low) + 1, *range(low, low + len(taken) + 1)]
    else:
        stem = str(used[0])[:-1] if used else ""
        candidates = ["no-such-key-" + "0" * 12]
        candidates += [stem + c for c in string.digits + string.ascii_letters]
    return next((c for c in candidates if str(c) not in taken and fits(schema, c)), None)

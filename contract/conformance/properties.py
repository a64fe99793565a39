"""Property checks of our own, for what a schema cannot say: paging partitions the collection,
the total counts every match, sorting and filters follow their declared rules, the query
policy holds, the detail operation agrees with the list, and bad credentials get 401.

They run against any live server over HTTP, for every list resource of the spec. Names,
member paths and rules all come from the spec's behaviour declarations
(contract/spec/declarations.py); responses are read as JSON at the declared member paths."""

from __future__ import annotations

import base64
import re
import shlex
import string
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jsonschema

from contract.conformance._near_misses import (
    NEAR_MISSES,
    credential_near_misses,
    near_miss,
    other_case_name,
)
from contract.conformance._replays import BAD, WITHOUT_AUTH, Expectation
from contract.conformance._rules import basic_challenge, detail_problems, page_problems
from contract.errors import BudgetExhaustedError
from contract.spec.client_view import client_view
from contract.spec.declarations import (
    Filter,
    Item,
    ListResource,
    list_resources,
    member,
    page_parameters,
    response_schema,
)
from contract.spec.source import read_yaml

Params = Sequence[tuple[str, str]]
Broken = tuple[str, str]  # (what is wrong, a command that shows it)
AUTH_VARIABLE = "$AUTH"
WRONG_PASSWORD = "not-the-password"
MAX_PAGES = 60  # per walk through the collection at one page size
FILTER_SAMPLES = 4  # items whose values make the filter values
DETAIL_SAMPLES = 50  # items fetched one by one
NO_MATCH = "no such value \u2603 %_"


@dataclass(frozen=True)
class Attribution:
    """The assumptions a finding contradicts, named by the declared rule whose single change
    explains it (contract/conformance/_attribution.py); no ids when none does."""

    ids: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Finding:
    """A broken property, with a command that replays the request that shows it, and the
    declared rule that explains it when the check could tell."""

    check: str
    message: str
    reproduce: str
    attribution: Attribution | None = None
    expectation: Expectation | None = field(default=None, repr=False, compare=False)

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}\n    reproduce: {self.reproduce}"


# Requests the property checks may send in one run (`make conformance MAX_REQUESTS=`).
REQUEST_BUDGET = 5000


@dataclass
class Probe:
    """HTTP access to the server under test, within a request budget and a rate limit."""

    base_url: str
    username: str
    password: str = field(repr=False)
    max_requests: int = REQUEST_BUDGET
    requests_per_second: float = 0.0
    timeout: float = 10.0
    sent: int = 0
    observe: Callable[[httpx.Response], None] | None = field(default=None, repr=False)
    _client: httpx.Client = field(init=False, repr=False)
    _last: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._client = httpx.Client(timeout=self.timeout)

    def close(self) -> None:
        self._client.close()

    def get(
        self, path: str, params: Params = (), *, authorization: str | None = None, auth: bool = True
    ) -> httpx.Response:
        if self.sent >= self.max_requests:
            raise BudgetExhaustedError(f"request budget of {self.max_requests} spent")
        if self.requests_per_second > 0:
            pause = self._last + 1 / self.requests_per_second - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last = time.monotonic()
        headers = {}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif auth:
            headers["Authorization"] = basic(self.username, self.password)
        self.sent += 1
        response = self._client.get(self.url(path, params), headers=headers)
        if self.observe is not None:
            self.observe(response)
        return response

    def url(self, path: str, params: Params = ()) -> str:
        query = urlencode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def curl(
        self, path: str, params: Params = (), authorization: str | None = AUTH_VARIABLE
    ) -> str:
        """A replayable command that prints the status line, headers and body. The server's
        credentials stay out of it: by default curl reads them from $AUTH (user:password, as
        `make conformance` takes them: `export AUTH` first)."""
        if authorization == AUTH_VARIABLE:
            header = f'-u "{AUTH_VARIABLE}" '
        elif authorization is not None:
            header = f"-H {shlex.quote('Authorization: ' + authorization)} "
        else:
            header = ""
        return f"curl -si {header}{shlex.quote(self.url(path, params))}"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@dataclass(frozen=True)
class Subject:
    """One list resource under test, with the schema of its detail path parameter: an
    unknown key must stay within it to be answered with 404 rather than 400."""

    resource: ListResource
    list_operation: Mapping[str, Any] = field(default_factory=dict)  # as a client sees it
    detail_operation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key_schema(self) -> Mapping[str, Any]:
        return self.resource.detail.key_schema


class Evidence(tuple[str, str]):
    """A broken property, with what a replay of it asserts (the request and what a correct
    server answers) and the declared rule that explains it, where the check knows them. It
    unpacks as the (message, command) pair every check yields."""

    expectation: Expectation | None
    attribution: Attribution | None

    def __new__(
        cls,
        message: str,
        reproduce: str,
        expectation: Expectation | None = None,
        attribution: Attribution | None = None,
    ) -> Evidence:
        made = super().__new__(cls, (message, reproduce))
        made.expectation, made.attribution = expectation, attribution
        return made


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


Check = Callable[[Probe, Subject], Iterator[Broken]]


class NotCheckedError(Exception):
    """A check found nothing to check against (no items, too few to tell orders apart): it is
    reported as not checked, never as a pass."""


class UnexpectedResponseError(Exception):
    def __init__(self, message: str, path: str, params: Params) -> None:
        super().__init__(message)
        self.path, self.params = path, params


@dataclass(frozen=True)
class Page:
    items: list[Item]
    total: int


def fits(schema: Mapping[str, Any], value: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(schema).is_valid(value))


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
    validator = jsonschema.Draft202012Validator(resource.item_schema)
    for index, item in enumerate(items):
        error = jsonschema.exceptions.best_match(validator.iter_errors(item))
        if error is not None:
            return f"item {index} does not match the item schema: {error.message}"
    return None


def fetch_page(probe: Probe, resource: ListResource, params: Params) -> Page:
    return read_page(resource, probe.get(resource.path, params), params)


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


def paged(resource: ListResource, size: int, start: int) -> list[tuple[str, str]]:
    first, step = page_parameters(resource.paging)
    return [(step, str(size)), (first, str(start))]


def largest_page(resource: ListResource) -> int:
    default = resource.default(resource.paging.step)
    return resource.max_page_size or (default if isinstance(default, int) else 1)


def smallest_page(resource: ListResource) -> int:
    return int(resource.parameters[resource.paging.step].get("minimum", 1))


def fetch_all(
    probe: Probe, resource: ListResource, params: Params = (), size: int | None = None
) -> list[Item]:
    """Every match, page after page (by default of the largest size)."""
    size = size or largest_page(resource)
    items: list[Item] = []
    while True:
        page = fetch_page(probe, resource, [*params, *paged(resource, size, len(items))])
        items += page.items
        if not page.items or len(items) >= page.total:
            return items


def spread(items: Sequence[Item], wanted: int) -> list[Item]:
    """At most `wanted` items from all over `items`, the first and the last among them, so
    a fault beyond the first page shows."""
    if len(items) <= wanted:
        return list(items)
    last = len(items) - 1
    return [items[round(i * last / max(wanted - 1, 1))] for i in range(wanted)]


def page_sizes(resource: ListResource, total: int) -> list[int]:
    """Small, odd and large page sizes, each needing at most MAX_PAGES requests."""
    largest = largest_page(resource)
    candidates = {1, 2, 3, 7, total // 10 + 1, total // 3 + 1, largest}
    return sorted(
        n for n in candidates if smallest_page(resource) <= n <= largest and total / n <= MAX_PAGES
    )


def pages(
    probe: Probe, resource: ListResource, size: int, bound: int
) -> Iterator[tuple[Params, Page]]:
    """The pages of `size` from the start, until an empty one or past `bound` items."""
    start = 0
    while start <= bound:
        params = paged(resource, size, start)
        page = fetch_page(probe, resource, params)
        yield params, page
        if not page.items:
            return
        start += len(page.items)


def check_paging(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Pages that start at 0, n, 2n, ... partition the collection; no page is longer than asked;
    every page's total counts the whole collection."""
    resource = subject.resource
    everything = fetch_all(probe, resource)
    if not everything:
        raise NotCheckedError("no items: pages cannot be told apart")
    sizes = page_sizes(resource, len(everything))
    if not sizes:
        raise NotCheckedError(
            f"{len(everything)} items: no page size walks them in {MAX_PAGES} pages or fewer"
        )
    total_reported = False
    for size in sizes:
        seen: list[Item] = []
        for params, page in pages(probe, resource, size, len(everything)):
            shown = probe.curl(resource.path, params)
            expect = page_expectation(resource, everything, params)
            judged = page_problems(resource, dict(params), page.items, len(everything))
            for check, problem in judged:
                if check == "paging":
                    yield Evidence(problem, shown, expect)
            if page.total != len(everything) and not total_reported:
                total_reported = True
                yield Evidence(
                    f"total {page.total} on a page of {resource.paging.step}={size}, "
                    f"but {len(everything)} items exist",
                    shown,
                    expect,
                )
            seen += page.items
        if keys(resource, seen) != keys(resource, everything):
            yield Evidence(
                f"pages of {size} do not partition the {len(everything)} items "
                f"(got {len(seen)}, {len(set(map(str, keys(resource, seen))))} distinct)",
                probe.curl(resource.path, paged(resource, size, 0)),
                walk_expectation(resource, everything, [], size, keys(resource, seen)),
            )
    yield from check_past_the_end(probe, resource, everything)
    yield from check_default_page(probe, resource, everything)


def check_default_page(
    probe: Probe, resource: ListResource, everything: Sequence[Item]
) -> Iterator[Broken]:
    """Without a page size the page holds the declared default number of items."""
    default, length = resource.default(resource.paging.step), len(everything)
    if not isinstance(default, int):
        return
    page = fetch_page(probe, resource, [])
    if len(page.items) != min(default, length):
        yield Evidence(
            f"without {resource.paging.step} the page held {len(page.items)} items, "
            f"not {min(default, length)} (default {default})",
            probe.curl(resource.path),
            page_expectation(resource, everything, []),
        )


def check_past_the_end(
    probe: Probe, resource: ListResource, everything: Sequence[Item]
) -> Iterator[Broken]:
    """A page that starts after the last item is empty."""
    name, _ = page_parameters(resource.paging)
    length = len(everything)
    if not fits(resource.parameters[name], length):
        return
    params = [(name, str(length))]
    page = fetch_page(probe, resource, params)
    if page.items:
        yield Evidence(
            f"{name}={length}, past the last item, returned {len(page.items)} items",
            probe.curl(resource.path, params),
            page_expectation(resource, everything, params),
        )


def check_sorting(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Every sort value in both directions and in none (the direction's default), and each
    direction without one, lists the collection in the declared order. Pages are smaller
    than the collection, so a server that sorts only each page shows."""
    from contract.conformance._attribution import attribute  # it reads this module

    resource, sorting = subject.resource, subject.resource.sorting
    if sorting is None:
        return
    default = fetch_all(probe, resource)
    if len(default) < 2:
        raise NotCheckedError(f"{len(default)} item(s): no order can be wrong")
    size = min(largest_page(resource), max(smallest_page(resource), len(default) // 3 + 1))
    for field_value in [*sorting.fields, None]:
        unsent = [None] if field_value is not None else []
        for direction in (sorting.ascending, sorting.descending, *unsent):
            params = [] if direction is None else [(sorting.direction, direction)]
            if field_value is not None:
                params.append((sorting.field, field_value))
            got = fetch_all(probe, resource, params, size)
            effective = direction or resource.default(sorting.direction)
            expected = sorting.order(default, field_value, effective)
            if keys(resource, got) != keys(resource, expected):
                whole = {**dict(params), resource.paging.step: str(len(default))}
                yield Evidence(
                    f"{urlencode(params)} is not in the declared order "
                    f"(ties by {sorting.tie_breaker}, descending {sorting.descending_order}, "
                    f"without a field: {sorting.default_order}, "
                    f"direction {sorting.direction_without_field})",
                    probe.curl(resource.path, params),
                    walk_expectation(resource, default, params, size, keys(resource, got)),
                    attribute(subject, default, whole, (keys(resource, got), len(got))),
                )
    yield from check_tied_pages(probe, subject, default)


def check_tied_pages(probe: Probe, subject: Subject, default: Sequence[Item]) -> Iterator[Broken]:
    """For each sort field in each direction, a page of two items that tie on it and one of
    two that do not, where the data holds them: the tie-breaker decides across a page's
    edge as within it."""
    from contract.conformance._attribution import attribute  # it reads this module

    resource, sorting = subject.resource, subject.resource.sorting
    assert sorting is not None
    size = max(2, smallest_page(resource))
    for field_value, prop in sorting.fields.items():
        for direction in (sorting.ascending, sorting.descending):
            ordered = sorting.order(default, field_value, direction)
            ties = [ordered[i][prop] == ordered[i + 1][prop] for i in range(len(ordered) - 1)]
            for tie in dict.fromkeys(ties):
                start = ties.index(tie)
                params = [(sorting.field, field_value), (sorting.direction, direction)]
                params += paged(resource, size, start)
                page = fetch_page(probe, resource, params)
                expect = page_expectation(resource, default, params)
                got = keys(resource, page.items)
                if expect.page is not None and tuple(got) != expect.page[0]:
                    yield Evidence(
                        f"{urlencode(params)} is not in the declared order "
                        f"(ties by {sorting.tie_breaker}, descending {sorting.descending_order})",
                        probe.curl(resource.path, params),
                        expect,
                        attribute(subject, default, dict(params), (got, page.total)),
                    )


def inner(text: str) -> str:
    """The middle half of `text` (at least one character)."""
    quarter = len(text) // 4
    return text[quarter : max(quarter + 1, 3 * quarter)]


def filter_values(text: str) -> list[str]:
    """Values a filter must get right, made from one stored value: the whole, a prefix and an
    inner part, each also with its case changed, and `_` or `%` in place of characters, which
    match more if the server treats them as wildcards."""
    parts = [text, text[: len(text) // 2 + 1], inner(text)]
    values = [variant for part in parts for variant in (part, part.swapcase())]
    if len(text) >= 3:
        values += [text[0] + "_" + text[2:], text[0] + "%" + text[-1], "%" + text[1:]]
    return values


def filter_queries(resource: ListResource, everything: Sequence[Item]) -> list[dict[str, str]]:
    """Each filter alone, then all together, with values drawn from the data; only values
    the parameter's schema allows."""
    samples = spread(everything, FILTER_SAMPLES)
    queries: list[dict[str, str]] = []
    for each in resource.filters:
        values = [NO_MATCH]
        values += [v for item in samples for v in filter_values(str(item[each.property_name]))]
        queries += [{each.parameter: value} for value in values]
    if len(resource.filters) > 1:
        queries += combined_queries(resource, samples)
    unique = {tuple(sorted(query.items())): query for query in queries}
    return [
        query
        for query in unique.values()
        if all(fits(resource.parameters[name], value) for name, value in query.items())
    ]


def combined_queries(resource: ListResource, samples: Sequence[Item]) -> list[dict[str, str]]:
    """All filters at once: the first from one item and the others from the same or the next
    item, where AND and OR differ; and a part of each value of one item."""
    queries = []
    for a, b in zip(samples, [*samples[1:], *samples[:1]], strict=True):
        for rest in (a, b):
            sources = [a, *[rest] * (len(resource.filters) - 1)]
            queries.append(
                {
                    each.parameter: str(source[each.property_name])
                    for each, source in zip(resource.filters, sources, strict=True)
                }
            )
        queries.append(
            {each.parameter: inner(str(a[each.property_name])) for each in resource.filters}
        )
    return queries


def check_filters(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Each filter alone and all combined list exactly the items the declared rules match,
    and the total counts them."""
    resource = subject.resource
    everything = fetch_all(probe, resource)
    if not everything or not resource.filters:
        raise NotCheckedError(
            "no items to draw filter values from" if resource.filters else "no filters"
        )
    for query in filter_queries(resource, everything):
        params = list(query.items())
        expected = [item for item in everything if resource.matches(query, item)]
        got = fetch_all(probe, resource, params)
        if keys(resource, got) != keys(resource, expected):
            yield Evidence(
                f"{urlencode(params)} returned {len(got)} items, {len(expected)} match",
                probe.curl(resource.path, params),
                walk_expectation(
                    resource, everything, params, largest_page(resource), keys(resource, got)
                ),
            )
        small = [*params, (page_parameters(resource.paging)[1], str(smallest_page(resource)))]
        page = fetch_page(probe, resource, small)
        if page.total != len(expected):
            yield Evidence(
                f"{urlencode(params)}: total {page.total}, {len(expected)} match",
                probe.curl(resource.path, small),
                page_expectation(resource, everything, small),
            )
    yield from check_filter_near_misses(probe, resource, everything)


def filter_near_misses(
    resource: ListResource, each: Filter, everything: Sequence[Item]
) -> Iterator[tuple[str, str]]:
    """(value, what it is) for every kind of near miss that some item's value allows and
    the declared rule does not match to that value; then the values of other text properties
    of an item, which the filter must not search."""
    schema = resource.parameters[each.parameter]
    texts = [str(item[each.property_name]) for item in everything]
    for kind in NEAR_MISSES:
        for source in texts:
            value = near_miss(kind, source)
            if value is not None and not each.matches(value, source) and fits(schema, value):
                yield value, f"{source!r} {kind}"
                break
    others = [
        name
        for name, property_schema in (resource.item_schema.get("properties") or {}).items()
        if name != each.property_name and property_schema.get("type") == "string"
    ]
    for name in others:
        for item in everything:
            value, source = str(item.get(name, "")), str(item[each.property_name])
            if value and not each.matches(value, source) and fits(schema, value):
                yield value, f"the {name} of an item whose {each.property_name} is {source!r}"
                break


def check_filter_near_misses(
    probe: Probe, resource: ListResource, everything: Sequence[Item]
) -> Iterator[Broken]:
    """Values that are almost a stored one list only what the declared rule matches: a
    server that trims, folds accents, normalises Unicode, matches by prefix or also searches
    another property shows here."""
    for each in resource.filters:
        for value, what in filter_near_misses(resource, each, everything):
            params = [(each.parameter, value)]
            expected = [item for item in everything if resource.matches(dict(params), item)]
            got = fetch_all(probe, resource, params)
            if keys(resource, got) == keys(resource, expected):
                continue
            wanted = set(map(str, keys(resource, expected)))
            extra = [item for item in got if str(item[resource.detail.key]) not in wanted]
            outcome = (
                f"matched {str(extra[0][each.property_name])!r}"
                if extra
                else f"returned {len(got)} items, {len(expected)} match"
            )
            yield Evidence(
                f"{urlencode(params)} is {what}, and {outcome} "
                f"(declared: {each.match}, {each.case})",
                probe.curl(resource.path, params),
                walk_expectation(
                    resource, everything, params, largest_page(resource), keys(resource, got)
                ),
            )


def answer(response: httpx.Response) -> tuple[int, Any]:
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, response.text


def valid_value(schema: Mapping[str, Any]) -> str | None:
    """A value the parameter's schema allows, as it goes into a query string."""
    candidates = [schema.get("default"), *(schema.get("enum") or [])[:1], schema.get("minimum")]
    candidates.append("a" * max(1, int(schema.get("minLength", 1))))
    return next((str(c) for c in candidates if c is not None and fits(schema, c)), None)


def check_query_policy(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """An undefined parameter is ignored or rejected as declared; a defined one given twice
    is rejected with 400."""
    resource = subject.resource
    unknown = "undefined_parameter"
    while unknown in resource.parameters:
        unknown += "_"
    params = [(unknown, "1")]
    response = probe.get(resource.path, params)
    shown = probe.curl(resource.path, params)
    if resource.policy.unknown == "reject" and response.status_code != 400:
        yield Evidence(
            f"{unknown} gave {response.status_code}, not 400 (declared: reject)",
            shown,
            Expectation(resource.path, tuple(params), statuses=(400,)),
        )
    if resource.policy.unknown == "ignore" and answer(response) != answer(probe.get(resource.path)):
        yield Evidence(
            f"{unknown} changed the answer (declared: ignore)",
            shown,
            Expectation(resource.path, tuple(params), same_as=()),
        )
    if resource.policy.repeated == "reject":
        for name, schema in resource.parameters.items():
            value = valid_value(schema)
            if value is None:
                continue
            params = [(name, value), (name, value)]
            response = probe.get(resource.path, params)
            if response.status_code != 400:
                yield Evidence(
                    f"{name} given twice gave {response.status_code}, not 400 (declared: reject)",
                    probe.curl(resource.path, params),
                    Expectation(resource.path, tuple(params), statuses=(400,)),
                )
    yield from check_name_near_misses(probe, resource)


def sample_values(resource: ListResource, everything: Sequence[Item], name: str) -> list[str]:
    """Values of the parameter `name` as a client sends them: its enum, its lowest integers,
    and for a filter, values from the data."""
    schema = resource.parameters[name]
    values: list[Any] = list(schema.get("enum") or [])
    if schema.get("type") == "integer":
        low = int(schema.get("minimum", 0))
        values += [low, low + 1, low + 2]
    compared = [f.property_name for f in resource.filters if f.parameter == name]
    values += [str(item[p]) for p in compared for item in spread(everything, FILTER_SAMPLES)]
    return [str(value) for value in dict.fromkeys(values) if fits(schema, value)]


def telling_value(
    resource: ListResource, everything: Sequence[Item], name: str
) -> tuple[dict[str, str], str] | None:
    """A query and a value of `name` that, added to it, changes the page the declarations
    promise: what a server that took another case of `name` for `name` would show. The
    query is empty, or one other parameter (a sort direction tells only with a sort field)."""
    contexts: list[dict[str, str]] = [{}]
    contexts += [
        {other: value}
        for other in resource.parameters
        if other != name
        for value in sample_values(resource, everything, other)[:3]
    ]
    for context in contexts:
        plain = resource.promised(everything, context)
        for value in sample_values(resource, everything, name):
            if resource.promised(everything, {**context, name: value}) != plain:
                return context, value
    return None


def check_name_near_misses(probe: Probe, resource: ListResource) -> Iterator[Broken]:
    """A defined parameter's name in another case (`NAME` for `name`) is an unknown
    parameter: it gets what the query policy declares for those, never the effect of the
    parameter. A router or framework that matches names in any case shows here, once for all
    the names it takes."""
    everything = fetch_all(probe, resource)
    broken: list[Evidence] = []
    for name in resource.parameters:
        other = other_case_name(name)
        found = telling_value(resource, everything, name)
        if other in resource.parameters or found is None:
            continue
        context, value = found
        params = [*context.items(), (other, value)]
        response = probe.get(resource.path, params)
        problem = name_near_miss_problem(resource, everything, context, response, params)
        if problem is not None:
            sent = f"{urlencode([(other, value)])} (the parameter {name} in another case)"
            expect = (
                Expectation(resource.path, tuple(params), statuses=(400,))
                if resource.policy.unknown == "reject"
                else page_expectation(resource, everything, params, as_if=context)
            )
            broken.append(Evidence(f"{sent} {problem}", probe.curl(resource.path, params), expect))
    if broken:
        message, shown = broken[0]
        also = [message.split("=", 1)[0] for message, _ in broken[1:]]
        message += f"; so did {', '.join(also)}" if also else ""
        yield Evidence(message, shown, broken[0].expectation)


def name_near_miss_problem(
    resource: ListResource,
    everything: Sequence[Item],
    context: Mapping[str, str],
    response: httpx.Response,
    params: Params,
) -> str | None:
    """What is wrong with the answer to `context` plus a parameter name in another case."""
    if resource.policy.unknown == "reject":
        if response.status_code == 400:
            return None
        return (
            f"gave {response.status_code}, not 400 (declared: unknown parameters are "
            "rejected, and names are case-sensitive)"
        )
    wanted_keys, wanted_total = resource.promised(everything, context)
    try:
        page = read_page(resource, response, params)
    except UnexpectedResponseError as exc:
        got = str(exc)
    else:
        got_keys = keys(resource, page.items)
        if (got_keys, page.total) == (wanted_keys, wanted_total):
            return None
        got = f"{len(got_keys)} items of {page.total}, not {len(wanted_keys)} of {wanted_total}"
        if (len(got_keys), page.total) == (len(wanted_keys), wanted_total):
            got = "other items or another order than without it"
    return (
        f"changed the answer: {got} (declared: unknown parameters are ignored, and names "
        "are case-sensitive)"
    )


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


def compare_detail(probe: Probe, resource: ListResource, item: Item) -> Iterator[Broken]:
    """The detail operation gives the listed item back: the same value for every property
    of the item schema (others may be added)."""
    path = detail_path(resource, item[resource.detail.key])
    response = probe.get(path)
    found = detail_item(response, resource)
    declared = [name for name in resource.item_schema.get("properties") or {} if name in item]
    expect = Expectation(
        path, statuses=(200,), item=(resource.detail.item, {name: item[name] for name in declared})
    )
    if not isinstance(found, dict):
        message = f"status {response.status_code}, no item where the declaration says"
        yield Evidence(message, probe.curl(path), expect)
        return
    for problem in detail_problems(resource, str(item[resource.detail.key]), found, item):
        yield Evidence(problem, probe.curl(path), expect)


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


def key_near_misses(subject: Subject, everything: Sequence[Item]) -> Iterator[tuple[str, str, str]]:
    """(kind, key, the item's key it was made from) for every kind of near miss that some
    item's key allows, no item has and the key's schema accepts. String keys only: what an
    integer key is almost (`01`) is for the path parameter's schema to say."""
    if subject.key_schema.get("type") != "string":
        return
    taken = [str(key) for key in keys(subject.resource, everything)]
    for kind in NEAR_MISSES:
        for key in taken:
            value = near_miss(kind, key)
            if value and value not in taken and fits(subject.key_schema, value):
                yield kind, value, key
                break


def check_key_near_misses(
    probe: Probe, subject: Subject, everything: Sequence[Item]
) -> Iterator[Broken]:
    """A key that is almost an item's finds nothing (404): keys compare exactly, so a server
    that looks them up by a collation ignoring case or trailing spaces, by prefix, or after
    decoding or normalising them again shows here."""
    resource = subject.resource
    for kind, value, key in key_near_misses(subject, everything):
        path = detail_path(resource, value)
        response = probe.get(path)
        if response.status_code == 404:
            continue
        found = detail_item(response, resource)
        outcome = (
            f"found the item {found.get(resource.detail.key)!r}"
            if isinstance(found, dict)
            else f"gave {response.status_code}"
        )
        yield Evidence(
            f"{resource.detail.parameter}={quote(value, safe='')} is {key!r} {kind}, and "
            f"{outcome}, not 404 (keys compare exactly)",
            probe.curl(path),
            Expectation(path, statuses=(404,)),
        )


def check_detail(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Items from all over the collection come back from the detail operation by their key;
    a key no item has gives 404."""
    resource = subject.resource
    everything = fetch_all(probe, resource)
    for item in spread(everything, DETAIL_SAMPLES):
        yield from compare_detail(probe, resource, item)
    yield from check_key_near_misses(probe, subject, everything)
    unknown = unused_key(subject.key_schema, keys(resource, everything))
    if unknown is None:
        return
    path = detail_path(resource, unknown)
    response = probe.get(path)
    expect = Expectation(path, statuses=(404,))
    if response.status_code != 404:
        yield Evidence(
            f"unknown key gave {response.status_code}, not 404", probe.curl(path), expect
        )
    yield from error_body(subject.detail_operation, response, probe.curl(path), expect)
    if not everything:
        raise NotCheckedError("no items to fetch one by one")


@dataclass(frozen=True)
class BadCredentials:
    """An Authorization a server must refuse, and how a replay sends it: `replay` is curl's
    `-u` argument, which reads the real user and password from $AUTH; without one the header
    itself is shown (it holds no secret)."""

    label: str
    authorization: str | None  # None: no header at all
    replay: str | None = None


def bad_authorizations(username: str, password: str) -> list[BadCredentials]:
    """Credentials a server must refuse: none, malformed ones (schemathesis never sends
    those), the right password under another user name, and near misses of the right ones
    (another case, a character changed, removed or added, whitespace around either)."""
    malformed = {
        "no credentials": None,
        "wrong password": basic(username, WRONG_PASSWORD),
        "not base64": "Basic !!!not-base64!!!",
        "no colon": "Basic " + base64.b64encode(username.encode()).decode(),
        "another scheme": "Bearer " + base64.b64encode(f"{username}:x".encode()).decode(),
        "empty": "",
        "scheme only": "Basic",
    }
    other = username + "-unknown"
    return [
        *(BadCredentials(label, header) for label, header in malformed.items()),
        BadCredentials(
            "wrong user, right password", basic(other, password), f"{other}:${{AUTH#*:}}"
        ),
        *(
            BadCredentials(label, basic(user, secret), replay)
            for label, user, secret, replay in credential_near_misses(username, password)
        ),
    ]


def auth_paths(probe: Probe, subject: Subject) -> list[str]:
    """The list path and a detail path (of a listed item, else of a key nobody has)."""
    resource = subject.resource
    first = fetch_page(probe, resource, paged(resource, smallest_page(resource), 0)).items
    key = first[0][resource.detail.key] if first else unused_key(subject.key_schema, [])
    return [resource.path] + ([] if key is None else [detail_path(resource, key)])


def check_auth(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """No, wrong, malformed and almost right credentials get 401 with a Basic challenge and
    the error body, on every operation. The right password under another user name is wrong
    too; so are the user name and password in another case or with whitespace added."""
    for path in auth_paths(probe, subject):
        operation = (
            subject.list_operation if path == subject.resource.path else subject.detail_operation
        )
        for bad in bad_authorizations(probe.username, probe.password):
            response = probe.get(path, authorization=bad.authorization, auth=False)
            challenges = response.headers.get_list("WWW-Authenticate")
            challenge = ", ".join(challenges)
            # The real password never goes into a report: replays take it from $AUTH.
            shown = (
                probe.curl(path, authorization=None) + f' -u "{bad.replay}"'
                if bad.replay is not None
                else probe.curl(path, authorization=bad.authorization)
            )
            # Rebuilt from $AUTH in the replay: most hold the user name, base64-encoded.
            credentials = WITHOUT_AUTH if bad.authorization is None else BAD + bad.label
            expect = Expectation(path, credentials=credentials, statuses=(401,), challenge=True)
            if response.status_code != 401 or not basic_challenge(challenges):
                yield Evidence(
                    f"{bad.label}: {path} got {response.status_code}, "
                    f"WWW-Authenticate {challenge!r}; expected 401 with a Basic challenge",
                    shown,
                    expect,
                )
            else:
                yield from error_body(operation, response, shown, expect)


def error_body(
    operation: Mapping[str, Any], response: httpx.Response, shown: str, expect: Expectation
) -> Iterator[Broken]:
    """A 4xx answer carries the body the operation declares for that status."""
    schema = response_schema(operation, response.status_code)
    if schema is None or not 400 <= response.status_code < 500:
        return
    if expect.statuses and response.status_code not in expect.statuses:
        return  # the status is the finding; a correct server would send another body
    status, body = answer(response)
    if not fits(schema, body):
        yield Evidence(
            f"{status} without the declared error body",
            shown,
            replace(expect, statuses=(status,), body_schema=schema),
        )


def edges(schema: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    """(value, allowed) at and just past each bound of a parameter's schema, and the case
    variants of its enum values that the enum does not allow."""
    if schema.get("type") == "integer":
        for keyword, step in (("minimum", -1), ("maximum", 1)):
            if isinstance(schema.get(keyword), int):
                yield str(schema[keyword]), True
                yield str(schema[keyword] + step), False
    if schema.get("type") == "string" and "enum" not in schema:
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int):
            yield "a" * max(low, 1), True
            if low >= 1:
                yield "a" * (low - 1), False
        if isinstance(high, int):
            yield "a" * high, True
            yield "a" * (high + 1), False
    allowed = [str(value) for value in schema.get("enum") or []]
    for value in allowed:
        for variant in dict.fromkeys(
            (value.swapcase(), value.lower(), value.upper(), value.title())
        ):
            if variant not in allowed:
                yield variant, False


def check_parameters(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Each parameter's bounds hold at and just past each edge, enum values are
    case-sensitive, and every rejection is a 400 with the declared error body."""
    resource = subject.resource
    for name, schema in resource.parameters.items():
        for value, allowed in edges(schema):
            params = [(name, value)]
            response = probe.get(resource.path, params)
            shown = probe.curl(resource.path, params)
            expected = 200 if allowed else 400
            expect = Expectation(resource.path, tuple(params), statuses=(expected,))
            if response.status_code != expected:
                message = f"{name}={short(value)} gave {response.status_code}, not {expected}"
                yield Evidence(message, shown, expect)
            yield from error_body(subject.list_operation, response, shown, expect)
    for value, allowed in edges(subject.key_schema):
        if not value:
            continue  # an empty path segment is another path, not this operation
        path = detail_path(resource, value)
        response = probe.get(path)
        expected_statuses = {200, 404} if allowed else {400}
        expect = Expectation(path, statuses=tuple(sorted(expected_statuses)))
        if response.status_code not in expected_statuses:
            wanted = " or ".join(map(str, sorted(expected_statuses)))
            got = response.status_code
            yield Evidence(
                f"{resource.detail.parameter}={short(value)} gave {got}, not {wanted}",
                probe.curl(path),
                expect,
            )
        yield from error_body(subject.detail_operation, response, probe.curl(path), expect)


def short(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:12]}...({len(value)} characters)"


HOSTILE_STRINGS = (
    "'", '"', "' OR '1'='1", "--", "; DROP TABLE x;", "%", "_", "%_%", "\\", "\x00", "a\x00b",
    "x" * 10_000, "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "\U0001f600\U0001f4a9",
    "e\u0301\u0301\u0301", "\ufeff", "\ud7ff", "${jndi:x}", "<script>",
)  # fmt: skip


def check_hostile_strings(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Quotes, SQL and LIKE syntax, backslashes, NUL, a very long value, bidirectional text,
    emoji and combining marks, in every string parameter: a server may refuse them, never
    fail on them (5xx)."""
    resource = subject.resource
    strings = [n for n, s in resource.parameters.items() if s.get("type") == "string"]
    for name in strings:
        for value in HOSTILE_STRINGS:
            params = [(name, value)]
            response = probe.get(resource.path, params)
            if response.status_code >= 500:
                yield Evidence(
                    f"{name}={short(value)!r} gave {response.status_code}",
                    probe.curl(resource.path, params),
                    Expectation(resource.path, tuple(params)),
                )
    if subject.key_schema.get("type") == "string":
        for value in HOSTILE_STRINGS:
            path = detail_path(resource, value)
            response = probe.get(path)
            if response.status_code >= 500:
                yield Evidence(
                    f"{resource.detail.parameter}={short(value)!r} gave {response.status_code}",
                    probe.curl(path),
                    Expectation(path),
                )


def check_oracle(probe: Probe, subject: Subject) -> Iterator[Broken]:
    """Generated queries (filters, sorting, page size, offset) answered as the declarations
    compute them from the whole collection; a disagreement is shrunk to a minimal query."""
    # Hypothesis takes most of a second to import: a run that stops at the preflight skips it.
    from contract.conformance import _oracle as oracle
    from contract.conformance._attribution import attribute  # it reads this module

    resource = subject.resource
    everything = fetch_all(probe, resource)
    if not everything:
        raise NotCheckedError("no items: every query would answer an empty page")

    def ask(query: oracle.Query) -> oracle.Answer:
        try:
            page = fetch_page(probe, resource, list(query.items()))
        except UnexpectedResponseError as exc:
            return [str(exc)], -1
        return keys(resource, page.items), page.total

    def allowed(name: str, value: str) -> bool:
        return fits(resource.parameters[name], value)

    for query, got, wanted in oracle.smallest_disagreement(resource, everything, ask, allowed):
        yield Evidence(
            oracle.describe(query, got, wanted),
            probe.curl(resource.path, list(query.items())),
            page_expectation(resource, everything, list(query.items())),
            attribute(subject, everything, query, got),
        )


CHECKS: dict[str, Check] = {
    "auth": check_auth,
    "paging": check_paging,
    "sorting": check_sorting,
    "filters": check_filters,
    "query-policy": check_query_policy,
    "detail": check_detail,
    "parameters": check_parameters,
    "hostile-strings": check_hostile_strings,
    "oracle": check_oracle,
}


def operation_of(view: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    return dict((view.get("paths") or {}).get(path, {}).get("get") or {})


def subjects(spec_path: Path) -> list[Subject]:
    """Every list resource of the spec (DeclarationError if its declarations are invalid)."""
    document = read_yaml(spec_path)
    view = client_view(document)
    found = []
    for resource in list_resources(document):
        detail = operation_of(view, resource.detail.path)
        found.append(Subject(resource, operation_of(view, resource.path), detail))
    return found


def label(check: str, subject: Subject) -> str:
    return f"{check} {subject.resource.name}"


def check_labels(spec_path: Path) -> list[str]:
    """The name of every check run on the spec: each check of each resource."""
    return [label(check, subject) for subject in subjects(spec_path) for check in CHECKS]


def run_checks(
    probe: Probe, spec_path: Path, only: Collection[str] | None = None
) -> tuple[list[Finding], list[str]]:
    """Run every check (or those named in `only`) on every list resource; returns the
    findings and what could not be checked ("<check label>: why"): no data to tell right from
    wrong, or the request budget spent. A check that cannot go on reports why instead of
    crashing the run."""
    findings: list[Finding] = []
    unchecked: list[str] = []
    for subject in subjects(spec_path):
        for name, check in CHECKS.items():
            if only is not None and name not in only:
                continue
            where = label(name, subject)
            try:
                for broken in check(probe, subject):
                    found = Finding(where, *broken)
                    if isinstance(broken, Evidence):
                        found = replace(
                            found, attribution=broken.attribution, expectation=broken.expectation
                        )
                    findings.append(found)
            except NotCheckedError as exc:
                unchecked.append(f"{where}: {exc}")
            except BudgetExhaustedError:
                unchecked.append(f"{where}: the request budget ({probe.max_requests}) ran out")
            except UnexpectedResponseError as exc:
                expect = Expectation(
                    exc.path, tuple(exc.params), statuses=(200,),
                    body_schema=response_schema(subject.list_operation, 200),
                )  # fmt: skip
                shown = probe.curl(exc.path, exc.params)
                findings.append(Finding(where, str(exc), shown, expectation=expect))
            except httpx.HTTPError as exc:
                findings.append(Finding(where, f"request failed: {exc}", probe.base_url))
    return once_per_rule(findings), unchecked


SHAPE = re.compile(r"=[^ ]*|'[^']*'|\[[^\]]*\]|[0-9]+")


def once_per_rule(findings: Sequence[Finding]) -> list[Finding]:
    """The first finding of each shape (its message with values and numbers left out) per
    check, counting the others like it: one broken rule is one finding, not fifty."""
    first: dict[tuple[str, str], Finding] = {}
    more: dict[tuple[str, str], int] = {}
    for finding in findings:
        shape = (finding.check, SHAPE.sub("#", finding.message))
        if shape in first:
            more[shape] = more.get(shape, 0) + 1
        else:
            first[shape] = finding
    return [
        replace(f, message=f"{f.message} (and {more[shape]} more like it)") if shape in more else f
        for shape, f in first.items()
    ]

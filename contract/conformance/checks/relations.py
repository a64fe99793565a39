"""Relations across queries: what the answers of different queries must say of each other,
whatever the data. Each relation follows from the declarations and is a check of its own:

- consistent-pages: the pages of one query are windows onto one ordered result with one
  total (an item at one position, a position holding one item);
- total-reachable: paging through a query reaches as many items as its total says;
- within-listing: every item a filtered query finds is in the unfiltered listing;
- filters-intersect: filters given together find what each finds alone, intersected
  (declared: they combine with AND);
- sort-permutation: a sorted listing holds the items of the unsorted one;
- descending-reverses: descending is ascending reversed (declared: exact-reverse);
- direction-without-field: a direction without a sort field changes nothing (declared:
  ignored) or reverses the default order (declared: reverses-default);
- case-equivalent: values a case-folding filter takes for equal find the same items; values
  an exact, case-sensitive filter tells apart find none in common;
- page-holds-matches: an item seen anywhere that a query's filters match, and that its order
  puts inside a page it returned, is on that page;
- detail-equals-entry: the detail of a listed key equals its list entry;
- unique-values: no two items share a value of a property declared unique (x-unique).

An observer keeps the answers it is shown (the property checks' own, or recorded traffic) and
judges once at the end; in a run it first asks for what the relations still miss: filters
given alone with the values seen together, and filter values of one character, which find
most items (and any the unfiltered listing leaves out)."""

from __future__ import annotations

import shlex
import string
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

from contract.conformance._attribution import Explainer
from contract.conformance._contract import Operation, Subject
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._har import Exchange
from contract.conformance._listing import detail_path, fits, largest_page, walk_all
from contract.conformance._registry import Context, observer, relation
from contract.conformance._replays import Expectation, Listing, Relation
from contract.conformance._rules import detail_problems, parameter_allows
from contract.errors import BudgetExhaustedError
from contract.spec.declarations import FILTERING, Item, ListResource, member

Params = tuple[tuple[str, str], ...]
NOT_FOUND: Final = object()  # what a detail answered with 404 is remembered as
BROAD_VALUES: Final = 3  # one-character values per filter, to find what the listing lacks
GAPS: Final = 12  # queries asked for at the end, at most, per resource


def speaks_nothing(subject: Subject) -> set[str]:
    return set()


def speaks_total(subject: Subject) -> set[str]:
    return set(Explainer(subject).total_ids)


def speaks_combine(subject: Subject) -> set[str]:
    if len(subject.resource.filters) < 2:
        return set()
    return set((subject.list_operation.get(FILTERING) or {}).get("assumptions") or ())


def speaks_sort_field(subject: Subject) -> set[str]:
    rule = subject.resource.sorting
    return (
        set() if rule is None else set(Explainer(subject).parameter(rule.field, rule.assumptions))
    )


def speaks_direction(subject: Subject) -> set[str]:
    rule = subject.resource.sorting
    if rule is None:
        return set()
    return set(Explainer(subject).parameter(rule.direction, rule.assumptions))


def speaks_filters(subject: Subject) -> set[str]:
    explainer = Explainer(subject)
    return {i for f in subject.resource.filters for i in explainer.filter_ids(f)}


def speaks_unique(subject: Subject) -> set[str]:
    return set(subject.resource.unique_assumptions)


def speaks_pages(subject: Subject) -> set[str]:
    return speaks_filters(subject) | speaks_sort_field(subject) | speaks_total(subject)


RELATIONS: Final = {
    "consistent-pages": speaks_total,
    "total-reachable": speaks_total,
    "within-listing": speaks_nothing,
    "filters-intersect": speaks_combine,
    "sort-permutation": speaks_sort_field,
    "descending-reverses": speaks_direction,
    "direction-without-field": speaks_direction,
    "case-equivalent": speaks_filters,
    "page-holds-matches": speaks_pages,
    "detail-equals-entry": speaks_nothing,
    "unique-values": speaks_unique,
}
for _name, _speaks in RELATIONS.items():
    relation(_name, _speaks)


@dataclass
class Result:
    """What the answers showed of one query (its filters and order, any page): its total,
    which key stands at which position, and how far paging reached."""

    params: Params  # the query without its paging parameters
    total: int
    first: int  # the answer that gave the total
    positions: dict[int, str] = field(default_factory=dict)
    where: dict[str, int] = field(default_factory=dict)
    pages: list[tuple[int, int, int]] = field(default_factory=list)  # (offset, length, answer)
    ended: int | None = None  # the offset, below the total, of a page that came back empty
    inconsistent: bool = False  # its pages disagree: no relation can trust its whole
    first_size: int = 0  # the page size the answer that gave the total asked for
    size: int | None = None  # the page size of its first page from offset 0

    @property
    def complete(self) -> bool:
        """Whether its pages, from the first, show every item its total counts."""
        return (
            not self.inconsistent
            and any(offset == 0 for offset, _, _ in self.pages)
            and all(i in self.positions for i in range(self.total))
        )

    def keys(self) -> list[str]:
        return [self.positions[i] for i in range(self.total)]


@observer
class Relations:
    """The relations of one resource, over every answer shown to it."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.resource: ListResource = subject.resource
        self.explainer = Explainer(subject)
        self.results: dict[Params, Result] = {}
        self.items: dict[str, tuple[Item, int]] = {}  # key -> a list entry, the answer
        self.details: dict[str, tuple[Any, int]] = {}  # key -> its detail (or 404), the answer
        self.found: list[tuple[str, Evidence]] = []
        self.exercised: dict[str, set[str]] = {}
        self.unchecked: dict[str, str] = {}
        self.base_url = ""

    # -- keeping what is seen -----------------------------------------------------------------

    def after_response(
        self, exchange: Exchange, operation: Operation, path_values: Mapping[str, str]
    ) -> None:
        if operation.subject is not self.subject or exchange.method != "GET":
            return
        if exchange.status not in (200, 404) or not self.valid(exchange, operation, path_values):
            return
        try:
            body = exchange.json() if exchange.status == 200 else None
        except ValueError:
            return
        if operation.kind == "list" and exchange.status == 200:
            # Replays go where the answers came from (recorded traffic has no context).
            self.base_url = self.base_url or exchange.url.split("?")[0].removesuffix(
                self.resource.path
            )
            self.listed(exchange, body)
        elif operation.kind == "detail":
            self.detailed(exchange, body, path_values.get(self.resource.detail.parameter, ""))

    def valid(
        self, exchange: Exchange, operation: Operation, path_values: Mapping[str, str]
    ) -> bool:
        """Whether the spec allows the request: each defined parameter once, within its
        schema (an answer to anything else says nothing of these relations)."""
        names = [name for name, _ in exchange.query]
        query = operation.parameters("query")
        if len(set(names)) != len(names):
            return False
        given = [(query.get(n), v) for n, v in exchange.query]
        given += [(operation.parameters("path").get(n), v) for n, v in path_values.items()]
        return all(p is None or parameter_allows(p.get("schema") or {}, v) for p, v in given)

    def listed(self, exchange: Exchange, body: Any) -> None:
        resource = self.resource
        try:
            items, total = (
                member(body, resource.paging.results),
                member(body, resource.paging.total),
            )
        except (KeyError, TypeError, IndexError):
            return
        key = resource.detail.key
        if not isinstance(items, list) or not isinstance(total, int) or isinstance(total, bool):
            return
        if not all(isinstance(item, dict) and key in item for item in items):
            return
        query = dict(exchange.query)
        params = self.canonical(query)
        rule = resource.sorting
        if rule is not None and rule.direction in query and rule.field not in query:
            # Ignored: the page joins the pages of the query without it, whose relation with
            # them consistent-pages judges. Reversing: direction_without_field judges it.
            self.exercise("direction-without-field", ())
        offset = int(
            query.get(resource.paging.offset, resource.default(resource.paging.offset) or 0)
        )
        size = self.page_size(query)
        known = self.results.get(params)
        if known is None:
            known = self.results[params] = Result(params, total, exchange.index, first_size=size)
        elif known.total != total:
            known.inconsistent = True
            self.report(
                "consistent-pages",
                f"#{exchange.index}: total {total} for {self.shown(params)}, where "
                f"#{known.first} gave {known.total}",
                Attribution(
                    self.explainer.total_ids, "the total counts every match, on every page"
                ),
                self.relation("same-total", [params, params], sizes=(known.first_size, size)),
                exchange.url,
            )
            return
        if offset == 0 and known.size is None:
            known.size = size
        self.exercise("consistent-pages", self.explainer.total_ids)
        known.pages.append((offset, len(items), exchange.index))
        if not items and offset < total and known.ended is None:
            known.ended = offset
        for position, item in enumerate(items, start=offset):
            item_key = str(item[key])
            self.items.setdefault(item_key, (item, exchange.index))
            placed = known.positions.get(position)
            elsewhere = known.where.get(item_key, position)
            if (placed is not None and placed != item_key) or elsewhere != position:
                known.inconsistent = True
                self.report(
                    "consistent-pages",
                    f"#{exchange.index}: {item_key!r} at position {position} of "
                    f"{self.shown(params)}, where an earlier page had "
                    + (
                        f"{placed!r}"
                        if placed is not None and placed != item_key
                        else f"it at {elsewhere}"
                    ),
                    Attribution((), "pages of one query disagree", self.order_ids(params)),
                    self.relation("equal", [params, params], sizes=(self.size_of(params), size)),
                    exchange.url,
                )
                return
            known.positions[position] = item_key
            known.where[item_key] = position

    def detailed(self, exchange: Exchange, body: Any, asked: str) -> None:
        if exchange.status == 404:
            self.details.setdefault(asked, (NOT_FOUND, exchange.index))
            return
        try:
            item = member(body, self.resource.detail.item)
        except (KeyError, TypeError, IndexError):
            return
        self.details.setdefault(asked, (item, exchange.index))

    def canonical(self, query: Mapping[str, str]) -> Params:
        """The query without its paging parameters, and without a direction that the
        declarations say is ignored without a sort field."""
        resource = self.resource
        paging = {resource.paging.offset, resource.paging.step}
        kept = {k: v for k, v in query.items() if k not in paging}
        rule = resource.sorting
        if (
            rule is not None
            and rule.field not in kept
            and rule.direction_without_field == "ignored"
        ):
            kept.pop(rule.direction, None)
        return tuple(sorted(kept.items()))

    # -- reporting ---------------------------------------------------------------------------

    def shown(self, params: Params) -> str:
        """A query as the other checks show it (percent-encoded, as in its replay)."""
        return urlencode(params) or "the unfiltered listing"

    def order_ids(self, params: Params) -> tuple[str, ...]:
        return tuple(sorted({*self.explainer.sort_ids(dict(params)), *self.explainer.total_ids}))

    def page_size(self, query: Mapping[str, str]) -> int:
        """The page size a list request asked for: its step parameter, else the default."""
        step = self.resource.paging.step
        default = self.resource.default(step)
        if step in query:
            return int(query[step])
        return default if isinstance(default, int) else largest_page(self.resource)

    def size_of(self, params: Params) -> int:
        """The page size the run read a query's results with, which its replay asks for
        too: a server whose answers depend on it shows the same fault again."""
        result = self.results.get(params)
        if result is None:
            return largest_page(self.resource)
        return result.size if result.size is not None else result.first_size

    def relation(
        self,
        kind: str,
        queries: Sequence[Params],
        key: Any = None,
        sizes: Sequence[int] | None = None,
    ) -> Expectation:
        resource = self.resource
        listing = Listing(
            resource.path, resource.paging.offset, resource.paging.step, largest_page(resource),
            resource.paging.results, resource.paging.total, resource.detail.key,
        )  # fmt: skip
        read = tuple(sizes) if sizes is not None else tuple(self.size_of(p) for p in queries)
        return Expectation(
            resource.path, relation=Relation(kind, listing, tuple(queries), key, read)
        )

    def report(
        self, name: str, message: str, why: Attribution, expect: Expectation, url: str = ""
    ) -> None:
        """A broken relation; its command sends the request of the answer that showed it
        (`url`), else the first query's first page."""
        if not url:
            params = expect.relation.queries[0] if expect.relation else ()
            url = f"{self.base_url}{self.resource.path}"
            url += f"?{urlencode(params)}" if params else ""
        shown = f'curl -si -u "$AUTH" {shlex.quote(url)}'
        self.found.append((name, Evidence(message, shown, why, expect)))

    def exercise(self, name: str, ids: Sequence[str] | set[str]) -> None:
        self.exercised.setdefault(name, set()).update(ids)

    # -- judging ----------------------------------------------------------------------------

    def after_run(self, context: Context | None) -> Iterator[tuple[str, Evidence]]:
        if context is not None:
            self.base_url = context.probe.base_url
            self.fill_gaps(context)
        complete = {params: r for params, r in self.results.items() if r.complete}
        self.total_reachable()
        self.within_listing(complete)
        self.filters_intersect(complete)
        self.sort_permutation(complete)
        self.descending_reverses(complete)
        self.direction_without_field(complete)
        self.case_equivalent(complete)
        self.page_holds_matches()
        self.detail_equals_entry()
        self.unique_values()
        yield from self.found

    def unique_values(self) -> None:
        """No two items seen share a value of a property the spec declares unique."""
        resource = self.resource
        ids = resource.unique_assumptions
        for name in resource.unique:
            if name == resource.detail.key:
                continue  # the items seen are told apart by it: consistent-pages judges it
            holding = [(key, item) for key, (item, _) in self.items.items() if name in item]
            if len(holding) > 1:
                self.exercise("unique-values", ids)
            holders: dict[str, str] = {}
            for key, item in holding:
                value = str(item[name])
                other = holders.setdefault(value, key)
                if other != key:
                    self.report(
                        "unique-values",
                        f"{other!r} and {key!r} share the {name} {value!r} (declared unique)",
                        Attribution(tuple(sorted(ids)), f"no two items share a {name}"),
                        self.relation("unique", [()], key=name),
                    )
                    break

    def fill_gaps(self, context: Context) -> None:
        """Ask for what the relations miss: each filter alone with the values seen together,
        and values of one character, which find most items."""
        resource = self.resource
        wanted: list[Params] = []
        named = {f.parameter for f in resource.filters}
        for params, result in self.results.items():
            given = [(k, v) for k, v in params if k in named]
            if len(given) > 1 and result.complete:
                wanted += [((k, v),) for k, v in given]
        everything = context.everything()
        for each in resource.filters:
            if each.match == "equals":
                continue
            letters = Counter(c for item in everything for c in str(item[each.property_name]))
            common = [
                c for c, _ in letters.most_common() if c in string.ascii_letters + string.digits
            ]
            for char in common[:BROAD_VALUES]:
                if fits(resource.parameters[each.parameter], char):
                    wanted.append(((each.parameter, char),))
        missing = [
            p for p in dict.fromkeys(wanted) if not (p in self.results and self.results[p].complete)
        ]
        try:
            walk_all(context.probe, resource, [list(p) for p in missing[:GAPS]], context.page_size)
        except BudgetExhaustedError:
            self.unchecked["filters-intersect"] = "the request budget ran out"

    def total_reachable(self) -> None:
        for params, result in self.results.items():
            if result.ended is None:
                if result.complete:
                    self.exercise("total-reachable", self.explainer.total_ids)
                continue
            self.report(
                "total-reachable",
                f"{self.shown(params)}: the page at {result.ended} is empty, the total says "
                f"{result.total}",
                Attribution(self.explainer.total_ids, "the total counts what paging reaches"),
                self.relation("reachable", [params]),
            )

    def unfiltered(self, complete: Mapping[Params, Result]) -> Result | None:
        named = {f.parameter for f in self.resource.filters}
        return next((r for p, r in complete.items() if not {k for k, _ in p} & named), None)

    def within_listing(self, complete: Mapping[Params, Result]) -> None:
        listing = self.unfiltered(complete)
        if listing is None:
            self.unchecked.setdefault("within-listing", "no complete unfiltered listing was seen")
            return
        held = set(listing.keys())
        named = {f.parameter for f in self.resource.filters}
        for params, result in self.results.items():
            if not {k for k, _ in params} & named:
                continue
            extra = [key for key in result.positions.values() if key not in held]
            self.exercise("within-listing", ())
            if extra:
                self.report(
                    "within-listing",
                    f"{self.shown(params)} finds {extra[:3]}, which the unfiltered listing "
                    f"({len(held)} items) lacks",
                    Attribution(explanation="the unfiltered listing holds every item"),
                    self.relation("subset", [params, listing.params]),
                )
                return

    def filters_intersect(self, complete: Mapping[Params, Result]) -> None:
        named = [f.parameter for f in self.resource.filters]
        if len(named) < 2 or self.resource.combine != "and":
            return
        for params, result in complete.items():
            given = [(k, v) for k, v in params if k in named]
            rest = tuple((k, v) for k, v in params if k not in named)
            if len(given) < 2:
                continue
            alone = [complete.get(tuple(sorted((*rest, pair)))) for pair in given]
            if any(r is None for r in alone):
                continue
            expected = set.intersection(*(set(r.keys()) for r in alone if r is not None))
            self.exercise("filters-intersect", speaks_combine(self.subject))
            if set(result.keys()) != expected:
                self.report(
                    "filters-intersect",
                    f"{self.shown(params)} finds {len(result.keys())} items, each filter alone "
                    f"finds {len(expected)} in common",
                    Attribution(
                        tuple(sorted(speaks_combine(self.subject))), "filters combine with AND"
                    ),
                    self.relation("intersection", [params, *(r.params for r in alone if r)]),
                )
                return
        if "filters-intersect" not in self.exercised:
            self.unchecked.setdefault(
                "filters-intersect", "no filters were seen together and alone, every page"
            )

    def sort_permutation(self, complete: Mapping[Params, Result]) -> None:
        rule = self.resource.sorting
        if rule is None:
            return
        for params, result in complete.items():
            fields = [v for k, v in params if k == rule.field]
            if not fields:
                continue
            plain = tuple(p for p in params if p[0] not in (rule.field, rule.direction))
            unsorted = complete.get(plain)
            if unsorted is None:
                continue
            self.exercise("sort-permutation", speaks_sort_field(self.subject))
            if sorted(result.keys()) != sorted(unsorted.keys()):
                self.report(
                    "sort-permutation",
                    f"{self.shown(params)} holds other items than {self.shown(plain)}",
                    Attribution(
                        tuple(sorted(speaks_sort_field(self.subject))),
                        "sorting orders the items, it neither adds nor drops any",
                    ),
                    self.relation("permutation", [params, plain]),
                )
                return

    def descending_reverses(self, complete: Mapping[Params, Result]) -> None:
        """With a field, descending is ascending reversed (declared: exact-reverse)."""
        rule = self.resource.sorting
        if rule is None or rule.descending_order != "exact-reverse":
            return
        pairs = [
            (params, tuple(sorted({**dict(params), rule.direction: rule.ascending}.items())))
            for params in complete
            if rule.field in dict(params) and dict(params).get(rule.direction) == rule.descending
        ]
        self.reversed_pairs("descending-reverses", complete, pairs, "descending-order")

    def direction_without_field(self, complete: Mapping[Params, Result]) -> None:
        """Without a field, descending reverses the default order (declared: reverses-
        default). An ignored direction joins the query without it instead, whose pages
        consistent-pages compares."""
        rule = self.resource.sorting
        if rule is None or rule.direction_without_field == "ignored":
            return
        pairs = [
            (params, tuple(p for p in params if p[0] != rule.direction))
            for params in complete
            if rule.field not in dict(params)
            and dict(params).get(rule.direction) == rule.descending
        ]
        self.reversed_pairs("direction-without-field", complete, pairs, "direction-without-field")

    def reversed_pairs(
        self,
        name: str,
        complete: Mapping[Params, Result],
        pairs: Sequence[tuple[Params, Params]],
        declared: str,
    ) -> None:
        """Each first query of `pairs` lists the second's whole result reversed."""
        ids = tuple(sorted(speaks_direction(self.subject)))
        for params, other_params in pairs:
            other = complete.get(other_params)
            if other is None:
                continue
            self.exercise(name, ids)
            if complete[params].keys() != other.keys()[::-1]:
                self.report(
                    name,
                    f"{self.shown(params)} is not {self.shown(other_params)} reversed",
                    Attribution(ids, f"{declared}: the declared reversal"),
                    self.relation("reverse", [params, other_params]),
                )
                return

    def case_equivalent(self, complete: Mapping[Params, Result]) -> None:
        named = {f.parameter: f for f in self.resource.filters}
        groups: dict[tuple[Params, str, str], list[Result]] = {}
        for params, result in complete.items():
            given = [(k, v) for k, v in params if k in named]
            if len(given) != 1:
                continue
            (name, value), rest = given[0], tuple(p for p in params if p[0] != given[0][0])
            each = named[name]
            if not each.compares_as_is:  # values it takes for equal find the same items
                groups.setdefault((rest, name, each.key(value)), []).append(result)
            elif each.match == "equals":
                groups.setdefault((rest, name, "\0equals"), []).append(result)
        for (_, name, folded), results in groups.items():
            ids = self.explainer.filter_ids(named[name])
            if len(results) < 2:
                continue
            self.exercise("case-equivalent", ids)
            first, *others = results
            for other in others:
                if folded == "\0equals":
                    if set(first.keys()) & set(other.keys()):
                        self.report(
                            "case-equivalent",
                            f"{self.shown(first.params)} and {self.shown(other.params)} find "
                            "items in common, which an exact filter cannot",
                            Attribution(ids, "the filter compares exactly"),
                            self.relation("disjoint", [first.params, other.params]),
                        )
                        return
                elif sorted(first.keys()) != sorted(other.keys()):
                    self.report(
                        "case-equivalent",
                        f"{self.shown(first.params)} and {self.shown(other.params)} find other "
                        "items, though case folding makes the values equal",
                        Attribution(ids, "the filter compares after case folding"),
                        self.relation("permutation", [first.params, other.params]),
                    )
                    return

    def page_holds_matches(self) -> None:
        """An item seen anywhere that a query matches, and that sorts strictly between the
        first and the last item of a page of that query, is on that page."""
        resource, rule = self.resource, self.resource.sorting
        if rule is None:
            return
        named = {f.parameter for f in resource.filters}
        for params, result in self.results.items():
            given = dict(params)
            field_value = given.get(rule.field)
            if field_value is None and rule.default_order != "tie-breaker":
                continue
            if field_value is not None and field_value not in rule.fields:
                continue
            filters = {k: v for k, v in given.items() if k in named}
            direction = given.get(rule.direction, resource.default(rule.direction))
            candidates = [
                item for item, _ in self.items.values() if resource.matches(filters, item)
            ]
            for offset, length, answer in result.pages:
                if length < 2:
                    continue
                page = [result.positions.get(i) for i in range(offset, offset + length)]
                on_page = {k for k in page if k is not None}
                ordered = rule.order(
                    [*candidates, *(self.items[k][0] for k in on_page if k in self.items)],
                    field_value,
                    direction,
                )
                keys = [str(item[resource.detail.key]) for item in ordered]
                keys = list(dict.fromkeys(keys))
                if page[0] not in keys or page[-1] not in keys:
                    continue
                inside = keys[keys.index(str(page[0])) + 1 : keys.index(str(page[-1]))]
                missing = [k for k in inside if k not in on_page]
                touched = {
                    *self.explainer.sort_ids(given),
                    *(i for f in resource.filters if f.parameter in filters
                      for i in self.explainer.filter_ids(f)),
                }  # fmt: skip
                self.exercise("page-holds-matches", ())  # it can leave rules undecided, no more
                if missing:
                    self.report(
                        "page-holds-matches",
                        f"#{answer}: {missing[0]!r} (listed in #{self.items[missing[0]][1]}) "
                        f"matches {self.shown(params)} and sorts inside its page at {offset}, "
                        "but is not on it",
                        Attribution(
                            (),
                            "no one rule says whether the filter, the order or the page is wrong",
                            tuple(sorted(touched)),
                        ),
                        self.relation("holds", [params], missing[0]),
                    )
                    return

    def detail_equals_entry(self) -> None:
        for key, (detail, answer) in self.details.items():
            listed = self.items.get(key)
            if listed is None:
                continue
            self.exercise("detail-equals-entry", ())
            if detail is NOT_FOUND:
                problems = [f"404 for {key!r}, which #{listed[1]} lists"]
            else:
                problems = list(detail_problems(self.resource, key, detail, listed[0]))
            if problems:
                entry, resource = listed[0], self.resource
                declared = [n for n in resource.item_schema.get("properties") or {} if n in entry]
                path = detail_path(resource, key)
                values = {name: entry[name] for name in declared}
                self.report(
                    "detail-equals-entry",
                    f"#{answer}: {problems[0]}",
                    Attribution(explanation="a listed item has its detail, equal to its entry"),
                    Expectation(path, statuses=(200,), item=(resource.detail.item, values)),
                    self.base_url + path,
                )
                return

"""The coverage map of a conformance run: which parts of the contract its requests and
responses exercised, read from the exchanges themselves (the property checks', schemathesis's
HAR, recorded traffic), so that a pass over a server holding one item cannot pass for a
thorough one. Every target comes from the spec: documented statuses, parameter schemas and
the behaviour declarations. A target that no request can reach (an empty path segment, a tie
when sorting by the tie-breaker, an assumption no check covers) is no target."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from contract.conformance._contract import Contract, Operation, Subject, below
from contract.conformance._edits import Covered, cell_name
from contract.conformance._har import Exchange
from contract.conformance._rules import parameter_allows
from contract.conformance._verdicts import CONTRADICTED, HELD, NOT_CHECKABLE, Verdict
from contract.errors import UsageError
from contract.spec.declarations import Filter, Item, member
from contract.spec.parameter_values import read_parameter

CATEGORIES: Final = (
    "statuses", "parameters", "filters", "sorting", "paging", "near misses", "assumptions",
)  # fmt: skip
GATE_VARIABLE: Final = "MIN_COVERAGE"
Accepts = Callable[[str], bool]


@dataclass(frozen=True)
class Target:
    """One thing a run may exercise, and why it was not when it was not."""

    category: str
    where: str  # the operation, parameter, filter or resource it belongs to
    name: str
    exercised: bool
    why: str = ""

    def __str__(self) -> str:
        return f"{self.category}: {self.where} {self.name}" + (f" ({self.why})" if self.why else "")


@dataclass(frozen=True)
class CoverageMap:
    targets: tuple[Target, ...]
    requests: int = 0  # the exchanges the map was made from
    digest: str = ""  # of their requests (method, path and query), in order: same run, same digest
    uncheckable: int = 0  # assumptions no check can contradict: no target, said below the table

    def counts(self, category: str | None = None) -> tuple[int, int]:
        chosen = [t for t in self.targets if category is None or t.category == category]
        return sum(t.exercised for t in chosen), len(chosen)

    def percent(self, category: str | None = None) -> float:
        done, total = self.counts(category)
        return 100.0 * done / total if total else 100.0

    def missed(self, category: str | None = None) -> list[Target]:
        return [t for t in self.targets if not t.exercised and category in (None, t.category)]

    def shown(self) -> list[str]:
        """The categories that have targets (recorded traffic has no near misses, say): a
        category of none would show 100 % of nothing."""
        return [c for c in CATEGORIES if any(t.category == c for t in self.targets)]

    def table(self) -> list[str]:
        """The short table printed at the end of a run."""
        lines = [f"{'Coverage':<13} {'exercised':>9} {'of':>5} {'%':>6}"]
        for category in (*self.shown(), None):
            done, total = self.counts(category)
            lines.append(
                f"{category or 'all':<13} {done:>9} {total:>5} {self.percent(category):>5.1f}%"
            )
        if self.uncheckable:
            lines.append(
                f"  ({self.uncheckable} not checkable assumption(s), which no answer can "
                "contradict, are no target)"
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": {"count": self.requests, "sha256": self.digest},
            "summary": {
                category or "all": {
                    "exercised": self.counts(category)[0],
                    "targets": self.counts(category)[1],
                    "percent": round(self.percent(category), 1),
                }
                for category in (*CATEGORIES, None)
            },
            "targets": [dataclasses.asdict(t) for t in self.targets],
        }

    def markdown(self) -> str:
        lines = ["# Coverage of the contract", "", "| Category | Exercised | Targets | % |"]
        lines.append("|---|---:|---:|---:|")
        for category in (*self.shown(), None):
            done, total = self.counts(category)
            lines.append(
                f"| {category or 'all'} | {done} | {total} | {self.percent(category):.1f} |"
            )
        for category in self.shown():
            lines += ["", f"## {category}", "", "| Where | Target | Exercised | Why not |"]
            lines.append("|---|---|---|---|")
            for t in (t for t in self.targets if t.category == category):
                cells = (t.where, t.name, "yes" if t.exercised else "no", t.why)
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines) + "\n"

    def write(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        as_json, as_markdown = folder / "coverage.json", folder / "coverage.md"
        as_json.write_text(json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n", "utf-8")
        as_markdown.write_text(self.markdown(), "utf-8")
        return as_json, as_markdown


def parse_gate(text: str) -> dict[str, float]:
    """MIN_COVERAGE: a percentage for every category (`90`), per category
    (`statuses=100,paging=75`), or both (`90,paging=100`); UsageError when unreadable."""
    minimum: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.rpartition("=")
        names = [name] if name else list(CATEGORIES)
        if name and name not in CATEGORIES:
            raise UsageError(
                f"{GATE_VARIABLE}: no category {name!r} (one of {', '.join(CATEGORIES)})"
            )
        try:
            percent = float(value)
        except ValueError:
            percent = -1.0
        if not 0 <= percent <= 100:
            raise UsageError(f"{GATE_VARIABLE}: {part!r} is no percentage from 0 to 100")
        minimum |= dict.fromkeys(names, percent)
    return minimum


def shortfalls(coverage: CoverageMap, minimum: Mapping[str, float]) -> list[str]:
    """Why the map falls short of the gate: per category under its minimum, what was not
    exercised and why."""
    lines = []
    for category, wanted in minimum.items():
        got = coverage.percent(category)
        if got + 1e-9 < wanted:
            lines.append(f"{category}: {got:.1f}% < {wanted:g}%; not exercised:")
            lines += [f"  {t.where} {t.name}: {t.why}" for t in coverage.missed(category)]
    return lines


# -- targets of one parameter --------------------------------------------------------------


def integer(schema: Mapping[str, Any]) -> Callable[[int], Accepts]:
    def equals(wanted: int) -> Accepts:
        def accepts(raw: str) -> bool:
            try:
                return bool(read_parameter(schema, raw) == wanted)
            except ValueError:
                return False

        return accepts

    return equals


def parameter_targets(schema: Mapping[str, Any], in_path: bool) -> list[tuple[str, Accepts]]:
    """(target, whether a sent value hits it): a valid value, each bound and one past it, the
    empty and the too long value, each enum value."""
    found: list[tuple[str, Accepts]] = [
        ("a valid value", lambda raw: parameter_allows(schema, raw))
    ]
    if schema.get("type") == "integer":
        equals = integer(schema)
        for keyword, step, past in (("minimum", -1, "below"), ("maximum", 1, "above")):
            bound = schema.get(keyword)
            if isinstance(bound, int):
                found += [
                    (f"{keyword} {bound}", equals(bound)),
                    (f"{past} {keyword} {bound + step}", equals(bound + step)),
                ]
    for value in schema.get("enum") or []:
        found.append((f"enum value {value}", str(value).__eq__))
    if schema.get("type") == "string" and "enum" not in schema:
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int) and low >= 1 and not in_path:
            found.append(("empty", "".__eq__))
        if isinstance(low, int) and low > 1:
            found.append((f"minLength {low}", lambda raw: len(raw) == low))
        if isinstance(high, int):
            found += [
                (f"maxLength {high}", lambda raw: len(raw) == high),
                (f"too long ({high + 1}+ characters)", lambda raw: len(raw) > high),
            ]
    return found


# -- what the exchanges showed ----------------------------------------------------------------


@dataclass
class ListFacts:
    """What the 200 answers of one list operation showed."""

    largest_total: int = 0
    pages: set[str] = field(default_factory=set)  # first | middle | last | past
    filters: dict[str, set[str]] = field(default_factory=dict)  # parameter -> what it did
    sorted_pages: set[tuple[str, str, bool]] = field(default_factory=set)  # field, direction, tie
    seen: dict[str, set[str]] = field(default_factory=dict)  # property -> values seen

    def remember(self, items: Sequence[Item]) -> None:
        for item in items:
            for name, value in item.items():
                values = self.seen.setdefault(name, set())
                if len(values) < 10_000:
                    values.add(str(value))


@dataclass
class CoverageTracker:
    """Fed every exchange of a run (`observe`), gives its coverage map (`coverage`)."""

    contract: Contract
    base_path: str  # the path of the base URL the run sent its requests to
    operations: tuple[Operation, ...] = field(init=False)
    statuses: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    hits: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    lists: dict[str, ListFacts] = field(default_factory=dict)
    requests: int = 0
    _digest: Any = field(default_factory=hashlib.sha256, repr=False)
    # (path template, location, name) -> the parameter's targets, worked out once
    parameters: dict[tuple[str, str, str], list[tuple[str, Accepts]]] = field(init=False)

    def __post_init__(self) -> None:
        self.base_path = self.base_path.rstrip("/")
        self.operations = self.contract.operations
        self.parameters = {
            (operation.template, location, name): parameter_targets(
                parameter.get("schema") or {}, location == "path"
            )
            for operation in self.operations
            for location in ("path", "query")
            for name, parameter in operation.parameters(location).items()
        }

    def match(self, exchange: Exchange) -> tuple[Operation, dict[str, str]] | None:
        local = below(self.base_path, exchange.path)
        operation, values, _ = self.contract.route(exchange.method, local or "")
        return None if local is None or operation is None else (operation, values)

    def observe(self, exchange: Exchange) -> None:
        self.requests += 1
        split = urlsplit(exchange.url)  # path and query: the same on any host or port
        relative = split.path.removeprefix(self.base_path) + f"?{split.query}"
        self._digest.update(f"{exchange.method} {relative}\n".encode())
        found = self.match(exchange)
        if found is None:
            return
        operation, path_values = found
        self.statuses.setdefault((operation.method, operation.template), set()).add(exchange.status)
        if exchange.status == 401:
            return  # the server did not get to the parameters
        sent = [("path", name, value) for name, value in path_values.items()]
        sent += [("query", name, value) for name, value in exchange.query]
        for location, name, value in sent:
            key = (operation.template, location, name)
            for target, accepts in self.parameters.get(key, ()):
                if target not in self.hits.get(key, ()) and accepts(value):
                    self.hits.setdefault(key, set()).add(target)
        if exchange.status == 200 and operation.subject is not None:
            self.observe_answer(operation, exchange)

    def observe_answer(self, operation: Operation, exchange: Exchange) -> None:
        subject = operation.subject
        assert subject is not None
        resource = subject.resource
        facts = self.lists.setdefault(resource.name, ListFacts())
        try:
            body = exchange.json()
            if operation.kind == "detail":
                item = member(body, resource.detail.item)
                facts.remember([item] if isinstance(item, dict) else [])
                return
            if operation.kind != "list":
                return
            items, total = (
                member(body, resource.paging.results),
                member(body, resource.paging.total),
            )
        except (ValueError, KeyError, TypeError):
            return
        if not isinstance(items, list) or not isinstance(total, int):
            return
        items = [item for item in items if isinstance(item, dict)]
        facts.remember(items)
        query = dict(exchange.query)
        facts.largest_total = max(facts.largest_total, total)
        facts.pages |= page_kinds(subject, query, len(items), total)
        given = [f for f in resource.filters if f.parameter in query]
        for each in given:
            # Matching nothing is this filter's doing only when no other filter was given.
            kinds = set(filter_kinds(each, query[each.parameter], items, total))
            if len(given) > 1:
                kinds.discard("matches nothing")
            facts.filters.setdefault(each.parameter, set()).update(kinds)
        if len(resource.filters) > 1 and all(f.parameter in query for f in resource.filters):
            facts.filters.setdefault("", set()).add("matches" if total else "matches nothing")
        sorting = resource.sorting
        if sorting is not None and len(items) >= 2:
            chosen = query.get(sorting.field, "")
            direction = query.get(sorting.direction, resource.default(sorting.direction))
            prop = sorting.fields.get(chosen)
            if chosen and prop is None:
                return
            values = [str(item.get(prop)) for item in items] if prop else []
            facts.sorted_pages.add((chosen, str(direction), len(set(values)) < len(values)))

    # -- the map ----------------------------------------------------------------------------

    def coverage(
        self, found: Sequence[Verdict] = (), near_misses: Mapping[str, Covered] | None = None
    ) -> CoverageMap:
        """The map; `found` gives the assumptions' targets, `near_misses` the cells of the
        edit grammar each parameter and credential part allowed and was probed with."""
        targets: list[Target] = []
        for operation in self.operations:
            targets += self.status_targets(operation)
        for operation in self.operations:
            targets += self.parameter_targets(operation)
        served = {o.subject.resource.name: o.subject for o in self.operations if o.subject}
        for subject in served.values():
            facts = self.lists.get(subject.resource.name, ListFacts())
            targets += filter_targets(subject, facts)
            targets += sorting_targets(subject, facts)
            targets += paging_targets(subject, facts)
        for where, covered in sorted((near_misses or {}).items()):
            for cell in sorted(covered.possible):
                hit = cell in covered.sent
                why = "" if hit else "each value drawn for it had been sent for another cell"
                targets.append(Target("near misses", where, cell_name(cell), hit, why))
        for verdict in (v for v in found if v.status != NOT_CHECKABLE):  # no check can reach those
            checked = verdict.status in (HELD, CONTRADICTED)
            why = "" if checked else verdict.detail
            targets.append(Target("assumptions", verdict.assumption, "checked", checked, why))
        uncheckable = sum(v.status == NOT_CHECKABLE for v in found)
        return CoverageMap(tuple(targets), self.requests, self._digest.hexdigest(), uncheckable)

    def status_targets(self, operation: Operation) -> Iterator[Target]:
        seen = self.statuses.get((operation.method, operation.template), set())
        where = f"{operation.method} {operation.template}"
        for status in operation.spec.get("responses") or {}:
            if str(status).isdigit():
                hit = int(status) in seen
                why = (
                    ""
                    if hit
                    else ("no request reached the operation" if not seen else "no answer had it")
                )
                yield Target("statuses", where, str(status), hit, why)

    def parameter_targets(self, operation: Operation) -> Iterator[Target]:
        for key, found in self.parameters.items():
            template, _, name = key
            if template != operation.template:
                continue
            hits = self.hits.get(key, set())
            where = f"{operation.method} {template} {name}"
            for target, _accepts in found:
                why = "" if target in hits else "never sent"
                yield Target("parameters", where, target, target in hits, why)


def page_kinds(subject: Subject, query: Mapping[str, str], length: int, total: int) -> set[str]:
    """Which pages of its result an answer was: first, middle, last, past the last."""
    name = subject.resource.paging.offset
    try:
        offset = int(query.get(name, subject.resource.default(name) or 0))
    except ValueError:
        return set()
    kinds = set()
    if length and offset == 0:
        kinds.add("first")
    if length and offset > 0 and offset + length < total:
        kinds.add("middle")
    if length and offset > 0 and offset + length == total:
        kinds.add("last")
    if not length and 0 < total <= offset:
        kinds.add("past")
    return kinds


def filter_kinds(each: Filter, value: str, items: Sequence[Item], total: int) -> Iterator[str]:
    yield "matches" if total else "matches nothing"
    if total and not value.isascii():
        yield "non-ASCII value matches"
    if each.casefolds:
        exact = dataclasses.replace(each, case="sensitive")
        texts = [str(item.get(each.property_name)) for item in items]
        if any(each.matches(value, t) and not exact.matches(value, t) for t in texts):
            yield "matches in another case only"
    if each.normalization == "canonical":
        as_is = dataclasses.replace(each, normalization="none")
        texts = [str(item.get(each.property_name)) for item in items]
        if any(each.matches(value, t) and not as_is.matches(value, t) for t in texts):
            yield "matches in another normal form only"


def filter_targets(subject: Subject, facts: ListFacts) -> Iterator[Target]:
    resource = subject.resource
    for each in resource.filters:
        done = facts.filters.get(each.parameter, set())
        values = facts.seen.get(each.property_name, set())
        kinds = {
            "matches": f"no request gave {each.parameter} a value some item matched",
            "matches nothing": f"no request gave {each.parameter} alone a value no item matched",
            "non-ASCII value matches": (
                f"no item seen has a {each.property_name} with a non-ASCII character"
                if all(v.isascii() for v in values)
                else f"no request sent a non-ASCII {each.parameter} that matched"
            ),
        }
        if each.casefolds:
            kinds["matches in another case only"] = (
                f"no item seen has a {each.property_name} with a letter that has another case"
                if all(v.swapcase() == v for v in values)
                else f"no request sent a {each.parameter} in another case than the item's"
            )
        if each.normalization == "canonical":
            kinds["matches in another normal form only"] = (
                f"no item seen has a {each.property_name} that another normal form writes otherwise"
                if all(unicodedata.normalize("NFD", v) == v for v in values)
                else f"no request sent a {each.parameter} in another normal form than the item's"
            )
        where = f"{resource.name} {each.parameter} ({each.match}, {each.case})"
        for kind, why in kinds.items():
            yield Target("filters", where, kind, kind in done, "" if kind in done else why)
    if len(resource.filters) > 1:
        done = facts.filters.get("", set())
        together = " + ".join(f.parameter for f in resource.filters)
        where = f"{resource.name} {together} ({resource.combine})"
        for kind in ("matches", "matches nothing"):
            why = "" if kind in done else "no request gave every filter at once with such values"
            yield Target("filters", where, f"all at once, {kind}", kind in done, why)


def sorting_targets(subject: Subject, facts: ListFacts) -> Iterator[Target]:
    """Each sort field (and none) in each direction, on a page of two or more items; with a
    tie and without one where a tie can happen (not when sorting by the tie-breaker)."""
    resource, sorting = subject.resource, subject.resource.sorting
    if sorting is None:
        return
    items_seen = len(facts.seen.get(resource.detail.key, ()))
    for chosen in [*sorting.fields, ""]:
        prop = sorting.fields.get(chosen)
        for direction in (sorting.ascending, sorting.descending):
            shown = f"{sorting.field}={chosen or '(none)'} {sorting.direction}={direction}"
            where = f"{resource.name} {shown}"
            # A unique property (the tie-breaker among them) can have no tie.
            untied = prop is None or prop == sorting.tie_breaker or prop in resource.unique
            for tie in [False] if untied else [False, True]:
                hit = (chosen, direction, tie) in facts.sorted_pages
                why = "" if hit else "no page of two or more items was sorted so"
                if not hit and tie and prop is not None:
                    shared = len(facts.seen.get(prop, ())) < items_seen
                    why = (
                        f"no page sorted so held two items with the same {prop}"
                        if shared
                        else f"no two items seen share a {prop}"
                    )
                name = "with a tie" if tie else "without a tie" if prop is not None else "a page"
                yield Target("sorting", where, name, hit, why)


def paging_targets(subject: Subject, facts: ListFacts) -> Iterator[Target]:
    resource = subject.resource
    few = facts.largest_total
    reasons = {
        "first": "no request asked for the first page of a result with items",
        "middle": (
            f"the server held at most {few} matching item(s): no page lies between the "
            "first and the last"
            if few < 3
            else "no request asked for a page between the first and the last"
        ),
        "last": (
            f"the server held at most {few} matching item(s): the first page is the last"
            if few < 2
            else "no request asked for a page after the first that ends at the last match"
        ),
        "past": "the server held no item"
        if few == 0
        else "no request asked for a page past the last",
    }
    names = {
        "first": "first page",
        "middle": "a middle page",
        "last": "last page",
        "past": "past the last page",
    }
    for kind, why in reasons.items():
        hit = kind in facts.pages
        yield Target("paging", resource.name, names[kind], hit, "" if hit else why)


def coverage_of(
    exchanges: Iterable[Exchange], contract: Contract, base_path: str, found: Sequence[Verdict] = ()
) -> CoverageMap:
    tracker = CoverageTracker(contract, base_path)
    for exchange in exchanges:
        tracker.observe(exchange)
    return tracker.coverage(found)

"""Judge traffic that real clients and servers exchanged (a HAR file) against the spec: each
exchange's request (a documented operation, parameters per schema and per `x-query-policy`),
its response (documented status, content type, headers, body schema) and the behaviour the
declarations promise, within one answer (the rules of _rules.py, shared with the property
checks) and across answers (every page of one query is a window onto one ordered list with
one total; a detail equals the listed item; an item seen anywhere that a fully paged query
matches is in its result).

Findings are property-check findings (`Finding`, labelled `<check> <Resource>`), so the
verdicts by assumption and the JUnit report are those of `make conformance`."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from contract.conformance._har import Exchange
from contract.conformance._rules import (
    basic_challenge,
    detail_problems,
    effective,
    page_problems,
    parameter_allows,
    schema_error,
)
from contract.conformance._verdicts import HELD, NOT_CHECKED, Verdict, covered, verdicts
from contract.conformance.properties import (
    SHAPE,
    Finding,
    Subject,
    label,
    page_problem,
    subjects,
)
from contract.spec.client_view import client_view
from contract.spec.declarations import Item, member, response_schema
from contract.spec.source import read_yaml, server_prefix

UNTRIED = "no exchange tried it"
# Checks of traffic that speak for no declaration: their findings name no assumption.
REQUEST, RESPONSE = "request", "response"
NOT_FOUND = object()  # what a detail answered with 404 is remembered as
# The property checks whose rules traffic can exercise (the oracle and the hostile strings
# choose their own requests; a 5xx in traffic is an undocumented status of `response`).
TRAFFIC_CHECKS = ("auth", "paging", "sorting", "filters", "query-policy", "detail", "parameters")


def redacted(url: str) -> str:
    """`url` without user:password@."""
    split = urlsplit(url)
    host = split.netloc.rsplit("@", 1)[-1]
    return urlunsplit((split.scheme, host, split.path, split.query, split.fragment))


def template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "".join(
            f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
            for part in parts
        )
        + "$"
    )


def requires_credentials(requirements: Any) -> bool:
    """Whether security requirements demand credentials: some are listed and none is the
    empty one (`{}`), which lets a request in without any."""
    return isinstance(requirements, list) and bool(requirements) and all(requirements)


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: Mapping[str, Any]  # the operation, as a client sees it (references inlined)
    subject: Subject | None
    kind: str  # list | detail | other
    secured: bool  # whether the operation requires credentials (its own or the document's)

    @cached_property
    def by_location(self) -> dict[str, dict[str, Mapping[str, Any]]]:
        """The operation's parameters by location and name, worked out once (the proxy asks
        for every exchange)."""
        found: dict[str, dict[str, Mapping[str, Any]]] = {"query": {}, "path": {}}
        for parameter in self.spec.get("parameters") or []:
            if isinstance(parameter, dict):
                location = found.setdefault(str(parameter.get("in")), {})
                location[str(parameter["name"])] = parameter
        return found

    def parameters(self, location: str) -> dict[str, Mapping[str, Any]]:
        return self.by_location.get(location, {})


def below(prefix: str, path: str) -> str | None:
    """`path` relative to the API's `prefix` ("/" for the prefix itself), or None when the
    request went elsewhere."""
    if not (path == prefix or path.startswith(prefix + "/")):
        return None
    return path[len(prefix) :] or "/"


def route(
    operations: Sequence[Operation], method: str, local: str
) -> tuple[Operation | None, dict[str, str], bool]:
    """The operation of `method` at the (percent-encoded) path `local`, with the decoded
    values of its path parameters, and whether any operation has that path at all."""
    matched = [(o, hit) for o in operations if (hit := o.pattern.match(local)) is not None]
    for operation, hit in matched:
        if operation.method == method:
            return operation, {k: unquote(v) for k, v in hit.groupdict().items()}, True
    return None, {}, bool(matched)


def spec_operations(spec_path: Path) -> tuple[str, list[Operation]]:
    """The spec's server path and its operations, each with the resource it serves."""
    document = read_yaml(spec_path)
    view = client_view(document)
    by_path: dict[str, tuple[Subject | None, str]] = {}
    for served in subjects(spec_path):
        by_path[served.resource.path] = (served, "list")
        by_path[served.resource.detail.path] = (served, "detail")
    found = []
    for template, item in (view.get("paths") or {}).items():
        for method, operation in (item or {}).items():
            if not isinstance(operation, dict) or method.startswith("x-"):
                continue
            subject, kind = by_path.get(template, (None, "other"))
            found.append(
                Operation(
                    method.upper(),
                    template,
                    template_pattern(template),
                    operation,
                    subject,
                    kind,
                    requires_credentials(operation.get("security", view.get("security"))),
                )
            )
    return server_prefix(document), found


@dataclass
class Query:
    """What the traffic showed of one list query (its filters and sort, any page): the total
    and which key stands at which position of its ordered result."""

    total: int
    first: int  # the exchange that gave the total
    positions: dict[int, tuple[Any, int]] = field(default_factory=dict)  # position -> key, index
    where: dict[Any, int] = field(default_factory=dict)  # key -> position
    filters: dict[str, str] = field(default_factory=dict)


@dataclass
class TrafficJudge:
    """Judges exchanges one at a time, remembering what later exchanges are compared with."""

    spec_path: Path
    base_path: str | None = None  # the path prefix of the traffic to judge; the spec's by default
    findings: list[Finding] = field(default_factory=list)  # the first of each rule
    shapes: list[tuple[str, str]] = field(default_factory=list)  # the rule of each finding
    repeats: dict[tuple[str, str], int] = field(default_factory=dict)  # more of each rule
    latest: list[Finding] = field(default_factory=list)  # of the last exchange judged
    exercised: set[str] = field(default_factory=set)  # check labels
    assumptions: set[str] = field(default_factory=set)  # the assumptions those tried
    tried: set[tuple[str, frozenset[str] | None]] = field(default_factory=set)
    judged: int = 0
    skipped: int = 0
    prefix: str = field(init=False)
    operations: list[Operation] = field(init=False)
    subjects: list[Subject] = field(init=False)
    queries: dict[tuple[str, tuple[tuple[str, str], ...]], Query] = field(default_factory=dict)
    items: dict[tuple[str, str], tuple[Item, int]] = field(default_factory=dict)  # listed
    details: dict[tuple[str, str], tuple[Any, int]] = field(default_factory=dict)  # fetched

    def __post_init__(self) -> None:
        spec_prefix, self.operations = spec_operations(self.spec_path)
        self.subjects = []
        for operation in self.operations:
            if operation.subject and all(operation.subject is not s for s in self.subjects):
                self.subjects.append(operation.subject)
        self.prefix = (self.base_path if self.base_path is not None else spec_prefix).rstrip("/")

    # -- reporting -----------------------------------------------------------------------

    def report(
        self, check: str, subject: Subject | None, exchange: Exchange, expected: str, got: str
    ) -> None:
        where = label(check, subject) if subject is not None else check
        message = (
            f"#{exchange.index} {exchange.method} {redacted(exchange.url)}: "
            f"expected {expected}; got {got}"
        )
        self.add(Finding(where, message, replay(exchange)), expected)

    def add(self, finding: Finding, rule: str) -> None:
        """Keep the first finding of each rule (what was expected, values left out) and count
        the others, so memory stays flat however much traffic breaks the rule."""
        self.latest.append(finding)
        shape = (finding.check, SHAPE.sub("#", rule))
        if shape in self.repeats:
            self.repeats[shape] += 1
            return
        self.repeats[shape] = 0
        self.findings.append(finding)
        self.shapes.append(shape)

    def exercise(self, check: str, subject: Subject | None, names: set[str] | None = None) -> None:
        """Note that traffic tried a check, and the assumptions it tried: those of the
        parameters `names` (all the check speaks for when None)."""
        if subject is not None:
            where = label(check, subject)
            self.exercised.add(where)
            tried = (where, None if names is None else frozenset(names))
            if tried not in self.tried:
                self.tried.add(tried)
                self.assumptions |= covered(check, subject, names)

    # -- one exchange --------------------------------------------------------------------

    def judge(self, exchange: Exchange) -> None:
        """Judge one exchange; what it broke is in `latest` afterwards."""
        self.latest = []
        local = below(self.prefix, exchange.path)
        if local is None:
            self.skipped += 1
            return
        self.judged += 1
        operation, path_values, known = route(self.operations, exchange.method, local)
        if operation is None:
            what = "a method the path documents" if known else "a documented path"
            self.report(REQUEST, None, exchange, what, f"{exchange.method} {local}")
            return
        valid = self.judge_request(operation, exchange, path_values)
        self.judge_response(operation, exchange, valid, path_values)

    def judge_request(
        self, operation: Operation, exchange: Exchange, path_values: Mapping[str, str]
    ) -> bool:
        """Whether the spec allows the request; the status it must then get is judged."""
        subject = operation.subject
        query = exchange.query
        names = [name for name, _ in query]
        defined = operation.parameters("query")
        problems: list[tuple[str, str, str]] = []  # (check, parameter, why it is invalid)
        for name, parameter in defined.items():
            if parameter.get("required") and name not in names:
                problems.append(("parameters", name, f"{name} is required"))
        in_path = operation.parameters("path")
        given = [*((n, v, defined.get(n)) for n, v in query)]
        given += [(n, v, in_path.get(n)) for n, v in path_values.items()]
        for name, value, declared in given:
            if declared is not None and not parameter_allows(declared.get("schema") or {}, value):
                problems.append(("parameters", name, f"{name}={value[:40]!r} breaks its schema"))
        resource = subject.resource if subject is not None and operation.kind == "list" else None
        if resource is not None:
            unknown = [name for name in names if name not in defined]
            repeated = sorted({name for name in names if name in defined and names.count(name) > 1})
            if unknown or repeated:
                self.exercise("query-policy", subject)
            if unknown and resource.policy.unknown == "reject":
                name = unknown[0]
                problems.append(("query-policy", name, f"{name} is no defined parameter"))
            if repeated and resource.policy.repeated == "reject":
                name = repeated[0]
                problems.append(("query-policy", name, f"{name} is given more than once"))
        if operation.secured and not exchange.request_header("authorization"):
            self.exercise("auth", subject)
            if exchange.status != 401:
                self.report("auth", subject, exchange, "401 without credentials", status(exchange))
            return False
        if problems:
            check, name, why = problems[0]
            self.exercise(check, subject, {name})
            if exchange.status not in (400, 401):
                self.report(check, subject, exchange, f"400, because {why}", status(exchange))
            return False
        if exchange.status == 400:
            self.exercise("parameters", subject, set())
            self.report(
                "parameters", subject, exchange, "no 400 for a request the spec allows", "400"
            )
        return True

    def judge_response(
        self,
        operation: Operation,
        exchange: Exchange,
        valid: bool,
        path_values: Mapping[str, str],
    ) -> None:
        subject = operation.subject
        responses = operation.spec.get("responses") or {}
        documented = responses.get(str(exchange.status)) or responses.get("default")
        if documented is None:
            statuses = ", ".join(sorted(str(s) for s in responses))
            expected = f"a documented status ({statuses})"
            self.report(RESPONSE, subject, exchange, expected, status(exchange))
            return
        if exchange.status == 401:
            self.exercise("auth", subject)
            if not basic_challenge(exchange.response_header("www-authenticate")):
                self.report(
                    "auth", subject, exchange, "a WWW-Authenticate Basic challenge with the 401",
                    repr(", ".join(exchange.response_header("www-authenticate"))),
                )  # fmt: skip
        for name, header in (documented.get("headers") or {}).items():
            required = isinstance(header, dict) and header.get("required")
            if required and not exchange.response_header(name):
                self.report(RESPONSE, subject, exchange, f"the {name} header", "none")
        content = documented.get("content") or {}
        if not content:
            return
        if exchange.content_type not in content:
            media = ", ".join(content)
            got = repr(exchange.content_type)
            self.report(RESPONSE, subject, exchange, f"a body of {media}", got)
            return
        schema = response_schema(operation.spec, exchange.status) or {}
        try:
            body = exchange.json()
        except ValueError:
            self.report(RESPONSE, subject, exchange, "a JSON body", "a body that is no JSON")
            return
        error = schema_error(schema, body)
        if error is not None:
            self.report(RESPONSE, subject, exchange, "a body of the documented schema", error)
            return
        if subject is None or not valid:
            return
        if operation.kind == "list" and exchange.status == 200:
            self.judge_page(subject, exchange, body)
        elif operation.kind == "detail" and exchange.status in (200, 404):
            asked = path_values.get(subject.resource.detail.parameter, "")
            self.judge_detail(subject, exchange, body, asked)

    # -- behaviour -----------------------------------------------------------------------

    def judge_page(self, subject: Subject, exchange: Exchange, body: Any) -> None:
        resource = subject.resource
        try:
            items = member(body, resource.paging.results)
            total = member(body, resource.paging.total)
        except (KeyError, TypeError, IndexError):
            self.report("paging", subject, exchange, "the declared results and total", "none")
            return
        # The whole body was validated against its schema already.
        problem = page_problem(resource, items, total, validate_items=False)
        if problem is not None:
            self.report("paging", subject, exchange, "a page of items and a total", problem)
            return
        query = {name: value for name, value in exchange.query if name in resource.parameters}
        self.exercise("paging", subject)
        filtered = {f.parameter for f in resource.filters if f.parameter in query}
        if filtered:
            self.exercise("filters", subject, filtered)
        if resource.sorting is not None and resource.sorting.field in query:
            self.exercise("sorting", subject, {resource.sorting.field, resource.sorting.direction})
        for check, why in page_problems(resource, query, items, total):
            self.report(check, subject, exchange, "the page the declarations promise", why)
        for item in items:
            self.remember(subject, exchange, item)
        self.place(subject, exchange, query, items, total)

    def place(
        self,
        subject: Subject,
        exchange: Exchange,
        query: Mapping[str, str],
        items: Sequence[Item],
        total: int,
    ) -> None:
        """Put the page's items at their positions of the query's ordered result."""
        resource = subject.resource
        paging = {resource.paging.offset, resource.paging.step}
        kept = tuple(sorted((k, v) for k, v in query.items() if k not in paging))
        if resource.sorting is not None and resource.sorting.field not in query:
            # Without a sort field the direction may be ignored: it joins the key only when not.
            kept = tuple(
                (k, v)
                for k, v in kept
                if k != resource.sorting.direction
                or resource.sorting.direction_without_field != "ignored"
            )
        key = (resource.name, kept)
        known = self.queries.get(key)
        if known is None:
            named = {f.parameter for f in resource.filters}
            filters = {k: v for k, v in query.items() if k in named}
            known = self.queries[key] = Query(total, exchange.index, filters=filters)
        elif known.total != total:
            self.report(
                "paging", subject, exchange,
                f"the total of #{known.first}, {known.total}, for the same query", str(total),
            )  # fmt: skip
        offset = int(effective(resource, query, resource.paging.offset) or 0)
        for position, item in enumerate(items, start=offset):
            item_key = item[resource.detail.key]
            placed = known.positions.get(position)
            if placed is not None and placed[0] != item_key:
                self.report(
                    "paging", subject, exchange,
                    f"{placed[0]!r} at position {position}, as #{placed[1]} of this query had it",
                    repr(item_key),
                )  # fmt: skip
                return
            elsewhere = known.where.get(item_key, position)
            if elsewhere != position:
                self.report(
                    "paging", subject, exchange, "each item once in the pages of one query",
                    f"{item_key!r} at positions {elsewhere} and {position}",
                )  # fmt: skip
                return
            known.positions[position] = (item_key, exchange.index)
            known.where[item_key] = position

    def remember(self, subject: Subject, exchange: Exchange, item: Item) -> None:
        """Keep a listed item; compare it with its detail if one was fetched, and report a
        404 that its key got."""
        resource = subject.resource
        key = (resource.name, str(item[resource.detail.key]))
        known = self.items.setdefault(key, (item, exchange.index))
        fetched = self.details.get(key)
        if fetched is None or (known[0] == item and known[1] != exchange.index):
            return  # no detail yet, or this very entry was compared with it before
        if fetched[0] is NOT_FOUND:
            self.report(
                "detail", subject, exchange,
                f"no 404 for {key[1]!r} (#{fetched[1]}), a key this list holds", "a listed item",
            )  # fmt: skip
            return
        for problem in detail_problems(resource, key[1], fetched[0], item):
            self.report("detail", subject, exchange, f"the detail of #{fetched[1]}", problem)

    def judge_detail(self, subject: Subject, exchange: Exchange, body: Any, asked: str) -> None:
        """A 200 or 404 of the detail operation, against the list entries seen so far."""
        resource = subject.resource
        self.exercise("detail", subject)
        key = (resource.name, asked)
        listed = self.items.get(key)
        if exchange.status == 404:
            self.details.setdefault(key, (NOT_FOUND, exchange.index))
            if listed is not None:
                self.report(
                    "detail", subject, exchange,
                    f"the item listed in #{listed[1]}", "404 for its key",
                )  # fmt: skip
            return
        try:
            item = member(body, resource.detail.item)
        except (KeyError, TypeError, IndexError):
            item = None
        self.details.setdefault(key, (item, exchange.index))
        for problem in detail_problems(resource, asked, item, listed and listed[0]):
            self.report("detail", subject, exchange, "the item asked for", problem)

    # -- the traffic as a whole ----------------------------------------------------------

    def finish(self) -> None:
        """What only the whole traffic shows: an item seen anywhere that a query matches must
        be in its result, once the query's pages cover every match."""
        for subject in self.subjects:
            for (name, _), query in self.queries.items():
                if name == subject.resource.name and len(query.positions) >= query.total:
                    self.missing_match(subject, query)

    def missing_match(self, subject: Subject, query: Query) -> None:
        resource = subject.resource
        result = {str(key) for key, _ in query.positions.values()}
        for (name, key), (item, index) in self.items.items():
            if name != resource.name or key in result or not resource.matches(query.filters, item):
                continue
            where = ", ".join(f"{k}={v!r}" for k, v in query.filters.items()) or "no filter"
            message = (
                f"#{query.first}: the complete result of {where} lacks {key!r} "
                f"(listed in #{index}), which the declared rules match"
            )
            self.add(Finding(label("filters", subject), message, ""), "a complete result")
            return

    def labels(self) -> list[str]:
        """The label of each traffic check of each resource."""
        return [label(check, s) for s in self.subjects for check in TRAFFIC_CHECKS]

    def unexercised(self) -> list[str]:
        """`<check label>: why` for each check of each resource that no exchange exercised."""
        return [
            f"{where}: no exchange exercised it"
            for where in self.labels()
            if where not in self.exercised
        ]

    def result(self) -> tuple[list[Finding], list[str]]:
        """The findings, one per rule with how many more there were, and what no exchange
        exercised."""
        findings = [
            Finding(f.check, f"{f.message} (and {self.repeats[shape]} more like it)", f.reproduce)
            if self.repeats[shape]
            else f
            for f, shape in zip(self.findings, self.shapes, strict=True)
        ]
        return findings, self.unexercised()

    def verdicts(self) -> list[Verdict]:
        """The verdict on every assumption. Held needs an exchange that tried it: traffic
        chooses its own requests, so a check it exercised may leave some of the assumptions
        that check speaks for untried (one filter alone says nothing of how two combine)."""
        findings, unexercised = self.result()
        return [
            Verdict(v.assumption, NOT_CHECKED, UNTRIED, v.checks)
            if v.status == HELD and v.assumption not in self.assumptions
            else v
            for v in verdicts(self.spec_path, findings, unexercised)
        ]


def status(exchange: Exchange) -> str:
    return str(exchange.status)


def replay(exchange: Exchange) -> str:
    """A curl line that sends the request again, credentials from $AUTH when it had any."""
    auth = '-u "$AUTH" ' if exchange.request_header("authorization") else ""
    method = "" if exchange.method == "GET" else f"-X {exchange.method} "
    return f"curl -si {method}{auth}{shlex.quote(redacted(exchange.url))}"


def judge_all(
    exchanges: Iterable[Exchange | None], spec_path: Path, base_path: str | None = None
) -> TrafficJudge:
    judge = TrafficJudge(spec_path, base_path)
    for exchange in exchanges:
        if exchange is None:
            judge.skipped += 1
            continue
        judge.judge(exchange)
    judge.finish()
    return judge

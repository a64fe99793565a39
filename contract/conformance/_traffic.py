"""Judge traffic that real clients and servers exchanged (a HAR file, the proxy) against the
spec: each exchange's request (a documented operation, parameters per schema and per
`x-query-policy`), its response (documented status, content type, headers, body schema) and
the behaviour the declarations promise within one answer (the rules of _rules.py, shared with
the property checks); across answers, the relations of checks/relations.py, the same ones a
conformance run judges over its own answers.

Findings are charged to assumptions as a run's are: a rule the exchange broke names its
assumptions, a schema violation or an undocumented status none. An assumption is held only
when an exchange could have shown it broken."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract.conformance._attribution import Explainer
from contract.conformance._contract import (
    Contract,
    Operation,
    Subject,
    below,
    body_ids,
    header_ids,
    parameter_ids,
    response_ids,
)
from contract.conformance._findings import Attribution, Finding, charged, shape
from contract.conformance._har import Exchange
from contract.conformance._preflight import shown as redacted
from contract.conformance._registry import OBSERVERS, Observer
from contract.conformance._rules import (
    detail_problems,
    header_problems,
    page_problems,
    parameter_allows,
    schema_error,
)
from contract.conformance._verdicts import Verdict, verdicts
from contract.conformance.checks import CHECKS
from contract.conformance.checks.parameters import judged_status
from contract.spec.declarations import Item, member, response_schema

# Checks of traffic that speak for no declaration: their findings name no assumption.
REQUEST, RESPONSE = "request", "response"
CHARGED_TO_NONE = Attribution()
UNTRIED = "no exchange tried it"
# The check an error body of each status is judged under.
ERROR_CHECKS = {400: "parameters", 401: "auth", 404: "detail"}


def status(exchange: Exchange) -> str:
    return str(exchange.status)


def replay(exchange: Exchange) -> str:
    """A curl line that sends the request again, credentials from $AUTH when it had any."""
    auth = '-u "$AUTH" ' if exchange.request_header("authorization") else ""
    method = "" if exchange.method == "GET" else f"-X {exchange.method} "
    return f"curl -si {method}{auth}{shlex.quote(redacted(exchange.url))}"


@dataclass
class TrafficJudge:
    """Judges exchanges one at a time, remembering what later exchanges are compared with."""

    contract: Contract
    base_path: str | None = None  # the path prefix of the traffic to judge; the spec's by default
    findings: list[Finding] = field(default_factory=list)  # the first of each rule
    shapes: list[tuple[str, str]] = field(default_factory=list)  # the rule of each finding
    repeats: dict[tuple[str, str], int] = field(default_factory=dict)  # more of each rule
    latest: list[Finding] = field(default_factory=list)  # of the last exchange judged
    exercised: dict[str, set[str]] = field(default_factory=dict)  # assumption -> check labels
    tried: set[str] = field(default_factory=set)  # check labels some exchange exercised
    judged: int = 0
    skipped: int = 0
    prefix: str = field(init=False)
    observers: list[Observer] = field(init=False)
    explainers: dict[str, Explainer] = field(init=False)

    def __post_init__(self) -> None:
        prefix = self.base_path if self.base_path is not None else self.contract.prefix
        self.prefix = prefix.rstrip("/")
        self.observers = [make(s) for s in self.contract.subjects for make in OBSERVERS]
        self.explainers = {s.resource.name: Explainer(s) for s in self.contract.subjects}

    @property
    def subjects(self) -> tuple[Subject, ...]:
        return self.contract.subjects

    # -- reporting -----------------------------------------------------------------------

    def report(
        self,
        check: str,
        subject: Subject | None,
        exchange: Exchange,
        expected: str,
        got: str,
        why: Attribution = CHARGED_TO_NONE,
    ) -> None:
        where = subject.label(check) if subject is not None else check
        message = (
            f"#{exchange.index} {exchange.method} {redacted(exchange.url)}: "
            f"expected {expected}; got {got}"
        )
        self.add(Finding(where, message, replay(exchange), why), expected)

    def add(self, finding: Finding, rule: str) -> None:
        """Keep the first finding of each rule (what was expected, values left out) and count
        the others, so memory stays flat however much traffic breaks the rule."""
        self.latest.append(finding)
        key = (finding.check, shape(rule))
        if key in self.repeats:
            self.repeats[key] += 1
            return
        self.repeats[key] = 0
        self.findings.append(finding)
        self.shapes.append(key)

    def exercise(self, check: str, subject: Subject | None, ids: Iterable[str] = ()) -> None:
        """Note that an exchange tried a check, and could have shown these assumptions broken."""
        if subject is None:
            return
        where = subject.label(check)
        self.tried.add(where)
        for ident in ids:
            self.exercised.setdefault(ident, set()).add(where)

    # -- one exchange --------------------------------------------------------------------

    def judge(self, exchange: Exchange) -> None:
        """Judge one exchange; what it broke is in `latest` afterwards."""
        self.latest = []
        local = below(self.prefix, exchange.path)
        if local is None:
            self.skipped += 1
            return
        self.judged += 1
        operation, path_values, known = self.contract.route(exchange.method, local)
        if operation is None:
            what = "a method the path documents" if known else "a documented path"
            self.report(REQUEST, None, exchange, what, f"{exchange.method} {local}")
            return
        valid = self.judge_request(operation, exchange, path_values)
        if self.judge_response(operation, exchange, valid, path_values) and valid:
            for each in self.observers:
                each.after_response(exchange, operation, path_values)

    def judge_request(
        self, operation: Operation, exchange: Exchange, path_values: Mapping[str, str]
    ) -> bool:
        """Whether the spec allows the request; the status it must then get is judged."""
        subject = operation.subject
        query = exchange.query
        names = [name for name, _ in query]
        defined = operation.parameters("query")
        problems: list[tuple[str, str, str, set[str]]] = []  # (check, name, why, assumptions)
        for name, parameter in defined.items():
            if parameter.get("required") and name not in names:
                problems.append(("parameters", name, f"{name} is required", set()))
        in_path = operation.parameters("path")
        given = [*((n, v, defined.get(n)) for n, v in query)]
        given += [(n, v, in_path.get(n)) for n, v in path_values.items()]
        for name, value, declared in given:
            if declared is not None and not parameter_allows(declared.get("schema") or {}, value):
                ids = parameter_ids(operation.spec, [name])
                problems.append(
                    ("parameters", name, f"{name}={value[:40]!r} breaks its schema", ids)
                )
        resource = subject.resource if subject is not None and operation.kind == "list" else None
        if resource is not None:
            unknown = [name for name in names if name not in defined]
            repeated = sorted({name for name in names if name in defined and names.count(name) > 1})
            policy = set(resource.policy.assumptions)
            if unknown or repeated:
                self.exercise("query-policy", subject, policy)
            if unknown and resource.policy.unknown == "reject":
                problems.append(
                    ("query-policy", unknown[0], f"{unknown[0]} is no defined parameter", policy)
                )
            if repeated and resource.policy.repeated == "reject":
                problems.append(
                    ("query-policy", repeated[0], f"{repeated[0]} is given more than once", policy)
                )
        if operation.secured and not exchange.request_header("authorization"):
            ids = response_ids(operation.spec, 401)
            self.exercise("auth", subject, ids)
            if exchange.status != 401:
                why = charged(ids, "a request without credentials gets 401")
                self.report(
                    "auth", subject, exchange, "401 without credentials", status(exchange), why
                )
            return False
        if problems:
            check, name, reason, ids = problems[0]
            bad_request = response_ids(operation.spec, 400)
            self.exercise(check, subject, ids | bad_request)
            if exchange.status not in (400, 401):
                why = judged_status(operation.spec, name, exchange.status, {400})
                if check == "query-policy" and exchange.status < 400:
                    why = charged(ids, "the query policy's rule")
                self.report(
                    check, subject, exchange, f"400, because {reason}", status(exchange), why
                )
            return False
        if exchange.status == 400:
            sent = parameter_ids(operation.spec, [n for n in names if n in defined])
            self.report(
                "parameters", subject, exchange, "no 400 for a request the spec allows", "400",
                Attribution((), "a valid request was refused", tuple(sorted(sent))),
            )  # fmt: skip
        return True

    def judge_response(
        self,
        operation: Operation,
        exchange: Exchange,
        valid: bool,
        path_values: Mapping[str, str],
    ) -> bool:
        """Judge the answer; whether it is one of the contract's (documented, in its schema)."""
        subject = operation.subject
        responses = operation.spec.get("responses") or {}
        documented = responses.get(str(exchange.status)) or responses.get("default")
        if documented is None:
            statuses = ", ".join(sorted(str(s) for s in responses))
            expected = f"a documented status ({statuses})"
            self.report(RESPONSE, subject, exchange, expected, status(exchange))
            return False
        if exchange.status == 401:
            ids = response_ids(operation.spec, 401)
            self.exercise("auth", subject, ids | header_ids(operation.spec, 401))
        for name, problem in header_problems(documented, exchange.response_header):
            held = header_ids(operation.spec, exchange.status, name)
            check = "auth" if exchange.status == 401 else RESPONSE
            why = charged(held, f"the rule of the {name} header") if held else Attribution()
            self.report(check, subject, exchange, f"the {name} header as declared", problem, why)
        content = documented.get("content") or {}
        if not content:
            return True
        errors = body_ids(operation.spec, exchange.status) if exchange.status >= 400 else set()
        self.exercise(ERROR_CHECKS.get(exchange.status, "detail"), subject, errors)
        wrong_body = charged(errors, "the error body's rule") if errors else Attribution()
        if exchange.content_type not in content:
            media = ", ".join(content)
            got = repr(exchange.content_type)
            self.report(RESPONSE, subject, exchange, f"a body of {media}", got, wrong_body)
            return False
        schema = response_schema(operation.spec, exchange.status) or {}
        try:
            body = exchange.json()
        except ValueError:
            self.report(
                RESPONSE, subject, exchange, "a JSON body", "a body that is no JSON", wrong_body
            )
            return False
        error = schema_error(schema, body)
        if error is not None:
            self.report(
                RESPONSE, subject, exchange, "a body of the documented schema", error, wrong_body
            )
            return False
        if subject is None or not valid:
            return True
        if operation.kind == "list" and exchange.status == 200:
            self.judge_page(subject, exchange, body)
        elif operation.kind == "detail" and exchange.status == 200:
            asked = path_values.get(subject.resource.detail.parameter, "")
            self.judge_detail(subject, exchange, body, asked)
        return True

    # -- behaviour within one answer -----------------------------------------------------

    def judge_page(self, subject: Subject, exchange: Exchange, body: Any) -> None:
        resource = subject.resource
        explainer = self.explainers[resource.name]
        items = member(body, resource.paging.results)
        total = member(body, resource.paging.total)
        query = {name: value for name, value in exchange.query if name in resource.parameters}
        self.exercise("paging", subject)
        given = [f for f in resource.filters if f.parameter in query]
        if items:
            for each in given:
                self.exercise("filters", subject, explainer.filter_ids(each))
        rule = resource.sorting
        sorted_by = rule is not None and (
            rule.field in query or rule.default_order == "tie-breaker"
        )
        if sorted_by and len(items) >= 2:
            self.exercise("sorting", subject, explainer.sort_ids(query))
        undefined = [name for name, _ in exchange.query if name not in resource.parameters]
        for check, why in page_problems(resource, query, items, total):
            charged_to = self.charge(subject, check, query, items)
            if undefined and resource.policy.unknown == "ignore":
                # The server may have taken a parameter it should ignore for another.
                ids = {*charged_to.ids, *charged_to.undecided, *resource.policy.assumptions}
                charged_to = Attribution(
                    (), f"{charged_to.explanation}, or {undefined[0]} was not ignored",
                    tuple(sorted(ids)),
                )  # fmt: skip
            self.report(check, subject, exchange, "the page the declarations promise", why,
                        charged_to)  # fmt: skip

    def charge(
        self, subject: Subject, check: str, query: Mapping[str, str], items: Sequence[Item]
    ) -> Attribution:
        """The rule a wrong page breaks, as far as one answer shows it."""
        resource, explainer = subject.resource, self.explainers[subject.resource.name]
        if check == "filters":
            given = [f for f in resource.filters if f.parameter in query]
            if len(given) == 1:
                return charged(explainer.filter_ids(given[0]), "an item its rule does not match")
            ids = {*explainer.combine_ids, *(i for f in given for i in explainer.filter_ids(f))}
            why = "an item the filters given together do not keep: no one rule is to blame"
            return Attribution((), why, tuple(sorted(ids)))
        if check == "sorting" and resource.sorting is not None:
            # The page's own items, ordered by each alternative of the declared order: one
            # page of a total order is in that order itself.
            rule = resource.sorting
            asked = {k: v for k, v in query.items() if k in (rule.field, rule.direction)}
            alone = {**asked, resource.paging.offset: "0", resource.paging.step: str(len(items))}
            got = ([item[resource.detail.key] for item in items], len(items))
            # In an order of their own, so that no alternative can take the page's for it.
            canonical = sorted(items, key=lambda item: str(item[rule.tie_breaker]))
            return explainer.explain(canonical, alone, got)
        ids = {*explainer.parameter(resource.paging.step, resource.paging.assumptions),
               *explainer.total_ids}  # fmt: skip
        return Attribution(
            (), "the page's length disagrees with its size or total", tuple(sorted(ids))
        )

    def judge_detail(self, subject: Subject, exchange: Exchange, body: Any, asked: str) -> None:
        """A 200 of the detail operation holds the item asked for."""
        resource = subject.resource
        self.exercise("detail", subject)
        try:
            item = member(body, resource.detail.item)
        except (KeyError, TypeError, IndexError):
            item = None
        for problem in detail_problems(resource, asked, item, None):
            self.report("detail", subject, exchange, "the item asked for", problem)

    # -- the traffic as a whole ----------------------------------------------------------

    def finish(self) -> None:
        """Judge the relations across every answer seen."""
        for each in self.observers:
            subject = each.subject
            for name, evidence in each.after_run(None):
                self.add(
                    Finding(subject.label(name), evidence.message, evidence.reproduce,
                            evidence.attribution, evidence.expectation),
                    evidence.message,
                )  # fmt: skip
            for name, ids in each.exercised.items():
                self.exercise(name, subject, ids)

    def labels(self) -> list[str]:
        """The label of each traffic check of each resource."""
        return [s.label(name) for s in self.subjects for name, c in CHECKS.items() if c.traffic]

    def unexercised(self) -> dict[str, str]:
        """Check label -> why, for each check of each resource that no exchange exercised."""
        return {
            where: "no exchange exercised it" for where in self.labels() if where not in self.tried
        }

    def result(self) -> tuple[list[Finding], dict[str, str]]:
        """The findings, one per rule with how many more there were, and what no exchange
        exercised."""
        findings = [
            Finding(f.check, f"{f.message} (and {self.repeats[key]} more like it)", f.reproduce,
                    f.attribution, f.expectation)
            if self.repeats[key]
            else f
            for f, key in zip(self.findings, self.shapes, strict=True)
        ]  # fmt: skip
        return findings, self.unexercised()

    def verdicts(self) -> list[Verdict]:
        """The verdict on every assumption, from the checks traffic can exercise. Traffic
        chooses its own requests: a check it never tried is no check that could not run, so
        an assumption some exchange exercised is held on that exchange's word."""
        findings, _ = self.result()
        traffic = [name for name, c in CHECKS.items() if c.traffic]
        return verdicts(self.contract, findings, self.exercised, {}, traffic, untried=UNTRIED)


def judge_all(
    exchanges: Iterable[Exchange | None], contract: Contract, base_path: str | None = None
) -> TrafficJudge:
    judge = TrafficJudge(contract, base_path)
    for exchange in exchanges:
        if exchange is None:
            judge.skipped += 1
            continue
        judge.judge(exchange)
    judge.finish()
    return judge

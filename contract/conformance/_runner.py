"""Running the property checks: every registered check on every list resource, each over a
context that shares the run's probe, collection and notes of what was exercised. A check that
cannot go on says why instead of crashing the run: no data to tell right from wrong, the
request budget spent, an operation that stopped answering, an answer it cannot read (that
answer is a finding of its own)."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from contract.conformance._contract import Contract, Subject, below
from contract.conformance._edits import Covered
from contract.conformance._findings import (
    Attribution,
    Finding,
    NotCheckedError,
    UnexpectedResponseError,
    finding,
    once_per_rule,
)
from contract.conformance._har import from_httpx
from contract.conformance._probe import OperationTimeoutError, Probe
from contract.conformance._registry import OBSERVERS, Context, Observer, RunState
from contract.conformance._replays import Expectation
from contract.conformance._verdicts import Verdict, verdicts
from contract.conformance.checks import CHECKS
from contract.errors import BudgetExhaustedError
from contract.spec.declarations import response_schema

# The checks of what no declaration is about: an answer that is no answer of the contract,
# an operation that does not answer.
RESPONSE, TIMEOUT = "response", "timeout"


@dataclass
class PropertyRun:
    """What a run of the property checks found and could not check, and what it exercised."""

    labels: list[str]  # every check of every resource, `<check> <Resource>`
    findings: list[Finding] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # check label -> why
    exercised: dict[str, set[str]] = field(default_factory=dict)  # assumption -> check labels
    missed: dict[str, list[str]] = field(default_factory=dict)  # assumption -> why not checked
    near_misses: dict[str, Covered] = field(default_factory=dict)  # what -> cells covered
    sent: int = 0

    def verdicts(
        self, contract: Contract, findings: Sequence[Finding] | None = None
    ) -> list[Verdict]:
        """The verdict on every assumption, from this run's findings (or `findings`)."""
        found = self.findings if findings is None else findings
        return verdicts(contract, found, self.exercised, self.unchecked, missed=self.missed)


def check_labels(contract: Contract, only: Collection[str] | None = None) -> list[str]:
    return [
        subject.label(name)
        for subject in contract.subjects
        for name in CHECKS
        if only is None or name in only
    ]


def operation_labeller(contract: Contract, probe: Probe) -> None:
    """Tell the probe which operation each path belongs to, so that one that stops answering
    is not asked again."""
    prefix = urlsplit(probe.base_url).path.rstrip("/")

    def operation_of(path: str) -> str:
        operation = contract.operation_at(below(prefix, prefix + path) or path)
        return operation.label if operation is not None else path

    probe.operation_of = operation_of


def watch(contract: Contract, probe: Probe, observers: Sequence[Observer]) -> None:
    """Show every answer the probe gets to the observers (and to what observed it before)."""
    prefix = urlsplit(probe.base_url).path.rstrip("/")
    before = probe.observe
    count = itertools.count()

    def observe(response: httpx.Response) -> None:
        if before is not None:
            before(response)
        exchange = from_httpx(next(count), response)
        local = below(prefix, exchange.path)
        operation, values, _ = contract.route(exchange.method, local or "")
        if local is None or operation is None:
            return
        for each in observers:
            each.after_response(exchange, operation, values)

    probe.observe = observe


def run_checks(
    contract: Contract, probe: Probe, only: Collection[str] | None = None, seed: int = 0
) -> PropertyRun:
    """Run every check (or those named in `only`) on every list resource of `contract`:
    the checks in order, then the relations, over every answer the checks got."""
    operation_labeller(contract, probe)
    silent_before = set(probe.hung)
    state = RunState()
    run = PropertyRun(check_labels(contract, only))
    found: list[Finding] = []
    observers = {
        subject.resource.name: [make(subject) for make in OBSERVERS]
        for subject in contract.subjects
    }
    relations = [
        name for name, c in CHECKS.items() if c.run is None and (only is None or name in only)
    ]
    if relations:
        watch(contract, probe, [o for group in observers.values() for o in group])
    for subject in contract.subjects:
        for name, registered in CHECKS.items():
            if (only is not None and name not in only) or registered.run is None:
                continue
            context = Context(contract, subject, probe, name, seed, state)
            where = context.label
            try:
                for evidence in registered.run(context):
                    found.append(finding(where, evidence))
            except NotCheckedError as exc:
                run.unchecked[where] = str(exc)
            except BudgetExhaustedError:
                run.unchecked[where] = f"the request budget ({probe.max_requests}) ran out"
            except OperationTimeoutError as exc:
                run.unchecked[where] = str(exc)
            except UnexpectedResponseError as exc:
                label = subject.label(RESPONSE)
                run.unchecked[where] = f"an answer it could not read: see [{label}]"
                expect = Expectation(
                    exc.path, exc.params, statuses=(200,),
                    body_schema=response_schema(subject.list_operation, 200),
                )  # fmt: skip
                shown = probe.curl(exc.path, exc.params)
                found.append(
                    Finding(label, f"{exc} (GET {exc.path})", shown, Attribution(), expect)
                )
            except httpx.HTTPError as exc:
                run.unchecked[where] = f"a request failed: {exc}"
                found.append(Finding(where, f"request failed: {exc}", probe.base_url))
    for subject in contract.subjects if relations else ():
        context = Context(contract, subject, probe, "relations", seed, state)
        for each in observers[subject.resource.name]:
            found += judge_relations(each, context, subject, relations, run)
    for operation, error in probe.hung.items():
        if operation not in silent_before:
            found.append(timed_out(timeout_label(contract, operation), error, probe))
    run.findings = once_per_rule(found)
    run.exercised = state.exercised
    run.missed = state.missed
    run.near_misses = state.near_misses
    run.sent = probe.sent
    return run


def judge_relations(
    observer: Observer,
    context: Context,
    subject: Subject,
    relations: Collection[str],
    run: PropertyRun,
) -> list[Finding]:
    """The findings of one observer's relations; what each exercised goes to the run."""
    found: list[Finding] = []
    try:
        for name, evidence in observer.after_run(context):
            if name in relations:
                found.append(finding(subject.label(name), evidence))
    except (
        NotCheckedError,
        BudgetExhaustedError,
        OperationTimeoutError,
        UnexpectedResponseError,
        httpx.HTTPError,
    ) as exc:
        for name in relations:
            run.unchecked.setdefault(subject.label(name), f"it could not read what it needs: {exc}")
    for name, ids in observer.exercised.items():
        if name in relations:
            for ident in ids:
                context.state.exercised.setdefault(ident, set()).add(subject.label(name))
    for name, why in observer.unchecked.items():
        if name in relations:
            run.unchecked.setdefault(subject.label(name), why)
    return found


def timeout_label(contract: Contract, operation: str) -> str:
    """`timeout <Resource>` for an operation of a resource, else `timeout`."""
    served = next((o.subject for o in contract.operations if o.label == operation), None)
    return served.label(TIMEOUT) if served is not None else TIMEOUT


def timed_out(label: str, error: OperationTimeoutError, probe: Probe) -> Finding:
    """An operation that did not answer in time: a finding about that operation, with the
    request that shows it, charged to no assumption (the contract promises an answer)."""
    request = error.request
    shown = probe.curl(request.path, request.params).replace(
        "curl -si", f"curl -si -m {error.seconds:g}"
    )
    expect = Expectation(request.path, request.params, timeout=error.seconds)
    return Finding(label, str(error), shown, Attribution(), expect)

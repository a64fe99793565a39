"""The property checks, registered by name. Each family of checks is a module of
contract/conformance/checks/ that registers its checks here with `@check`; the runner, the
verdicts, the JUnit report and the coverage map know them only through this registry, so a
new check is a new module.

A check is a generator over one resource's `Context`: it sends what it needs through the
context's probe, yields an `Evidence` for each broken rule, names the assumptions its probes
exercised (`context.exercise`), and raises NotCheckedError when the server's data cannot tell
right from wrong. `speaks_for` names, from the spec, every assumption the check could ever
contradict: an assumption no check speaks for cannot be checked by any run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from contract.conformance._attribution import Explainer
from contract.conformance._contract import Contract, Operation, Subject
from contract.conformance._edits import Cell, Covered, Variant
from contract.conformance._findings import (
    Attribution,
    Evidence,
    UnexpectedResponseError,
    shape,
)
from contract.conformance._har import Exchange
from contract.conformance._listing import largest_page, walk
from contract.conformance._probe import (
    OperationTimeoutError,
    OperationUnavailableError,
    Probe,
    Request,
)
from contract.spec.declarations import Item

SpeaksFor = Callable[[Subject], set[str]]


@dataclass
class RunState:
    """What the checks of one run share: the collection each resource lists (read once), the
    explainer of each resource, and the assumptions the probes exercised."""

    collections: dict[str, list[Item] | Exception] = field(default_factory=dict)
    explainers: dict[str, Explainer] = field(default_factory=dict)
    exercised: dict[str, set[str]] = field(default_factory=dict)  # assumption -> check labels
    missed: dict[str, list[str]] = field(default_factory=dict)  # assumption -> why unchecked
    page_sizes: dict[str, int] = field(default_factory=dict)  # resource -> size that works
    near_misses: dict[str, Covered] = field(default_factory=dict)  # "<Resource> <what>" -> cells
    # (check label, shape of a finding's message) -> the attribution of its first finding:
    # findings of one shape are reported once, so the others need not be explained again.
    explained: dict[tuple[str, str], Attribution] = field(default_factory=dict)


@dataclass
class Context:
    """One check of one resource, as it runs."""

    contract: Contract
    subject: Subject
    probe: Probe
    check: str  # the check's name
    seed: int = 0
    state: RunState = field(default_factory=RunState)

    @property
    def label(self) -> str:
        return self.subject.label(self.check)

    @property
    def explainer(self) -> Explainer:
        name = self.subject.resource.name
        found = self.state.explainers.get(name)
        if found is None:
            found = self.state.explainers[name] = Explainer(self.subject)
        return found

    def everything(self) -> list[Item]:
        """Every item of the resource in the server's default order, read once per run (and
        when it cannot be read, the reason raised again for each check that needs it). Read
        by the largest page the spec allows; when the server fails that size (its own
        finding, of the parameters check), by the default size."""
        name = self.subject.resource.name
        found = self.state.collections.get(name)
        if found is None:
            found = self.state.collections[name] = self._read_everything()
        if isinstance(found, Exception):
            raise found
        return found

    def _read_everything(self) -> list[Item] | Exception:
        resource = self.subject.resource
        default = resource.default(resource.paging.step)
        sizes = [largest_page(resource)]
        if isinstance(default, int) and default not in sizes:
            sizes.append(default)
        failed: Exception | None = None
        for size in sizes:
            try:
                found = walk(self.probe, resource, size=size)
            except UnexpectedResponseError as exc:
                failed = failed or exc
                continue
            except Exception as exc:  # budget, timeout, transport: no other size helps
                return exc
            self.state.page_sizes[resource.name] = size
            return found
        assert failed is not None
        return failed

    @property
    def page_size(self) -> int:
        """The page size to read whole results by: the largest the server answered."""
        self.everything()
        resource = self.subject.resource
        return self.state.page_sizes.get(resource.name, largest_page(resource))

    def explained(self, message: str, explain: Callable[[], Attribution]) -> Attribution:
        """The attribution of a finding with this message: worked out for the first finding
        of its shape, taken over by the others (once_per_rule reports only the first)."""
        key = (self.label, shape(message))
        found = self.state.explained.get(key)
        if found is None:
            found = self.state.explained[key] = explain()
        return found

    def could_not(self, ids: Iterable[str], why: str) -> None:
        """Note that a part of this check could not run, so these assumptions cannot be
        held on its word (the rest of the check goes on)."""
        for ident in ids:
            self.state.missed.setdefault(ident, []).append(f"[{self.label}] {why}")

    def send_or_skip(self, ids: Iterable[str], requests: Sequence[Request]) -> list[httpx.Response]:
        """The answers to `requests`, or none when their operation does not answer (noted
        against `ids`)."""
        try:
            return self.probe.send(requests)
        except (OperationUnavailableError, OperationTimeoutError) as exc:
            self.could_not(ids, str(exc))
            return []

    def exercise(self, ids: Iterable[str]) -> None:
        """Note that a probe of this check could have contradicted these assumptions."""
        for ident in ids:
            self.state.exercised.setdefault(ident, set()).add(self.label)

    def note_near_misses(
        self,
        what: str,
        sources: Sequence[str],
        variants: Sequence[Variant],
        allowed: Callable[[Cell], bool] = lambda cell: True,
    ) -> None:
        """Note the near misses of `what` (a parameter, a credential part) a probe sent, for
        the run's report and the coverage map; `allowed` the cells it may send."""
        key = f"{self.subject.resource.name} {what}"
        covered = self.state.near_misses.setdefault(key, Covered(set(), set(), 0))
        covered.add(sources, variants, allowed)

    def exercise_query(self, everything: Sequence[Item], query: Any, whole: bool = False) -> None:
        """Note what a list query over `everything` exercised (see _attribution)."""
        known = set(self.state.exercised)
        self.exercise(self.explainer.exercised(everything, query, known, whole))


CheckRun = Callable[[Context], Iterator[Evidence]]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckRun | None  # None: a relation, judged by an observer at the end of the run
    speaks_for: SpeaksFor
    traffic: bool  # whether recorded traffic can exercise its rules (`make check-traffic`)


CHECKS: dict[str, Check] = {}


class Observer(Protocol):
    """A check of its own kind, in the shape schemathesis gives its stateful checks: it sees
    every answer of the run, the property checks' and recorded traffic's alike, keeps what it
    needs (`after_response`), and judges the relations across them once at the end
    (`after_run`), with a context to send what is still missing, or none (recorded traffic)."""

    subject: Subject
    exercised: dict[str, set[str]]  # relation -> the assumptions its judgements exercised
    unchecked: dict[str, str]  # relation -> why it could not be judged

    def after_response(
        self, exchange: Exchange, operation: Operation, path_values: Mapping[str, str]
    ) -> None: ...

    def after_run(self, context: Context | None) -> Iterator[tuple[str, Evidence]]: ...


ObserverFactory = Callable[[Subject], Observer]
OBSERVERS: list[ObserverFactory] = []


def observer(factory: ObserverFactory) -> ObserverFactory:
    """Register a class of observers: one is made for each resource of a run."""
    OBSERVERS.append(factory)
    return factory


def relation(name: str, speaks_for: SpeaksFor, traffic: bool = True) -> None:
    """Register a relation an observer judges under `name`, as a check of its own."""
    if name in CHECKS:
        raise ValueError(f"two checks are named {name!r}")
    CHECKS[name] = Check(name, None, speaks_for, traffic)


def check(name: str, speaks_for: SpeaksFor, traffic: bool = True) -> Callable[[CheckRun], CheckRun]:
    """Register a check under `name`. contract/conformance/checks/__init__.py imports the
    modules that register, in the order of a run."""

    def register(run: CheckRun) -> CheckRun:
        if name in CHECKS:
            raise ValueError(f"two checks are named {name!r}")
        CHECKS[name] = Check(name, run, speaks_for, traffic)
        return run

    return register

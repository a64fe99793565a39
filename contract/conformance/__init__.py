"""`make conformance`: test a live server against the spec with schemathesis (all checks,
all phases, stateful through the spec's links) and with the property checks of
contract/conformance/checks/ (probes generated from each declared rule, relations across
queries), both reading the spec given with --spec (default: the bundled one), which the run
reads once.

Without a base URL it starts the reference server for that spec on a free loopback port and
stops it afterwards; with one it tests that server, sending only the spec's GETs. A preflight
of one request per operation comes first: a server that cannot be tested at all (down, refusing
the credentials, nothing under the URL) is a setup error naming the variable to fix; one that
answers, but not on every operation, is tested on those that answer.

Credentials for a server given by URL come from $AUTH (user:password) or the first line of
--auth-file (readable by its owner only), never from the command line. schemathesis gets them
through a temporary 0600 config file that names environment variables, with the values in its
environment: neither `ps` nor the reports show them."""

from __future__ import annotations

import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx

from contract.conformance._contract import Contract, load_contract
from contract.conformance._coverage import (
    GATE_VARIABLE,
    CoverageMap,
    CoverageTracker,
    parse_gate,
    shortfalls,
)
from contract.conformance._edits import Covered
from contract.conformance._findings import Finding
from contract.conformance._har import from_httpx, read_har
from contract.conformance._preflight import Preflight, preflight
from contract.conformance._probe import TIMEOUT, OperationTimeoutError, Probe, Request, basic
from contract.conformance._replays import write_replays
from contract.conformance._runner import PropertyRun, check_labels, run_checks, timed_out
from contract.conformance._schemathesis import (
    SCHEMATHESIS_CONFIG,
    run_schemathesis,
    shards,
)
from contract.conformance._schemathesis_findings import schemathesis_findings
from contract.conformance._settings import TUNABLE, Settings
from contract.conformance._target import REFERENCE_DATA, Target, target
from contract.conformance._verdicts import (
    CONTRADICTED,
    NOT_CHECKABLE,
    NOT_CHECKED,
    Verdict,
    counts,
    summary,
)
from contract.layout import REPO_ROOT, display_path

__all__ = [
    "REFERENCE_DATA",
    "SCHEMATHESIS_CONFIG",
    "TUNABLE",
    "Contract",
    "Probe",
    "PropertyResult",
    "PropertyRun",
    "Settings",
    "Target",
    "basic",
    "conformance",
    "load_contract",
    "replay_command",
    "run_checks",
    "run_properties",
    "schemathesis_phase",
    "shards",
    "target",
    "write_junit",
]

MISSED_SHOWN = 12  # targets not exercised listed after the coverage table
R = TypeVar("R")


class Background(Generic[R]):
    """A call run in a daemon thread (an interrupted run does not wait for it); `result()`
    waits for it and returns its value, or raises what it raised."""

    def __init__(self, call: Callable[[], R]) -> None:
        self._outcome: list[R | BaseException] = []

        def work() -> None:
            try:
                self._outcome.append(call())
            except BaseException as exc:  # handed to the caller of result()
                self._outcome.append(exc)

        self._thread = threading.Thread(target=work, daemon=True)
        self._thread.start()

    def result(self) -> R:
        self._thread.join()
        (outcome,) = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def echo(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def schemathesis_phase(
    server: Target,
    settings: Settings,
    contract: Contract,
    tracker: CoverageTracker | None = None,
    found: list[Finding] | None = None,
    checked: Preflight | None = None,
) -> bool:
    """Run schemathesis with its own readable report on stdout; True if it passed. Its
    exchanges go to `tracker`, its failures as findings with their expectations to `found`.
    Operations the preflight found silent are left out."""
    excluded = [
        str(request.operation.spec["operationId"])
        for request in (checked.hung.values() if checked else ())
        if request.operation.spec.get("operationId")
    ]
    with tempfile.TemporaryDirectory(prefix="conformance-shards-") as folder:
        outcome = run_schemathesis(server, settings, Path(folder), echo, excluded)
        for har in outcome.hars if tracker is not None else ():
            for exchange in read_har(har):
                if exchange is not None and tracker is not None:
                    tracker.observe(exchange)
    if found is not None and not outcome.passed:
        found += schemathesis_findings(outcome.junit, contract, server.base_url)
    return outcome.passed


def write_junit(
    labels: Sequence[str],
    findings: Sequence[Finding],
    unchecked: Mapping[str, str],
    found: Sequence[Verdict],
    path: Path,
) -> None:
    """Two suites: one test case per check and resource (`labels`), failed by its findings;
    and one per assumption of the spec, failed when contradicted, skipped when not checked
    (or not checkable)."""
    root = ElementTree.Element("testsuites")
    checks = ElementTree.SubElement(
        root, "testsuite", name="property-checks", tests=str(len(labels)),
        failures=str(len({f.check for f in findings} & set(labels))),
        skipped=str(len(set(unchecked) & set(labels))),
    )  # fmt: skip
    for name in labels:
        case = ElementTree.SubElement(checks, "testcase", classname="properties", name=name)
        for finding in (f for f in findings if f.check == name):
            failure = ElementTree.SubElement(case, "failure", message=finding.message)
            failure.text = finding.reproduce
        if name in unchecked:
            ElementTree.SubElement(case, "skipped", message=f"not checked: {unchecked[name]}")
    assumptions = ElementTree.SubElement(
        root, "testsuite", name="assumptions", tests=str(len(found)),
        failures=str(sum(v.status == CONTRADICTED for v in found)),
        skipped=str(sum(v.status in (NOT_CHECKED, NOT_CHECKABLE) for v in found)),
    )  # fmt: skip
    for item in found:
        case = ElementTree.SubElement(
            assumptions, "testcase", classname="assumptions", name=item.assumption
        )
        if item.status == CONTRADICTED:
            ElementTree.SubElement(case, "failure", message=item.detail)
        elif item.status in (NOT_CHECKED, NOT_CHECKABLE):
            ElementTree.SubElement(case, "skipped", message=f"{item.status}: {item.detail}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="unicode", xml_declaration=True)


@dataclass(frozen=True)
class PropertyResult:
    findings: list[Finding]
    unchecked: dict[str, str]  # check label -> why it could not check
    verdicts: list[Verdict]
    sent: int = 0
    near_misses: dict[str, Covered] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # every check, as "<check> <Resource>"
    exchanges: list[httpx.Response] = field(default_factory=list, repr=False)  # as sent

    @property
    def partial(self) -> bool:
        return bool(self.unchecked) or any(v.partial for v in self.verdicts)


def replay_command(base_url: str | None, folder: Path) -> str:
    """The command that runs the replays against `base_url` (None: $BASE_URL), as a user
    pastes it."""
    python = Path(sys.executable)
    shown = python.relative_to(REPO_ROOT) if python.is_relative_to(REPO_ROOT) else python
    where = f"BASE_URL={shlex.quote(base_url)} " if base_url else ""
    return f"{where}{shlex.quote(str(shown))} -m pytest {shlex.quote(display_path(folder))}"


def silent_operations(contract: Contract, checked: Preflight | None, probe: Probe) -> list[Finding]:
    """A finding for each operation the preflight found silent (the probe will not ask it
    again), with the request that shows it."""
    found = []
    for label, request in checked.hung.items() if checked else ():
        sent = Request(request.path, request.query)
        error = OperationTimeoutError(label, sent, checked.timeout if checked else TIMEOUT)
        probe.hung[label] = error
        subject = request.operation.subject
        found.append(timed_out(subject.label("timeout") if subject else "timeout", error, probe))
    return found


def run_properties(
    server: Target,
    settings: Settings,
    contract: Contract | None = None,
    tracker: CoverageTracker | None = None,
    checked: Preflight | None = None,
) -> PropertyResult:
    """Run the property checks and report them (stdout and properties-junit.xml)."""
    contract = contract or load_contract(settings.spec)
    announce_properties(contract, settings)
    result = check_properties(server, settings, contract, checked)
    report_properties(result, settings, tracker)
    return result


def announce_properties(contract: Contract, settings: Settings, alongside: str = "") -> None:
    print(f"\nRunning the property checks{alongside}: {len(check_labels(contract))} checks, "
          f"at most {settings.max_requests} requests, {settings.concurrency} at a time",
          flush=True)  # fmt: skip


def check_properties(
    server: Target, settings: Settings, contract: Contract, checked: Preflight | None = None
) -> PropertyResult:
    """Every property check against `server`, printing nothing: a run may do this while
    schemathesis reports on stdout."""
    exchanges: list[httpx.Response] = []
    probe = Probe(
        server.base_url, server.user, server.password,
        max_requests=settings.max_requests, requests_per_second=settings.rate_limit,
        concurrency=settings.concurrency, observe=exchanges.append,
        timeout=checked.timeout if checked else TIMEOUT,
    )  # fmt: skip
    silent = silent_operations(contract, checked, probe)
    try:
        run = run_checks(contract, probe, seed=settings.seed)
    finally:
        probe.close()
    findings = [*silent, *run.findings]
    found = run.verdicts(contract, findings)
    return PropertyResult(
        findings, dict(run.unchecked), found, probe.sent, run.near_misses,
        check_labels(contract), exchanges,
    )  # fmt: skip


def report_properties(
    result: PropertyResult, settings: Settings, tracker: CoverageTracker | None = None
) -> None:
    """Print what the property checks found, write their JUnit report, and show their
    exchanges to the coverage map."""
    if tracker is not None:
        for answer in result.exchanges:
            tracker.observe(from_httpx(0, answer))
    write_junit(
        result.labels, result.findings, result.unchecked, result.verdicts,
        settings.reports / "properties-junit.xml",
    )  # fmt: skip
    print(f"Property checks: {len(result.labels)} checks, {result.sent} requests")
    for line in near_miss_report(result.near_misses):
        print(line)
    for finding in result.findings:
        print(f"  FAIL {finding}")
    for where, reason in result.unchecked.items():
        print(f"  NOT CHECKED [{where}] {reason}")
    if not result.findings and not result.unchecked:
        print("  all properties hold")
    print()
    print("\n".join(summary(result.verdicts, result.findings)))


def near_miss_report(near_misses: Mapping[str, Covered]) -> list[str]:
    """What the generated near misses covered, one line per parameter or credential part."""
    if not near_misses:
        return []
    lines = ["  near misses generated from the data (edit grammar, cells: class, operation,"
             " position):"]  # fmt: skip
    for where, covered in sorted(near_misses.items()):
        lines.append(
            f"    {where}: {covered.values} values, {len(covered.sent & covered.possible)} of "
            f"{len(covered.possible)} cells"
        )
    return lines


def written(folder: Path, since: float) -> list[str]:
    """The names of the files (and folders, with a slash) in `folder` written at or after
    `since`: what this run left there, not what an earlier command did."""
    return sorted(
        path.name + ("/" if path.is_dir() else "")
        for path in folder.iterdir()
        if path.stat().st_mtime >= since - 1
    )


def conformance(
    base_url: str | None,
    auth: str | None,
    settings: Settings,
    allow_partial: bool = False,
    credentials_variable: str = "AUTH",
) -> bool:
    """Run the whole suite against one server; True when nothing failed, everything was
    checked (or `allow_partial` accepts what could not be) and the coverage map meets
    MIN_COVERAGE. A server that cannot be tested at all (SetupError from the preflight) gets
    no verdict."""
    started = time.time()
    gate = parse_gate(settings.min_coverage)
    contract = load_contract(settings.spec)
    with target(base_url, auth, contract, credentials_variable) as server:
        kind = "reference server" if server.is_reference else "server"
        print(f"Testing the {kind} at {server.base_url}", flush=True)
        checked = preflight(
            contract, server.base_url, server.user, server.password,
            server.credentials_variable, settings.first_answer_timeout,
        )  # fmt: skip
        tracker = CoverageTracker(contract, urlsplit(server.base_url).path)
        schema_findings: list[Finding] = []
        if settings.concurrency > 1 and settings.rate_limit <= 0:
            # Both suites wait on the server, not on each other: against a distant server
            # the property checks cost no time of their own.
            announce_properties(contract, settings, " alongside schemathesis")
            properties = Background(lambda: check_properties(server, settings, contract, checked))
            schema_ok = schemathesis_phase(
                server, settings, contract, tracker, schema_findings, checked
            )
            result = properties.result()
            print(flush=True)
            report_properties(result, settings, tracker)
        else:  # one at a time, or each suite within the rate limit on its own
            schema_ok = schemathesis_phase(
                server, settings, contract, tracker, schema_findings, checked
            )
            result = run_properties(server, settings, contract, tracker, checked)
    # The reference server this run started is gone by now: its replays need a new one.
    replayed_at = None if server.is_reference else server.base_url
    report_replays([*schema_findings, *result.findings], replayed_at, settings.reports)
    coverage = tracker.coverage(result.verdicts, result.near_misses)
    short = report_coverage(coverage, gate, settings.reports)
    files = ", ".join(written(settings.reports, started))
    print(f"\nReports in {display_path(settings.reports)}/: {files}")
    passed = schema_ok and not result.findings and not short
    partial = result.partial and not allow_partial
    verdict = "FAILED" if not passed else "INCOMPLETE" if partial else "PASSED"
    accepted = " (accepted by --allow-partial)" if result.partial and allow_partial else ""
    below = f" below {GATE_VARIABLE}" if short else ""
    print(f"Conformance {verdict}: schemathesis {'passed' if schema_ok else 'FAILED'}, "
          f"{len(result.findings)} property finding(s); assumptions {counts(result.verdicts)}"
          f"{accepted}; coverage {coverage.percent():.1f}%{below}")  # fmt: skip
    if partial:
        print("Some rules could not be checked (see NOT CHECKED above); "
              "--allow-partial accepts that.")  # fmt: skip
    return passed and not partial


def report_replays(findings: list[Finding], base_url: str | None, reports: Path) -> None:
    """Write each finding as a test, and print how to run them against `base_url` (None: a
    server the user starts and names in $BASE_URL)."""
    replays = list(write_replays(findings, reports))
    if replays:
        print(f"\n{len(replays)} finding(s) written as tests; with AUTH exported, replay them:")
        if base_url is None:
            print("  (start the server, e.g. `make serve`, and export BASE_URL=its URL)")
        print(f"  {replay_command(base_url, replays[0].parent)}")
    unreplayed = [f for f in findings if f.expectation is None]
    for finding in unreplayed:
        print(f"  no test for [{finding.check}] {finding.message}: one request cannot show it")


def report_coverage(coverage: CoverageMap, gate: dict[str, float], reports: Path) -> list[str]:
    """Print the coverage table, write coverage.json and coverage.md, and say where the map
    falls short of the gate (returned, empty when it does not)."""
    written = coverage.write(reports)
    print()
    print("\n".join(coverage.table()))
    missed = coverage.missed()
    for target_ in missed[:MISSED_SHOWN]:
        print(f"  NOT EXERCISED {target_}")
    if len(missed) > MISSED_SHOWN:
        print(f"  ... and {len(missed) - MISSED_SHOWN} more in {display_path(written[1])}")
    short = shortfalls(coverage, gate)
    if short:
        print(f"\nCoverage below {GATE_VARIABLE}:")
        print("\n".join(f"  {line}" for line in short))
    return short

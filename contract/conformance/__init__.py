"""`make conformance`: test a live server against the spec with schemathesis (all checks,
all phases, stateful through the spec's links) and with the property checks of
contract/conformance/properties.py, both reading the spec given with --spec (default: the
bundled one).
Without a base URL it starts the reference server for that spec on a free loopback port and
stops it afterwards; with one it tests that server, sending only the spec's GETs. A preflight
of one request per operation comes first: a server that cannot be tested at all (down, refusing
the credentials, nothing under the URL) is a setup error naming the variable to fix.

Credentials for a server given by URL come from $AUTH (user:password) or the first line of
--auth-file (readable by its owner only), never from the command line. schemathesis gets them
through a temporary 0600 config file that names environment variables, with the values in its
environment: neither `ps` nor the reports show them."""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from contract.conformance._coverage import (
    GATE_VARIABLE,
    CoverageMap,
    CoverageTracker,
    parse_gate,
    shortfalls,
)
from contract.conformance._har import from_httpx, read_har
from contract.conformance._preflight import check_base_url, preflight
from contract.conformance._replays import write_replays
from contract.conformance._schemathesis_findings import schemathesis_findings
from contract.conformance._schemathesis_output import stream
from contract.conformance._verdicts import CONTRADICTED, NOT_CHECKED, Verdict, summary, verdicts
from contract.conformance.live_server import start_live_server
from contract.conformance.properties import REQUEST_BUDGET, Finding, Probe, check_labels, run_checks
from contract.errors import ContractError, SetupError, ToolError
from contract.layout import BUNDLED_SPEC, REPO_ROOT, display_path
from contract.secret_file import write_secret_file

SCHEMATHESIS_CONFIG = REPO_ROOT / "schemathesis.toml"
SCHEMATHESIS_JUNIT = "schemathesis-junit.xml"
MISSED_SHOWN = 12  # targets not exercised listed after the coverage table
REFERENCE_DATA = ("--synthetic", "150")  # items per resource: enough for paging and filters
USER_VARIABLE = "CONFORMANCE_USER"
PASSWORD_VARIABLE = "CONFORMANCE_PASSWORD"
# Appended to schemathesis.toml in the run's own config file. schemathesis fills in ${NAME}
# from its environment; its output and reports replace credentials with [Filtered].
CREDENTIALS_CONFIG = f"""
[auth]
basic = {{ username = "${{{USER_VARIABLE}}}", password = "${{{PASSWORD_VARIABLE}}}" }}

[output.sanitization]
enabled = true
"""


@dataclass(frozen=True)
class Target:
    base_url: str
    user: str
    password: str = field(repr=False)
    is_reference: bool
    credentials_variable: str = "AUTH"  # where the user set them: named when they are refused


@dataclass(frozen=True)
class Settings:
    """A run's settings; their defaults are the command's and `make conformance`'s."""

    max_examples: int = 1000  # schemathesis examples per operation and phase
    seed: int = 0
    rate_limit: float = 0.0  # requests per second; 0 means no limit
    max_requests: int = REQUEST_BUDGET  # budget of the property checks
    reports: Path = REPO_ROOT / "reports"
    spec: Path = BUNDLED_SPEC
    min_coverage: str = ""  # the coverage gate (see _coverage.parse_gate); empty: none


# Settings a run may tune from the command line or the environment: (field, variable, meaning).
TUNABLE = (
    ("max_examples", "MAX_EXAMPLES", "schemathesis examples per operation and phase"),
    ("seed", "SEED", "seed of schemathesis's generated cases"),
    ("rate_limit", "RATE_LIMIT", "requests per second, 0 for no limit"),
    ("max_requests", "MAX_REQUESTS", "request budget of the property checks"),
    ("reports", "REPORTS", "folder of the JUnit reports, the coverage map and the replays"),
    ("min_coverage", "MIN_COVERAGE", "fail below this coverage: 90, or paging=100,statuses=90"),
)


@contextmanager
def target(
    base_url: str | None,
    auth: str | None,
    spec: Path = BUNDLED_SPEC,
    credentials_variable: str = "AUTH",
) -> Iterator[Target]:
    """The server under test: the one named, or a reference server serving `spec` for the
    block's duration. `credentials_variable` says where `auth` came from (AUTH or
    AUTH_FILE), for the message that asks to fix it."""
    if base_url:
        check_base_url(base_url, spec)
        user, colon, password = (auth or "").partition(":")
        if not colon:
            raise SetupError(
                "AUTH_FILE: its first line must be user:password"
                if credentials_variable == "AUTH_FILE"
                else "AUTH must be user:password when BASE_URL is given "
                "(export AUTH=user:password, or name a 0600 file holding it in AUTH_FILE)"
            )
        yield Target(base_url.rstrip("/"), user, password, False, credentials_variable)
        return
    with (
        tempfile.TemporaryDirectory() as logs,
        start_live_server(Path(logs), *REFERENCE_DATA, "--spec", str(spec)) as server,
    ):
        yield Target(server.base_url, server.user, server.password, is_reference=True)


def schemathesis_config() -> str:
    """The shared settings of schemathesis.toml and the credentials' placeholders."""
    text = SCHEMATHESIS_CONFIG.read_text("utf-8").rstrip("\n") + "\n" + CREDENTIALS_CONFIG
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContractError(
            f"{display_path(SCHEMATHESIS_CONFIG)} cannot take the run's credentials settings "
            f"([auth], [output.sanitization]): {exc}"
        ) from exc
    return text


@contextmanager
def schemathesis_invocation(
    server: Target, settings: Settings, har: Path | None = None
) -> Iterator[tuple[list[str], dict[str, str]]]:
    """The command and the environment that run schemathesis against `server`, valid for the
    block's duration: the config file they name lives in a temporary folder. With `har`,
    schemathesis records its exchanges there (credentials filtered), for the coverage map."""
    with tempfile.TemporaryDirectory(prefix="conformance-") as folder:
        config = write_secret_file(schemathesis_config(), Path(folder) / "schemathesis.toml")
        env = {key: value for key, value in os.environ.items() if key != "AUTH"}
        env |= {USER_VARIABLE: server.user, PASSWORD_VARIABLE: server.password}
        yield schemathesis_command(server, settings, config, har), env


def schemathesis_command(
    server: Target, settings: Settings, config: Path, har: Path | None = None
) -> list[str]:
    """The command line; the credentials are not on it but in the environment `config` reads
    them from (see schemathesis_invocation). No example database: a run depends on its seed
    alone, not on what earlier runs found (findings replay as tests instead)."""
    executable = Path(sys.executable).parent / "schemathesis"
    if not executable.exists():
        raise ToolError(f"schemathesis is not installed next to {sys.executable}; run `make venv`")
    command = [
        str(executable), "--config-file", str(config), "--no-color",
        "run", str(settings.spec),
        "--url", server.base_url,
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--mode", "all",
        "--max-examples", str(settings.max_examples),
        "--seed", str(settings.seed),
        "--generation-database", "none",
        "--report", "junit" if har is None else "junit,har",
        "--report-junit-path", str(settings.reports / SCHEMATHESIS_JUNIT),
    ]  # fmt: skip
    if har is not None:
        command += ["--report-har-path", str(har)]
    if settings.rate_limit > 0:
        command += ["--rate-limit", f"{settings.rate_limit:g}/s"]
    if not server.is_reference:
        # This check sends the methods the spec does not define (POST, DELETE, ...): only the
        # reference server is known to be safe to send them to.
        command += ["--exclude-checks", "unsupported_method"]
    return command


def run_schemathesis(
    server: Target,
    settings: Settings,
    tracker: CoverageTracker | None = None,
    found: list[Finding] | None = None,
) -> bool:
    """Run the schemathesis CLI with its own readable report on stdout; True if it passed.
    Its exchanges go to `tracker`, its failures as findings with their expectations to
    `found`."""
    with tempfile.TemporaryDirectory(prefix="conformance-har-") as folder:
        har = Path(folder) / "schemathesis.har"
        with schemathesis_invocation(server, settings, har) as (command, env):
            code = stream(command, env, str(REPO_ROOT), echo)
        if tracker is not None and har.is_file():
            for exchange in read_har(har):
                if exchange is not None:
                    tracker.observe(exchange)
    if code not in (0, 1):
        raise ToolError(f"schemathesis stopped with exit code {code}")
    if found is not None and code == 1:
        junit = settings.reports / SCHEMATHESIS_JUNIT
        found += schemathesis_findings(junit, settings.spec, server.base_url)
    return code == 0


def echo(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def write_junit(
    labels: list[str],
    findings: list[Finding],
    unchecked: list[str],
    found: list[Verdict],
    path: Path,
) -> None:
    """Two suites: one test case per check and resource (`labels`), failed by its findings;
    and one per assumption of the spec, failed when contradicted, skipped when not checked."""
    reasons = dict(entry.split(": ", 1) for entry in unchecked)
    root = ElementTree.Element("testsuites")
    checks = ElementTree.SubElement(
        root, "testsuite", name="property-checks", tests=str(len(labels)),
        failures=str(len({f.check for f in findings})), skipped=str(len(reasons)),
    )  # fmt: skip
    for name in labels:
        case = ElementTree.SubElement(checks, "testcase", classname="properties", name=name)
        for finding in (f for f in findings if f.check == name):
            failure = ElementTree.SubElement(case, "failure", message=finding.message)
            failure.text = finding.reproduce
        if name in reasons:
            ElementTree.SubElement(case, "skipped", message=f"not checked: {reasons[name]}")
    assumptions = ElementTree.SubElement(
        root, "testsuite", name="assumptions", tests=str(len(found)),
        failures=str(sum(v.status == CONTRADICTED for v in found)),
        skipped=str(sum(v.status == NOT_CHECKED for v in found)),
    )  # fmt: skip
    for item in found:
        case = ElementTree.SubElement(
            assumptions, "testcase", classname="assumptions", name=item.assumption
        )
        if item.status == CONTRADICTED:
            ElementTree.SubElement(case, "failure", message=item.detail)
        elif item.status == NOT_CHECKED:
            ElementTree.SubElement(case, "skipped", message=f"not checked: {item.detail}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(root).write(path, encoding="unicode", xml_declaration=True)


@dataclass(frozen=True)
class PropertyResult:
    findings: list[Finding]
    unchecked: list[str]  # "<check label>: why", for what the run could not check
    verdicts: list[Verdict]

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


def run_properties(
    server: Target, settings: Settings, tracker: CoverageTracker | None = None
) -> PropertyResult:
    observe = None if tracker is None else lambda r: tracker.observe(from_httpx(0, r))
    probe = Probe(
        server.base_url, server.user, server.password,
        max_requests=settings.max_requests, requests_per_second=settings.rate_limit,
        observe=observe,
    )  # fmt: skip
    labels = check_labels(settings.spec)
    print(f"\nRunning the property checks: {len(labels)} checks, at most "
          f"{settings.max_requests} requests", flush=True)  # fmt: skip
    try:
        findings, unchecked = run_checks(probe, settings.spec)
    finally:
        probe.close()
    found = verdicts(settings.spec, findings, unchecked)
    write_junit(labels, findings, unchecked, found, settings.reports / "properties-junit.xml")
    print(f"Property checks: {len(labels)} checks, {probe.sent} requests")
    for finding in findings:
        print(f"  FAIL {finding}")
    for entry in unchecked:
        where, reason = entry.split(": ", 1)
        print(f"  NOT CHECKED [{where}] {reason}")
    if not findings and not unchecked:
        print("  all properties hold")
    print()
    print("\n".join(summary(found, findings)))
    return PropertyResult(findings, unchecked, found)


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
    gate = parse_gate(settings.min_coverage)
    with target(base_url, auth, settings.spec, credentials_variable) as server:
        kind = "reference server" if server.is_reference else "server"
        print(f"Testing the {kind} at {server.base_url}", flush=True)
        preflight(
            server.base_url, server.user, server.password, settings.spec,
            server.credentials_variable,
        )  # fmt: skip
        tracker = CoverageTracker(settings.spec, urlsplit(server.base_url).path)
        schema_findings: list[Finding] = []
        schema_ok = run_schemathesis(server, settings, tracker, schema_findings)
        result = run_properties(server, settings, tracker)
    # The reference server this run started is gone by now: its replays need a new one.
    replayed_at = None if server.is_reference else server.base_url
    report_replays([*schema_findings, *result.findings], replayed_at, settings.reports)
    coverage = tracker.coverage(result.verdicts)
    short = report_coverage(coverage, gate, settings.reports)
    print(f"\nReports: {display_path(settings.reports)}/")
    passed = schema_ok and not result.findings and not short
    partial = result.partial and not allow_partial
    verdict = "FAILED" if not passed else "INCOMPLETE" if partial else "PASSED"
    accepted = " (accepted by --allow-partial)" if result.partial and allow_partial else ""
    below = f" below {GATE_VARIABLE}" if short else ""
    print(f"Conformance {verdict}: schemathesis {'passed' if schema_ok else 'FAILED'}, "
          f"{len(result.findings)} property finding(s), "
          f"{len(result.unchecked)} not checked{accepted}, "
          f"coverage {coverage.percent():.1f}%{below}")  # fmt: skip
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
    for target in missed[:MISSED_SHOWN]:
        print(f"  NOT EXERCISED {target}")
    if len(missed) > MISSED_SHOWN:
        print(f"  ... and {len(missed) - MISSED_SHOWN} more in {display_path(written[1])}")
    short = shortfalls(coverage, gate)
    if short:
        print(f"\nCoverage below {GATE_VARIABLE}:")
        print("\n".join(f"  {line}" for line in short))
    return short

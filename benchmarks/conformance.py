"""The conformance harness: cases per second of `make conformance` over HTTP (the schemathesis
CLI with every phase, then the property checks), and the same generated cases sent to a live
server, to the ASGI app in-process and to nobody, which splits a case's time into generating
it, checking it and carrying it over HTTP."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from benchmarks.report import Section
from contract.conformance import (
    REFERENCE_DATA,
    SCHEMATHESIS_CONFIG,
    Settings,
    schemathesis_invocation,
    target,
)
from contract.conformance.live_server import start_live_server
from contract.conformance.properties import Probe, basic, run_checks
from contract.errors import BenchmarkError
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store

GENERATED_CASES = re.compile(r"(\d+) generated")
SCHEMATHESIS_SECONDS = re.compile(r"=+ .* in ([\d.]+)s =+")
CLI_TIMEOUT = 300
WARMUP_EXAMPLES = 5


@dataclass(frozen=True)
class Rate:
    name: str
    cases: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ConformanceResults:
    cli: Rate
    cli_wall_seconds: float
    properties: Rate
    same_cases: list[Rate]
    max_examples: int


def parse_cli_output(output: str) -> tuple[int, float]:
    """Cases generated and seconds spent, from the summary of schemathesis's CLI."""
    cases, seconds = GENERATED_CASES.search(output), SCHEMATHESIS_SECONDS.search(output)
    if cases is None or seconds is None:
        raise BenchmarkError(f"schemathesis printed no summary of cases and time:\n{output}")
    return int(cases.group(1)), float(seconds.group(1))


def run_cli(command: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """Cases, the seconds schemathesis reports, and the wall time with its start-up."""
    start = time.perf_counter()
    try:
        result = subprocess.run(
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False,
            timeout=CLI_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"schemathesis ran longer than {CLI_TIMEOUT} s") from exc
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchmarkError(f"schemathesis did not pass:\n{result.stdout[-4000:]}")
    cases, seconds = parse_cli_output(result.stdout)
    return cases, seconds, wall


def time_make_conformance(max_examples: int) -> tuple[Rate, float, Rate]:
    """The schemathesis CLI and the property checks, as `make conformance` runs them."""
    with tempfile.TemporaryDirectory(prefix="bench-conformance-") as reports:
        options = Settings(max_examples=max_examples, reports=Path(reports))
        with target(None, None) as server:
            with schemathesis_invocation(server, options) as (command, env):
                cases, seconds, wall = run_cli(command, env)
            probe = Probe(server.base_url, server.user, server.password, options.max_requests)
            start = time.perf_counter()
            try:
                findings, unfinished = run_checks(probe, options.spec)
            finally:
                probe.close()
            properties_seconds = time.perf_counter() - start
    if findings or unfinished:
        raise BenchmarkError(f"the property checks did not pass: {findings or unfinished}")
    cli = Rate("`make conformance`: schemathesis CLI, all phases", cases, seconds)
    properties = Rate("`make conformance`: property checks (requests)", probe.sent,
                      properties_seconds)  # fmt: skip
    return cli, wall, properties


def drive(schema: Any, call: Callable[[schemathesis.Case[Any]], object], examples: int) -> int:
    """Generate up to `examples` cases per operation and mode (valid and invalid data) with a
    fixed seed, hand each to `call`, and count them."""
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in GenerationMode:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def each(case: schemathesis.Case[Any]) -> None:
                nonlocal count
                count += 1
                call(case)

            each()
    return count


def timed(name: str, action: Callable[[], int]) -> Rate:
    start = time.perf_counter()
    cases = action()
    return Rate(name, cases, time.perf_counter() - start)


def time_same_cases(examples: int) -> list[Rate]:
    """The same cases (same seed) three ways; every response is validated against the spec."""
    config = SchemathesisConfig.from_path(SCHEMATHESIS_CONFIG)
    user, password = "bench", "bench-password"
    headers = {"Authorization": basic(user, password)}
    rules = load_rules()
    store = Store.open(rules.resources)
    count = int(REFERENCE_DATA[1])
    for resource in rules.resources:
        store.add_all(resource.name, synthetic_items(resource, count))
    in_process = schemathesis.openapi.from_path(BUNDLED_SPEC, config=config)
    in_process.app = create_app(Credentials(user, password), store)
    in_process.config.update(base_url=f"http://reference.test{rules.prefix}")
    # Not reported: the first cases pay for building the strategies of each operation.
    drive(in_process, lambda case: case.call_and_validate(headers=headers), WARMUP_EXAMPLES)
    rates = [
        timed(
            "generated only, sent nowhere", lambda: drive(in_process, lambda case: None, examples)
        ),
        timed(
            "in-process (ASGI app)",
            lambda: drive(
                in_process, lambda case: case.call_and_validate(headers=headers), examples
            ),
        ),
    ]
    with (
        tempfile.TemporaryDirectory(prefix="bench-conformance-") as logs,
        start_live_server(Path(logs), *REFERENCE_DATA, user=user, password=password) as server,
        requests.Session() as session,  # schemathesis sends with requests; keep-alive
    ):
        over_http = schemathesis.openapi.from_path(BUNDLED_SPEC, config=config)
        over_http.config.update(base_url=server.base_url)
        rates.append(
            timed(
                "over HTTP (live server, keep-alive)",
                lambda: drive(
                    over_http,
                    lambda case: case.call_and_validate(headers=headers, session=session),
                    examples,
                ),
            )
        )
    return rates


def run(max_examples: int, same_case_examples: int) -> ConformanceResults:
    cli, wall, properties = time_make_conformance(max_examples)
    return ConformanceResults(
        cli, wall, properties, time_same_cases(same_case_examples), max_examples
    )


def section(results: ConformanceResults) -> Section:
    table = Section("conformance", "Conformance harness", ["Run", "Cases", "Seconds", "Cases/s"])
    for rate in [results.cli, results.properties, *results.same_cases]:
        table.add(rate.name, rate.cases, rate.seconds, rate.per_second)
    table.notes.append(
        f"`make conformance MAX_EXAMPLES={results.max_examples}` against the reference server "
        f"({REFERENCE_DATA[1]} synthetic groups): schemathesis took "
        f"{results.cli_wall_seconds:.1f} s in all, start-up included. The last three rows send "
        "the same positive and negative cases of both operations (fixed seed, all checks)."
    )
    return table

"""The conformance harness: `make conformance` as a user runs it, against the reference server
it starts and against a server one region away (every answer 100 ms late), the cases it sent
and the requests of its property checks; then the same generated cases sent to a live server,
to the ASGI app in-process and to nobody, which splits a case's time into generating it,
checking it and carrying it over HTTP."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from starlette.types import ASGIApp, Receive, Scope, Send

from benchmarks.report import Section
from contract.conformance import REFERENCE_DATA, SCHEMATHESIS_CONFIG, basic
from contract.conformance.live_server import free_port, start_live_server
from contract.errors import BenchmarkError
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store

GENERATED_CASES = re.compile(r"(\d+) generated|: (\d+) cases, ")
PROPERTY_REQUESTS = re.compile(r"Property checks: \d+ checks, (\d+) requests")
SCHEMATHESIS_SECONDS = re.compile(r"=+ .* in ([\d.]+)s =+")
RUN_TIMEOUT = 900
WARMUP_EXAMPLES = 5
LATENCY = 0.1  # seconds every answer of the distant server is late
USER, PASSWORD = "bench", "bench-password"


@dataclass(frozen=True)
class Rate:
    name: str
    cases: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Run:
    """One `make conformance` from start to end: its wall time, the cases schemathesis
    generated (every shard), the requests of the property checks."""

    name: str
    seconds: float
    cases: int
    requests: int


@dataclass
class ConformanceResults:
    runs: list[Run]  # started by the run, then given by URL: on loopback and distant
    same_cases: list[Rate]
    max_examples: int

    @property
    def loopback(self) -> Run:
        return self.runs[1]

    @property
    def distant(self) -> Run:
        return self.runs[2]


def parse_output(output: str) -> tuple[int, int]:
    """Cases generated (every shard) and property-check requests, from a run's report."""
    cases = sum(int(a or b) for a, b in GENERATED_CASES.findall(output))
    found = PROPERTY_REQUESTS.search(output)
    if not cases or found is None:
        raise BenchmarkError(f"the run printed no cases or no property checks:\n{output[-4000:]}")
    return cases, int(found.group(1))


def run_conformance(name: str, max_examples: int, base_url: str | None = None) -> Run:
    """`python -m scripts.conformance`, the command behind `make conformance`, timed."""
    with tempfile.TemporaryDirectory(prefix="bench-conformance-") as reports:
        command = [sys.executable, "-m", "scripts.conformance", "--max-examples",
                   str(max_examples), "--reports", reports]  # fmt: skip
        env = dict(os.environ)
        if base_url is not None:
            command += ["--base-url", base_url]
            env["AUTH"] = f"{USER}:{PASSWORD}"
        start = time.perf_counter()
        try:
            result = subprocess.run(
                command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False,
                timeout=RUN_TIMEOUT,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise BenchmarkError(f"{name}: the run took longer than {RUN_TIMEOUT} s") from exc
        seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchmarkError(f"{name}: the run did not pass:\n{result.stdout[-4000:]}")
    return Run(name, seconds, *parse_output(result.stdout))


def late(app: ASGIApp, seconds: float) -> ASGIApp:
    """`app` with every answer `seconds` late, as from a server one region away."""

    async def delayed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(seconds)
        await app(scope, receive, send)

    return delayed


@contextmanager
def distant_server(seconds: float) -> Iterator[str]:
    """The reference server with its synthetic groups, every answer `seconds` late, on a
    free loopback port until the block ends; yields its base URL."""
    rules = load_rules()
    store = Store.open(rules.resources)
    for resource in rules.resources:
        store.add_all(resource.name, synthetic_items(resource, int(REFERENCE_DATA[1])))
    app = late(create_app(credentials=Credentials(USER, PASSWORD), store=store), seconds)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise BenchmarkError("the distant server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}{rules.prefix}"
    finally:
        server.should_exit = True
        thread.join(30)


def time_make_conformance(max_examples: int) -> list[Run]:
    """The default run against the reference server it starts; then the same server behind
    no latency and behind LATENCY, given by URL (the ratio is what latency costs)."""
    runs = [run_conformance("reference server started by the run", max_examples)]
    for seconds in (0.0, LATENCY):
        with distant_server(seconds) as base_url:
            label = f"a server given by URL, every answer {seconds * 1000:.0f} ms late"
            runs.append(run_conformance(label, max_examples, base_url))
    return runs


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
    user, password = USER, PASSWORD
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
    return ConformanceResults(
        time_make_conformance(max_examples), time_same_cases(same_case_examples), max_examples
    )


def section(results: ConformanceResults) -> Section:
    table = Section(
        "conformance", "Conformance harness", ["Run", "Cases", "Property requests", "Seconds"]
    )
    for whole in results.runs:
        table.add(f"`make conformance`: {whole.name}", whole.cases, whole.requests, whole.seconds)
    for rate in results.same_cases:
        table.add(f"the same cases, {rate.name}", rate.cases, "", rate.seconds)
    loopback, distant = results.loopback.seconds, results.distant.seconds
    table.notes.append(
        f"`make conformance MAX_EXAMPLES={results.max_examples}` from start to end, "
        f"{REFERENCE_DATA[1]} synthetic groups. Every answer {LATENCY * 1000:.0f} ms late made "
        f"the run {distant / loopback:.1f} times as long as on loopback: schemathesis's shards "
        "and the property checks' requests go out together. The last three rows send the same "
        "positive and negative cases of both operations (fixed seed, all checks)."
    )
    return table

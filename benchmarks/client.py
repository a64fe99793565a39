"""The generated client: what a call through the CustomerInterface facade costs beyond the
same request with raw httpx on the same server, and how much memory iterating over every
group takes (it should be a page's worth, not all of them)."""

from __future__ import annotations

import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
from customer_interface_client import CustomerInterface

from benchmarks.report import Section
from benchmarks.server import documented_keys
from benchmarks.servers import Servers
from contract.conformance.live_server import LiveServer
from contract.errors import BenchmarkError
from contract.layout import REPO_ROOT
from contract.release import client_project_at
from reference_server.spec_rules import load_rules

WARMUP_CALLS = 100
BLOCK = 100  # calls of one variant before switching, so drift of the machine hits both alike
MIB = 2**20


@dataclass(frozen=True)
class CallCost:
    """Wall time per call in microseconds, and CPU time of this process per call."""

    median_us: float
    mean_us: float
    cpu_us: float


@dataclass(frozen=True)
class Overhead:
    operation: str
    calls: int
    facade: CallCost
    raw: CallCost


# What a row of the iteration table measures: a loop over every group, a loop over the first
# tenth of them (memory is bounded when the whole loop's peak is no higher), or every group held.
WALK, TENTH, HELD = "walk", "tenth", "held"


@dataclass(frozen=True)
class Iteration:
    name: str
    page_size: int
    groups: int
    requests: int
    seconds: float | None
    peak_mib: float
    role: str = WALK


# The last client with openapi-python-client's attrs models, which the Pydantic one replaced.
BASELINE_VERSION, BASELINE_COMMIT = "2.0.0", "d9fd4902f7ad0786e8e1e3757f92177aed58cb34"
RECORDED_PAGES = 100  # page bodies of 100 groups each, recorded for the CPU measure
VERSION_PAGE_SIZE = 100


@dataclass(frozen=True)
class VersionCost:
    """One client version: its CPU per group on recorded pages (no server), and a loop over
    every group of the synthetic server at pages of VERSION_PAGE_SIZE."""

    label: str
    cpu_us_per_group: float
    groups: int
    seconds: float
    peak_mib: float

    @property
    def rate(self) -> float:
        return self.groups / self.seconds


@dataclass
class ClientResults:
    overheads: list[Overhead]
    iterations: list[Iteration]
    total_groups: int
    versions: list[VersionCost] = field(default_factory=list)
    versions_note: str = ""

    def version_pair(self) -> tuple[VersionCost, VersionCost] | None:
        """(the baseline, this work tree), when both were measured."""
        return (self.versions[0], self.versions[1]) if len(self.versions) == 2 else None


def compare_calls(
    facade: Callable[[], object], raw: Callable[[], object], calls: int
) -> tuple[CallCost, CallCost]:
    """`calls` of each, alternating in blocks, after a warm-up of each."""
    for _ in range(WARMUP_CALLS):
        facade()
        raw()
    wall: dict[str, list[int]] = {"facade": [], "raw": []}
    cpu = {"facade": 0.0, "raw": 0.0}
    variants = {"facade": facade, "raw": raw}
    for _ in range(math.ceil(calls / BLOCK)):
        for name, call in variants.items():
            started_cpu = time.process_time()
            for _ in range(BLOCK):
                started = time.perf_counter_ns()
                call()
                wall[name].append(time.perf_counter_ns() - started)
            cpu[name] += time.process_time() - started_cpu

    def cost(name: str) -> CallCost:
        samples = wall[name]
        return CallCost(
            statistics.median(samples) / 1e3,
            statistics.fmean(samples) / 1e3,
            cpu[name] / len(samples) * 1e6,
        )

    return cost("facade"), cost("raw")


def time_overheads(server: LiveServer, calls: int) -> list[Overhead]:
    """list(count=1) and retrieve(id) on the documented groups."""
    key = documented_keys(load_rules())[0]

    def plain(response: httpx.Response) -> object:
        response.raise_for_status()
        return response.json()

    with (
        CustomerInterface(server.base_url, server.user, server.password) as api,
        httpx.Client(base_url=server.base_url, auth=server.auth) as client,
    ):
        list_costs = compare_calls(
            lambda: api.event_groups.list(count=1),
            lambda: plain(client.get("/event-groups", params={"count": 1})),
            calls,
        )
        detail_costs = compare_calls(
            lambda: api.event_groups.retrieve(key),
            lambda: plain(client.get(f"/event-groups/{key}")),
            calls,
        )
    return [
        Overhead("`list(count=1)`", calls, *list_costs),
        Overhead("`retrieve(id)`", calls, *detail_costs),
    ]


def consume(groups: Iterator[object]) -> int:
    return sum(1 for _ in groups)


def peak_mib(action: Callable[[], object]) -> float:
    """Peak of Python allocations during `action`, in MiB, by tracemalloc."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def time_iterations(
    server: LiveServer, groups: int, page_sizes: tuple[int, ...]
) -> list[Iteration]:
    """Each page size twice: timed without tracemalloc (which slows Python down), then traced."""
    results = []
    with CustomerInterface(server.base_url, server.user, server.password) as api:
        pages = api.event_groups.list

        def walk(size: int) -> int:
            return consume(iter(pages(count=size)))

        for size in page_sizes:
            start = time.perf_counter()
            seen = walk(size)
            seconds = time.perf_counter() - start
            peak = peak_mib(partial(walk, size))
            results.append(Iteration("`for group in list(count=...)`", size, seen,
                                     math.ceil(seen / size), seconds, peak))  # fmt: skip
        size = max(page_sizes)
        tenth = groups // 10
        peak = peak_mib(lambda: consume(itertools.islice(iter(pages(count=size)), tenth)))
        results.append(Iteration("the first tenth of `for group in list(count=...)`", size, tenth,
                                 math.ceil(tenth / size), None, peak, TENTH))  # fmt: skip
        held: list[object] = []
        peak = peak_mib(lambda: held.extend(pages(count=size)))
        requests = math.ceil(len(held) / size)
        name = "every group of `list(count=...)` held"
        results.append(Iteration(name, size, len(held), requests, None, peak, HELD))
    if any(item.groups != groups for item in results if item.role != TENTH):
        raise BenchmarkError(f"iterating gave {[i.groups for i in results]}, not {groups} groups")
    return results


def record_pages(server: LiveServer, folder: Path) -> Path:
    """RECORDED_PAGES bodies of the list at pages of VERSION_PAGE_SIZE, spread over every
    group (so no two alike), as the server sent them."""
    folder.mkdir()
    with httpx.Client(base_url=server.base_url, auth=server.auth, timeout=30) as client:
        total = client.get("/event-groups", params={"count": 1}).json()["data"]["total_items"]
        step = max(total // RECORDED_PAGES, VERSION_PAGE_SIZE)
        for index in range(RECORDED_PAGES):
            query = {"count": VERSION_PAGE_SIZE, "offset": (index * step) % max(total, 1)}
            response = client.get("/event-groups", params=query)
            response.raise_for_status()
            (folder / f"{index:04}.json").write_bytes(response.content)
    return folder


def measure_version(label: str, package_root: Path | None, bodies: Path,
                    server: LiveServer) -> VersionCost:  # fmt: skip
    """benchmarks.client_version in a process of its own, with the client package found in
    `package_root` first (None: the work tree's, as .venv finds it)."""
    environment = {**os.environ, "BENCH_USER": server.user, "BENCH_PASSWORD": server.password}
    if package_root is not None:
        environment["PYTHONPATH"] = str(package_root)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.client_version", str(bodies), server.base_url],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    if result.returncode != 0:
        raise BenchmarkError(f"measuring client {label} failed:\n{result.stderr.strip()}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    label = f"{found['version']} ({label})"
    return VersionCost(label, found["cpu_us_per_group"], found["groups"], found["seconds"],
                       found["peak_mib"])  # fmt: skip


def compare_versions(server: LiveServer) -> tuple[list[VersionCost], str]:
    """The baseline client (from git history) and this work tree's, on the same recorded
    bodies and the same server, one after the other; a note where history lacks the baseline."""
    with tempfile.TemporaryDirectory() as scratch:
        bodies = record_pages(server, Path(scratch) / "pages")
        baseline = client_project_at(BASELINE_COMMIT, Path(scratch))
        current = measure_version("this work tree, Pydantic models", None, bodies, server)
        if baseline is None:
            note = f"client {BASELINE_VERSION} not measured: this clone lacks {BASELINE_COMMIT[:7]}"
            return [current], note
        old = measure_version(f"{BASELINE_COMMIT[:7]}, attrs models", baseline, bodies, server)
        return [old, current], ""


def run(servers: Servers, calls: int, page_sizes: tuple[int, ...]) -> ClientResults:
    overheads = time_overheads(servers.documented(), calls)
    iterations = time_iterations(servers.synthetic(), servers.groups, page_sizes)
    versions, note = compare_versions(servers.synthetic())
    return ClientResults(overheads, iterations, servers.groups, versions, note)


def sections(results: ClientResults) -> list[Section]:
    calls = Section(
        "client-calls",
        "Client: cost of a call",
        ["Call", "Facade µs, median", "Raw httpx µs, median", "Overhead µs", "Overhead %",
         "Facade CPU µs/call", "Raw httpx CPU µs/call"],
    )  # fmt: skip
    for item in results.overheads:
        extra = item.facade.median_us - item.raw.median_us
        share = 100 * extra / item.raw.median_us
        calls.add(item.operation, item.facade.median_us, item.raw.median_us, extra, share,
                  item.facade.cpu_us, item.raw.cpu_us)  # fmt: skip
    if results.overheads:
        calls.notes.append(
            f"{results.overheads[0].calls:,} sequential calls each way against the reference "
            "server with the documented groups, in alternating blocks of "
            f"{BLOCK} after {WARMUP_CALLS} warm-up calls. Raw httpx sends the same request with "
            "the same Basic auth and decodes the JSON; the facade adds retries (httpx-retries), "
            "status checks and the generated models. CPU is this process's alone."
        )
    iterations = Section(
        "client-iteration",
        f"Client: iterating over {results.total_groups:,} groups",
        ["Iteration", "Page size", "Groups", "Requests", "Seconds", "Groups/s", "Peak MiB"],
    )
    for it in results.iterations:
        rate = None if it.seconds is None else it.groups / it.seconds
        iterations.add(it.name, it.page_size, it.groups, it.requests, it.seconds, rate,
                       it.peak_mib)  # fmt: skip
    iterations.notes.append(
        "Peak MiB: the highest Python allocation while iterating, by tracemalloc, in a run of "
        "its own (tracing slows Python down, so seconds come from an untraced run). The loop over "
        "the first tenth shows whether memory grows with the groups walked; the last row keeps "
        "every group, for comparison."
    )
    versions = Section(
        "client-versions",
        f"Client: {BASELINE_VERSION} against this work tree",
        ["Client", "CPU µs per group, recorded pages", "Groups", "Seconds", "Groups/s",
         "Peak MiB"],
    )  # fmt: skip
    for version in results.versions:
        versions.add(version.label, version.cpu_us_per_group, version.groups, version.seconds,
                     version.rate, version.peak_mib)  # fmt: skip
    pair = results.version_pair()
    if pair is not None:
        old, new = pair
        versions.notes.append(
            f"CPU per group {old.cpu_us_per_group / new.cpu_us_per_group:.1f} times lower,"
            f" iteration {new.rate / old.rate:.2f} times the rate of client {BASELINE_VERSION}."
        )
    if results.versions_note:
        versions.notes.append(results.versions_note)
    versions.notes.append(
        f"Each version in a process of its own, the same code measuring both"
        f" (benchmarks/client_version.py). CPU: turning {RECORDED_PAGES} recorded page bodies of"
        f" {VERSION_PAGE_SIZE} groups into models and handing out their items, no server, the"
        " fastest of 5 passes. Groups/s and peak: `for group in list(count=100)` over every group"
        f" of the synthetic server, after one warm-up loop. Client {BASELINE_VERSION} is"
        f" generated/client at commit {BASELINE_COMMIT[:7]}, read from git history."
    )
    return [calls, iterations, versions]

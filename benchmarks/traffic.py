"""Checking traffic: how fast `make check-traffic` judges a HAR file and how much memory it
holds as the file grows (each size judged in a process of its own, its peak resident memory
read from the kernel), and how much latency the validating proxy adds to the reference server,
request by request.

The traffic is what a client sends: distinct list queries (filters, sort fields, directions,
page sizes and offsets) and detail lookups, recorded once from the reference server. Larger
files repeat that recording; the judge keeps no cache of answers, so each exchange is
judged in full."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

from benchmarks.report import Section
from contract.conformance.live_server import LiveServer, free_port, start_live_server
from contract.conformance.traffic import HarWriter, entry, from_httpx
from contract.errors import BenchmarkError
from contract.layout import REPO_ROOT

SIZES = (10_000, 30_000, 100_000)
DISTINCT = 2_000  # distinct exchanges recorded from the server
REQUESTS = 2_000  # timed one after another, straight to the server and through the proxy
AIMS = {"p50": 1.0, "p99": 5.0}  # added ms
SORT_FIELDS = ("name", "text_id", "state", "event_group_id")


def queries(groups: int) -> list[str]:
    """Distinct list and detail paths of what a client sends (relative to the base URL)."""
    names = ["cart", "Tasks", "straße", "ÜBER", "points", "50%", "Café", "open"]
    found = []
    for index in itertools.count():
        query = {"count": str(1 + index % 50), "offset": str((index * 37) % max(groups, 1))}
        if index % 3 == 0:
            query["name"] = names[index % len(names)]
        if index % 4 == 0:
            query["sort_field"] = SORT_FIELDS[(index // 4) % len(SORT_FIELDS)]
            query["sort_direction"] = "DESC" if index % 8 == 0 else "ASC"
        found.append("/event-groups?" + urlencode(query))
        if len(found) >= DISTINCT:
            return found
    return found


def record(server: LiveServer, path: Path) -> int:
    """Record DISTINCT exchanges (list queries, then the detail of listed items) as a HAR."""
    with httpx.Client(auth=server.auth, timeout=10) as client, path.open("w") as stream:
        writer = HarWriter(stream)
        keys: list[str] = []
        for index, query in enumerate(queries(150)[: DISTINCT * 3 // 4]):
            response = client.get(server.base_url + query)
            writer.add(entry(from_httpx(index, response)))
            keys += [g["event_group_id"] for g in response.json()["data"]["event_groups"]]
        for index, key in enumerate(dict.fromkeys(keys), start=DISTINCT * 3 // 4):
            if index >= DISTINCT:
                break
            detail = client.get(f"{server.base_url}/event-groups/{key}")
            writer.add(entry(from_httpx(index, detail)))
        writer.close()
    return DISTINCT


def grown(recorded: Path, size: int, path: Path) -> None:
    """A HAR of `size` entries: the recorded ones again and again."""
    entries = json.loads(recorded.read_text())["log"]["entries"]
    with path.open("w") as stream:
        writer = HarWriter(stream)
        for index in range(size):
            writer.add(entries[index % len(entries)])
        writer.close()


@dataclass(frozen=True)
class Judged:
    exchanges: int
    seconds: float
    peak_mib: float
    file_mib: float


WORKER = """
import json, resource, sys, time
from pathlib import Path
from contract.conformance.traffic import judge_all, read_har
from contract.layout import BUNDLED_SPEC
start = time.perf_counter()
judge = judge_all(read_har(Path(sys.argv[1])), BUNDLED_SPEC)
seconds = time.perf_counter() - start
findings, _ = judge.result()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"judged": judge.judged, "seconds": seconds, "peak": peak,
                  "findings": len(findings)}))
"""


def judge_file(path: Path) -> Judged:
    """Judge `path` in a fresh process: its time (spec loading included) and peak memory."""
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(path)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BenchmarkError(f"judging {path.name} failed:\n{result.stderr[-2000:]}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if out["findings"]:
        raise BenchmarkError(f"the reference server's traffic gave {out['findings']} finding(s)")
    return Judged(out["judged"], out["seconds"], out["peak"], path.stat().st_size / 2**20)


@dataclass(frozen=True)
class Latency:
    name: str
    p50_ms: float
    p99_ms: float
    sent: int
    errors: int


def timed_requests(base_url: str, auth: httpx.BasicAuth, paths: list[str], name: str) -> Latency:
    """REQUESTS requests one after another on one kept-alive connection, each timed."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(auth=auth, timeout=10) as client:
        client.get(base_url + paths[0])  # the connection, opened before timing
        for index in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(base_url + paths[index % len(paths)])
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status_code != 200
    latencies.sort()
    return Latency(
        name, latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)], REQUESTS,
        errors,
    )  # fmt: skip


def proxy_latency(server: LiveServer, workdir: Path) -> list[Latency]:
    """The same paced requests straight to the server, then through the proxy."""
    port = free_port()
    har = workdir / "proxy.har"
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.proxy", "--target", server.base_url, "--port", str(port),
         "--har", str(har)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        proxied = server.base_url.replace(server.base_url.split("/rest-api")[0],
                                          f"http://127.0.0.1:{port}")  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(proxied + "/event-groups", auth=server.auth, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise BenchmarkError("the proxy did not start") from None
                time.sleep(0.2)
        paths = queries(150)
        direct = timed_requests(server.base_url, server.auth, paths, "straight to the server")
        through = timed_requests(proxied, server.auth, paths, "through the proxy")
    finally:
        process.terminate()
        process.wait(30)
    return [direct, through]


@dataclass(frozen=True)
class TrafficResults:
    judged: list[Judged]
    latencies: list[Latency]


def run() -> TrafficResults:
    with tempfile.TemporaryDirectory(prefix="bench-traffic-") as folder:
        workdir = Path(folder)
        with start_live_server(workdir, "--synthetic", "150") as server:
            recorded = workdir / "recorded.har"
            record(server, recorded)
            judged = []
            for size in SIZES:
                path = workdir / f"traffic-{size}.har"
                grown(recorded, size, path)
                judged.append(judge_file(path))
                path.unlink()
            latencies = proxy_latency(server, workdir)
    return TrafficResults(judged, latencies)


def sections(results: TrafficResults) -> list[Section]:
    har = Section(
        "traffic-har", "Checking a HAR file",
        ["Exchanges", "File MiB", "Seconds", "Exchanges/s", "Peak memory MiB"],
    )  # fmt: skip
    for item in results.judged:
        rate = item.exchanges / item.seconds if item.seconds else 0.0
        har.add(item.exchanges, item.file_mib, item.seconds, rate, item.peak_mib)
    har.notes.append(
        f"`make check-traffic` on HAR files of {DISTINCT:,} distinct exchanges recorded from the "
        "reference server (150 groups: list queries with filters, sorts, page sizes and offsets, "
        "and detail lookups), repeated to each size; each size judged in a fresh process, spec "
        "loading included. Aim: 100,000 exchanges in under 60 s, memory flat as the file grows."
    )
    proxy = Section(
        "traffic-proxy", "Validating proxy: added latency",
        ["Requests", "p50 ms", "p99 ms", "Errors"],
    )  # fmt: skip
    for latency in results.latencies:
        proxy.add(f"{latency.name}: {latency.sent:,}", latency.p50_ms, latency.p99_ms,
                  latency.errors)  # fmt: skip
    if len(results.latencies) == 2:
        direct, through = results.latencies
        proxy.add("added by the proxy", through.p50_ms - direct.p50_ms,
                  through.p99_ms - direct.p99_ms, None)  # fmt: skip
    proxy.notes.append(
        f"{REQUESTS:,} requests one after another over {DISTINCT:,} distinct paths, on one "
        "kept-alive connection; the proxy judges and records every exchange. Aims: p50 under "
        f"{AIMS['p50']:g} ms and p99 under {AIMS['p99']:g} ms added, at 1,000 requests per "
        "second. Not measured at that rate: a Python client sends about 260 requests per "
        "second here, one after another; a load generator with a fixed rate (wrk2) is not "
        "among the machine's packages."
    )
    return [har, proxy]

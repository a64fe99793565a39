"""Checking traffic: how fast `make check-traffic` judges a HAR file and how much memory it
holds as the file grows (each size judged in a process of its own, its peak resident memory
read from the kernel), and how much latency the validating proxy adds to the reference server
at fixed rates (wrk, paced).

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
from urllib.parse import urlencode, urlsplit

import httpx

from benchmarks.report import Section
from benchmarks.wrk import INSTALL_HINT, Load, WrkResult, run_wrk_paths, write_paths, wrk_executable
from contract.conformance import basic
from contract.conformance.live_server import LiveServer, free_port, start_live_server
from contract.conformance.traffic import HarWriter, entry, from_httpx
from contract.errors import BenchmarkError
from contract.layout import REPO_ROOT

SIZES = (10_000, 30_000, 100_000)
DISTINCT = 2_000  # distinct exchanges recorded from the server
AIMS = {"p50": 1.0, "p99": 5.0}  # added ms
SORT_FIELDS = ("name", "text_id", "state", "event_group_id")


def queries(groups: int, wanted: int = DISTINCT) -> list[str]:
    """`wanted` distinct list queries of what a client sends (relative to the base URL): no
    two share their offset and count, up to 50 times `groups` of them."""
    names = ["cart", "Tasks", "straße", "ÜBER", "points", "50%", "Café", "open"]
    found = []
    for index in itertools.count():
        query = {"count": str(1 + index // groups % 50), "offset": str(index % groups)}
        if index % 3 == 0:
            query["name"] = names[index % len(names)]
        if index % 4 == 0:
            query["sort_field"] = SORT_FIELDS[(index // 4) % len(SORT_FIELDS)]
            query["sort_direction"] = "DESC" if index % 8 == 0 else "ASC"
        found.append("/event-groups?" + urlencode(query))
        if len(found) >= wanted:
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
    peak_mib: float | None  # None where /proc cannot tell
    file_mib: float


# The peak is the worker's VmHWM: ru_maxrss would carry over the high-water mark of the
# process that started it (Linux keeps it across fork and exec).
WORKER = """
import json, os, sys, time
from pathlib import Path
from benchmarks.memory import resident
from contract.conformance import load_contract
from contract.conformance.traffic import judge_all, read_har
from contract.layout import BUNDLED_SPEC
start = time.perf_counter()
judge = judge_all(read_har(Path(sys.argv[1])), load_contract(BUNDLED_SPEC))
seconds = time.perf_counter() - start
findings, _ = judge.result()
peak = getattr(resident(os.getpid()), "peak_mib", None)
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
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BenchmarkError(f"judging {path.name} failed: {last}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if out["findings"]:
        raise BenchmarkError(f"the reference server's traffic gave {out['findings']} finding(s)")
    return Judged(out["judged"], out["seconds"], out["peak"], path.stat().st_size / 2**20)


# The aim's rate, and half of it: on 2 cores shared with the server and wrk, the proxy may
# not keep up with the first, and the second shows what it adds when it does.
LOADS = tuple(Load(connections=8, seconds=5, rate=rate) for rate in (1_000, 500))


@dataclass(frozen=True)
class Paced:
    """One rate, straight to the server and through the proxy."""

    load: Load
    direct: WrkResult
    through: WrkResult


def proxy_latency(server: LiveServer, workdir: Path) -> list[Paced]:
    """At each rate, the same distinct paths straight to the server, then through the proxy
    (which judges every exchange and records it as HAR)."""
    port = free_port()
    har = workdir / "proxy.har"
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.proxy", "--target", server.base_url, "--port", str(port),
         "--har", str(har)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        prefix = urlsplit(server.base_url).path  # the spec's server path
        proxied = f"http://127.0.0.1:{port}{prefix}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(proxied + "/event-groups", auth=server.auth, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise BenchmarkError("the proxy did not start") from None
                time.sleep(0.2)
        # The schedule's count, and a margin: each connection's first request is not paced.
        wanted = max(load.seconds * (load.rate or 0) for load in LOADS) * 11 // 10
        lines = [prefix + query for query in queries(150, wanted)]
        path_file = write_paths(lines, workdir / "proxy-paths.txt")
        authorization = basic(server.user, server.password)
        results = []
        for load in LOADS:
            both = []
            for url in (server.base_url, proxied):
                result, sent = run_wrk_paths(url, authorization, load, path_file)
                if sent.repeated:
                    raise BenchmarkError(f"{sent.repeated} request(s) repeated a path")
                both.append(result)
            results.append(Paced(load, *both))
    finally:
        process.terminate()
        process.wait(30)
    return results


@dataclass(frozen=True)
class TrafficResults:
    judged: list[Judged]
    paced: list[Paced]  # none without wrk


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
            paced = proxy_latency(server, workdir) if wrk_executable() else []
    return TrafficResults(judged, paced)


def sections(results: TrafficResults) -> list[Section]:
    har = Section(
        "traffic-har", "Checking a HAR file",
        ["Exchanges", "File MiB", "Seconds", "Exchanges/s", "Peak memory MiB"],
    )  # fmt: skip
    for item in results.judged:
        per_second = item.exchanges / item.seconds if item.seconds else 0.0
        har.add(item.exchanges, item.file_mib, item.seconds, per_second, item.peak_mib)
    har.notes.append(
        f"`make check-traffic` on HAR files of {DISTINCT:,} distinct exchanges recorded from the "
        "reference server (150 groups: list queries with filters, sorts, page sizes and offsets, "
        "and detail lookups), repeated to each size; each size judged in a fresh process, spec "
        "loading included. Aim: 100,000 exchanges in under 60 s, memory flat as the file grows."
    )
    proxy = Section(
        "traffic-proxy", "Validating proxy: added latency",
        ["Rate", "Requests", "Sent/s", "Late", "p50 ms", "p99 ms", "Errors"],
    )  # fmt: skip
    for paced in results.paced:
        rate = f"{paced.load.rate:,} req/s"
        for name, result in (("straight", paced.direct), ("through the proxy", paced.through)):
            proxy.add(rate, f"{name}: {result.requests:,}", result.requests_per_second,
                      result.late, result.p50_ms, result.p99_ms, result.errors)  # fmt: skip
        direct, through = paced.direct, paced.through
        proxy.add(rate, "added by the proxy", None, None, through.p50_ms - direct.p50_ms,
                  through.p99_ms - direct.p99_ms, None)  # fmt: skip
    if not results.paced:
        proxy.notes.append(f"Skipped: wrk is not installed; {INSTALL_HINT}.")
    proxy.notes.append(
        f"wrk on 127.0.0.1 ({LOADS[0].describe()}, then at {LOADS[1].rate:,} req/s) sends "
        "distinct list queries on a fixed schedule (each path once, the same paths straight "
        "and through the proxy); the proxy judges every exchange and records it as HAR. Late: "
        "requests sent over 1 ms after their slot because every connection was waiting for an "
        "answer; their latency excludes that wait, so a rate with many late requests was not "
        f"kept up with. Aims: p50 under {AIMS['p50']:g} ms and p99 under {AIMS['p99']:g} ms "
        "added, at 1,000 requests per second."
    )
    return [har, proxy]

"""How cost grows: the scenarios that never repeat a query, cold under load, over other numbers
of synthetic groups (each in a server and SQLite file of its own) and over the main number
served by several processes sharing its file; beside each, how long the server took to start
(creating and seeding its file), how large the file is and how much memory the server holds."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import distinct
from benchmarks.memory import Resident, resident
from benchmarks.report import Section
from benchmarks.wrk import Load
from contract.conformance import basic
from contract.conformance.live_server import LiveServer, start_live_server
from contract.spec.declarations import ListResource

SMALL = 10_000
LARGE = 1_000_000  # only with --large: seeding it takes minutes
PROCESSES = 2  # one per core of the machines this was measured on
MIB = 2**20
SEEDING_TIMEOUT = 900.0  # seconds: a million groups take minutes to write and index


@dataclass(frozen=True)
class Config:
    groups: int
    processes: int = 1

    @property
    def label(self) -> str:
        many = f", {self.processes} processes" if self.processes > 1 else ""
        return f"{self.groups:,}{many}"


@dataclass(frozen=True)
class Grown:
    config: Config
    measured: list[distinct.Measured]
    start_seconds: float | None  # creating and seeding the file; None: it was there already
    file_mib: float
    started: Resident | None  # after start-up
    loaded: Resident | None  # after the scenarios (peak: the most held at any time)
    failure: str | None = None  # why this configuration was not measured


def failed(config: Config, reason: str) -> Grown:
    return Grown(config, [], None, 0.0, None, None, reason)


def configs(groups: int, large: bool) -> list[Config]:
    """The other sizes and the main size with several processes; the main size with one
    process is the main table's."""
    sizes = [SMALL, *([LARGE] if large else [])]
    return [Config(groups, PROCESSES), *(Config(size) for size in sizes if size != groups)]


def measure(
    server: LiveServer,
    config: Config,
    resource: ListResource,
    load: Load,
    folder: Path,
    start_seconds: float | None,
    database: Path,
) -> Grown:
    started = resident(server.pid)
    measured = distinct.run(
        server.base_url, basic(server.user, server.password), resource, config.groups,
        (load, None), folder,
    )  # fmt: skip
    return Grown(
        config, measured, start_seconds, database.stat().st_size / MIB, started,
        resident(server.pid),
    )  # fmt: skip


def run(config: Config, resource: ListResource, load: Load, workdir: Path, database: Path) -> Grown:
    """Start a server for `config` on `database` (seeded first when it does not exist), load
    it with every scenario, and stop it."""
    arguments = ["--db", str(database), "--workers", str(config.processes)]
    seeding = not database.exists()
    if seeding:
        arguments += ["--synthetic", str(config.groups)]
    folder = workdir / f"growth-{config.groups}-{config.processes}"
    folder.mkdir(exist_ok=True)
    start = time.perf_counter()
    with start_live_server(workdir, *arguments, startup_timeout=SEEDING_TIMEOUT) as server:
        seconds = time.perf_counter() - start if seeding else None
        return measure(server, config, resource, load, folder, seconds, database)


def main_size(
    server: LiveServer,
    groups: int,
    measured: list[distinct.Measured],
    seconds: float | None,
    database: Path,
    started: Resident | None,
) -> Grown:
    """The main table's figures as one more column, with the main server's memory."""
    file_mib = database.stat().st_size / MIB
    return Grown(Config(groups), measured, seconds, file_mib, started, resident(server.pid))


def section(grown: list[Grown], load: Load) -> Section:
    measured = [item for item in grown if item.measured]
    columns = ["Request"]
    for item in measured:
        columns += [f"{item.config.label}: req/s", f"{item.config.label}: p99 ms"]
    table = Section("growth", "How cost grows: queries that never repeat, cold", columns)
    for index, scenario in enumerate(measured[0].measured if measured else []):
        cells: list[str | float | int | None] = [scenario.scenario.request]
        for item in measured:
            cold = item.measured[index].loaded.cold
            cells += [cold.requests_per_second, cold.p99_ms]
        table.add(*cells)
    table.notes += [
        f"{item.config.label}: not measured: {item.failure}" for item in grown if item.failure
    ]
    table.notes.append(
        f"Each query sent for the first time, {load.describe()} per scenario, the same "
        "scenarios and kinds of values as the table of queries that never repeat (drawn from "
        "each size's own synthetic groups). Several processes: `--workers`, each with its own "
        "connection to the one SQLite file and the same wrk thread loading them."
    )
    return table


def memory_section(grown: list[Grown]) -> Section:
    table = Section(
        "growth-memory",
        "Start-up, file and memory by size",
        ["Groups", "Start-up s (creating and seeding the file)", "SQLite file MiB",
         "Server RSS MiB after start-up", "Server RSS MiB after the load",
         "Server peak RSS MiB"],
    )  # fmt: skip
    for item in (item for item in grown if item.measured):
        started, loaded = item.started, item.loaded
        table.add(
            item.config.label,
            item.start_seconds,
            item.file_mib,
            None if started is None else started.now_mib,
            None if loaded is None else loaded.now_mib,
            None if loaded is None else loaded.peak_mib,
        )
    table.notes.append(
        "Resident memory of the server's processes (summed over workers) from /proc: now, and "
        "the high-water mark. The items live in the SQLite file, which the operating system "
        "caches outside the server; the server holds SQLite's page cache and what one request "
        "builds. Start-up of several processes reuses the main size's file, so it is blank."
    )
    return table

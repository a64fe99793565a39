"""`make bench`: run every area (or those named with --only), print each table as it is done,
and write the results as JSON and Markdown to benchmarks/results/ and into docs/benchmarks.md.
An area that fails is reported in its table and the others still run; the exit status is then 1."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    aims,
    breakdown,
    breaking_scale,
    client,
    conformance,
    growth,
    machine,
    pipeline,
    server,
    traffic,
)
from benchmarks.distinct import section as distinct_section
from benchmarks.report import Report, Section, render_section, replace_block, write
from benchmarks.servers import Servers
from benchmarks.wrk import Load
from contract.conformance import Settings
from contract.conformance.live_server import LiveServerError
from contract.errors import ContractError
from contract.layout import BENCHMARKS_PAGE, REPO_ROOT, display_path
from reference_server.spec_rules import load_rules

AREAS = ("pipeline", "breaking", "server", "conformance", "traffic", "client")
RESULTS = REPO_ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Options:
    areas: tuple[str, ...]
    seconds: int
    groups: int
    repeats: int
    max_examples: int
    same_case_examples: int
    calls: int
    output: Path
    page: bool
    large: bool
    digitalocean: Path | None


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--only", choices=AREAS, action="append", help="run only this area")
    parser.add_argument("--seconds", type=int, default=5, help="wrk seconds per request")
    parser.add_argument("--groups", type=int, default=100_000, help="synthetic groups")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each generate step")
    parser.add_argument(
        "--max-examples",
        type=int,
        default=Settings().max_examples,
        help="of `make conformance` (default: its own)",
    )
    parser.add_argument(
        "--same-case-examples", type=int, default=100, help="cases per operation and mode"
    )
    parser.add_argument("--calls", type=int, default=2000, help="client calls each way")
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder of latest.*")
    parser.add_argument(
        "--no-page",
        action="store_true",
        help=f"leave the results in {display_path(BENCHMARKS_PAGE)} as they are",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help=f"also measure {growth.LARGE:,} groups (seeding them takes minutes)",
    )
    parser.add_argument(
        "--digitalocean",
        type=Path,
        help="a folder with before/ and after/ checkouts of github.com/digitalocean/openapi: "
        "make breaking is then measured on the split specs too",
    )
    args = parser.parse_args(argv)
    return Options(
        tuple(args.only or AREAS), args.seconds, args.groups, args.repeats, args.max_examples,
        args.same_case_examples, args.calls, args.output.resolve(), not args.no_page,
        args.large, args.digitalocean,
    )  # fmt: skip


def failed(key: str, title: str, exc: BaseException) -> Section:
    """The table of an area that could not finish: what went wrong, not a traceback."""
    if not isinstance(exc, ContractError):
        traceback.print_exception(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return Section(key, title, [], notes=[f"Not measured: {first}"])


@dataclass
class Outcome:
    tables: list[Section] = field(default_factory=list)
    failures: int = 0
    server: server.ServerResults | None = None
    client: client.ClientResults | None = None
    grown: list[growth.Grown] = field(default_factory=list)
    traffic: traffic.TrafficResults | None = None
    conformance: conformance.ConformanceResults | None = None

    def attempt(self, key: str, title: str, action: Callable[[], list[Section]]) -> None:
        """Run one area and print its tables; a failure is reported in its table and the
        other areas still run."""
        print(f"\n== {title} ...", flush=True)
        try:
            tables = action()
        except Exception as exc:
            self.failures += 1
            tables = [failed(key, title, exc)]
        for table in tables:
            print(render_section(table), flush=True)
        self.tables += tables


def run_areas(options: Options, servers: Servers) -> Outcome:
    outcome = Outcome()
    distinct_seconds = max(1, round(options.seconds * 0.4))
    load = server.Settings(
        loaded=Load(16, options.seconds),
        single=Load(1, max(1, round(options.seconds * 0.6))),
        distinct=(Load(16, distinct_seconds), Load(1, distinct_seconds)),
    )

    def generate() -> list[Section]:
        return [pipeline.section(pipeline.run(options.repeats))]

    def compare() -> list[Section]:
        return breaking_scale.run(options.digitalocean)

    def serve() -> list[Section]:
        outcome.server = server.run(servers, servers.workdir, load)
        tables = [server.section(outcome.server, servers, load)]
        if outcome.server.distinct and load.distinct:
            data = server.synthetic_label(servers.groups)
            tables.append(distinct_section(outcome.server.distinct, data, load.distinct))
        if outcome.server.distinct and load.distinct:
            breakdowns = breakdown.run(servers.database, outcome.server.distinct, servers.groups)
            tables.append(breakdown.section(breakdowns, servers.groups))
            outcome.grown = grow(load.distinct[0])
            tables += [growth.section(outcome.grown, load.distinct[0])]
            tables += [growth.memory_section(outcome.grown)]
        return tables

    def grow(distinct_load: Load) -> list[growth.Grown]:
        """The main table's figures beside other sizes and several processes."""
        assert outcome.server is not None
        resource = server.measured_resource(load_rules())
        grown = [
            growth.main_size(
                servers.synthetic(), servers.groups, outcome.server.distinct,
                servers.seed_seconds, servers.database, outcome.server.synthetic_started,
            )
        ]  # fmt: skip
        for config in growth.configs(servers.groups, options.large):
            database = (
                servers.database
                if config.groups == servers.groups
                else servers.workdir / f"synthetic-{config.groups}.sqlite"
            )
            try:
                grown.append(growth.run(config, resource, distinct_load, servers.workdir, database))
            except (ContractError, LiveServerError) as exc:
                grown.append(growth.failed(config, str(exc).strip().splitlines()[0]))
        return sorted(grown, key=lambda item: (item.config.groups, item.config.processes))

    def harness() -> list[Section]:
        outcome.conformance = conformance.run(options.max_examples, options.same_case_examples)
        return [conformance.section(outcome.conformance)]

    def check_traffic() -> list[Section]:
        outcome.traffic = traffic.run()
        return traffic.sections(outcome.traffic)

    def call() -> list[Section]:
        outcome.client = client.run(servers, options.calls, (100, 1000))
        return client.sections(outcome.client)

    areas = {
        "pipeline": ("Generate", generate),
        "breaking": ("make breaking at scale", compare),
        "server": ("Reference server and Prism under load", serve),
        "conformance": ("Conformance harness", harness),
        "traffic": ("Checking traffic: HAR files and the validating proxy", check_traffic),
        "client": ("Client", call),
    }
    for key, (title, action) in areas.items():
        if key in options.areas:
            outcome.attempt(key, title, action)
    return outcome


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    started = time.perf_counter()
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as workdir,
        Servers(Path(workdir), options.groups) as servers,
    ):
        outcome = run_areas(options, servers)
    elapsed = time.perf_counter() - started
    tables = [
        *outcome.tables,
        aims.section(
            outcome.server,
            outcome.grown,
            outcome.client,
            outcome.traffic,
            outcome.conformance,
            options.groups,
            elapsed,
            options.large,
        ),
    ]
    report = Report(started_at, machine.describe(), tables, elapsed)
    json_path, markdown_path = write(report, options.output)
    print(f"\nwrote {display_path(json_path)} and {display_path(markdown_path)}")
    if options.page:
        text = BENCHMARKS_PAGE.read_text("utf-8")
        markdown = markdown_path.read_text("utf-8")
        BENCHMARKS_PAGE.write_text(replace_block(text, markdown, BENCHMARKS_PAGE), "utf-8")
        print(f"updated the results in {display_path(BENCHMARKS_PAGE)}")
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())

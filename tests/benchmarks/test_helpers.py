"""The helpers of `make bench` that read tool output and write the tables. The benchmarks
themselves are not run here: they measure, they do not pass or fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import benchmarks.server
from benchmarks import distinct, growth, traffic
from benchmarks.aims import (
    distance_aim,
    har_aim,
    latency_aim,
    memory_aim,
    name_throughput_aim,
    proxy_aim,
)
from benchmarks.client import HELD, TENTH, ClientResults, Iteration
from benchmarks.conformance import ConformanceResults, Run, parse_output
from benchmarks.memory import resident
from benchmarks.report import (
    BLOCK_END,
    BLOCK_START,
    Report,
    Section,
    format_cell,
    render_markdown,
    replace_block,
    write,
)
from benchmarks.server import ServerResults, Settings
from benchmarks.servers import Servers
from benchmarks.wrk import (
    AUTHORIZATION_VARIABLE,
    Load,
    PathsSent,
    WrkResult,
    parse_report,
    run_wrk,
    run_wrk_paths,
    write_paths,
    wrk_command,
    wrk_environment,
)
from contract.conformance import basic
from contract.conformance.live_server import LiveServer
from contract.conformance.traffic import HarWriter
from contract.errors import BenchmarkError
from contract.layout import BENCHMARKS_PAGE, REPO_ROOT
from reference_server.spec_rules import load_rules

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8080/rest-api/customer-interface/v1.0/event-groups
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.23ms  493.36us   7.96ms   91.32%
  21632 requests in 5.00s, 11.53MB read
Requests/sec:   4326.40
Transfer/sec:      2.31MB
wrk-report {"requests": 21632, "duration_us": 5000123, "bytes": 12089000, "p50_us": 2170, \
"p90_us": 2340, "p99_us": 4560, "max_us": 7960, \
"errors": {"connect": 0, "read": 1, "write": 0, "status": 3, "timeout": 2}}
"""


def test_wrk_report_line_gives_exact_rate_latency_and_every_kind_of_error() -> None:
    result = parse_report(WRK_OUTPUT)

    assert result.requests == 21632
    assert result.requests_per_second == pytest.approx(21632 / 5.000123)
    assert (result.p50_ms, result.p99_ms) == (2.17, 4.56)
    assert result.errors == 6  # socket errors, timeouts and non-2xx answers alike


@pytest.mark.parametrize(
    "output",
    [
        "Running 5s test @ http://127.0.0.1:1/\nunable to connect to 127.0.0.1:1\n",
        'wrk-report {"requests": 1}\n',
        "wrk-report not json\n",
    ],
)
def test_wrk_output_without_a_whole_report_line_is_an_error(output: str) -> None:
    with pytest.raises(BenchmarkError, match="wrk"):
        parse_report(output)


def test_wrk_runs_are_bounded_in_time_and_send_the_credentials_off_the_command_line() -> None:
    command = wrk_command("wrk", "http://127.0.0.1:1/x", Load(16, 5))

    assert command[command.index("-d") + 1] == "5s"
    assert command[command.index("--timeout") + 1] == "2s"
    assert command[-1] == "http://127.0.0.1:1/x"
    assert not any("Basic" in part or "Authorization" in part for part in command)
    assert wrk_environment("Basic abc")[AUTHORIZATION_VARIABLE] == "Basic abc"


def test_wrk_loads_nothing_but_loopback() -> None:
    with pytest.raises(BenchmarkError, match="loopback"):
        run_wrk("http://example.com/", "Basic abc", Load(1, 1))


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_with_the_report_script_measures_a_live_server(live_server: LiveServer) -> None:
    authorization = basic(live_server.user, live_server.password)
    result = run_wrk(live_server.base_url + "/event-groups", authorization, Load(1, 1))

    assert result.requests > 0
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms


def test_a_runs_report_gives_the_cases_of_every_shard_and_the_property_requests() -> None:
    output = (
        "Test cases:\n  955 generated, 955 passed, 4 skipped\n\n"
        "Fuzzing shard 1/2 (seed 1, 500 examples per operation): 612 cases, no issues found\n"
        "Fuzzing shard 2/2 (seed 2, 500 examples per operation): 600 cases, no issues found\n"
        "Property checks: 28 checks, 1034 requests\n"
    )

    assert parse_output(output) == (955 + 612 + 600, 1034)
    with pytest.raises(BenchmarkError, match="no cases"):
        parse_output("Test cases:\n  955 generated\n")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "n/a"),
        (7206, "7,206"),
        (7206.73, "7,207"),
        (16.04, "16.0"),
        (2.174, "2.17"),
        (0.0071, "0.007"),
        ("a | b", "a \\| b"),
    ],
)
def test_cells_show_the_digits_a_reader_can_use(value: float | str | None, shown: str) -> None:
    assert format_cell(value) == shown


def test_markdown_has_the_machine_each_table_and_its_notes() -> None:
    section = Section("server", "Server", ["Request", "req/s"], notes=["wrk, 5 s"])
    section.add("list", 7206.7)
    report = Report("2026-01-01 00:00 UTC", {"CPU": "Test CPU", "Cores": "2"}, [section], 61)

    markdown = render_markdown(report)

    assert "Measured 2026-01-01 00:00 UTC; the run took 1 min 1 s." in markdown
    assert "| CPU | Test CPU |" in markdown
    assert "#### Server\n\n| Request | req/s |\n|---|---|\n| list | 7,207 |\n" in markdown
    assert "- wrk, 5 s" in markdown


def test_a_row_must_fill_every_column() -> None:
    with pytest.raises(BenchmarkError, match="columns"):
        Section("x", "X", ["a", "b"]).add(1)


def test_results_are_written_as_json_and_markdown(tmp_path: Path) -> None:
    report = Report("now", {"CPU": "x"}, [Section("s", "S", ["a"], rows=[[1.5]])])

    json_path, markdown_path = write(report, tmp_path)

    assert json.loads(json_path.read_text("utf-8"))["sections"][0]["rows"] == [[1.5]]
    assert "| 1.50 |" in markdown_path.read_text("utf-8")


def test_results_block_is_replaced_between_its_markers(tmp_path: Path) -> None:
    text = f"before\n{BLOCK_START}\nold\n{BLOCK_END}\nafter\n"

    assert replace_block(text, "new\n", tmp_path / "benchmarks.md") == (
        f"before\n{BLOCK_START}\nnew\n{BLOCK_END}\nafter\n"
    )
    with pytest.raises(BenchmarkError, match="markers"):
        replace_block("no markers", "new\n", tmp_path / "benchmarks.md")


def wrk(p99_ms: float, rate: float = 100.0) -> WrkResult:
    return WrkResult(requests=int(rate), seconds=1.0, p50_ms=1.0, p99_ms=p99_ms, errors=0)


def distinct_measured(
    cold_p99: float, name_filter: bool, steady_p99: float = 1.0, rate: float = 2000.0
) -> distinct.Measured:
    scenario = distinct.Scenario("`name`: distinct", (distinct.NAME_LONG,), name_filter)
    return distinct.Measured(
        scenario,
        100,
        distinct.Run(wrk(cold_p99, rate), wrk(steady_p99, rate), 0),
        distinct.Run(wrk(1.0), wrk(1.0), 0),
    )


@pytest.mark.parametrize(
    ("cold_p99", "steady_p99", "expected"),
    [(15.0, 12.0, "met"), (25.0, 12.0, "not met"), (15.0, 21.0, "not met")],
)
def test_latency_aim_takes_the_worst_scenario_cold_or_steady_under_load(
    cold_p99: float, steady_p99: float, expected: str
) -> None:
    fast = distinct_measured(2.0, name_filter=False)
    results = ServerResults([], distinct=[fast, distinct_measured(cold_p99, False, steady_p99)])

    text, judged = latency_aim(results, [])

    assert judged == expected
    assert f"{max(cold_p99, steady_p99):.1f} ms" in text
    assert latency_aim(ServerResults([]), [])[1] == "not measured"
    assert latency_aim(ServerResults([], skipped="no wrk"), [])[1] == "not measured"


@pytest.mark.parametrize(
    ("several_p99", "expected"), [(9.0, "met with 2 processes, not with one"), (30.0, "not met")]
)
def test_latency_aim_says_when_only_several_processes_meet_it(
    several_p99: float, expected: str
) -> None:
    results = ServerResults([], distinct=[distinct_measured(40.0, False)])
    two = growth.Grown(
        growth.Config(100_000, 2), [distinct_measured(several_p99, False)], None, 1.0, None, None
    )

    text, judged = latency_aim(results, [two])

    assert judged == expected
    assert f"100,000, 2 processes: worst p99 {several_p99:.1f} ms" in text


@pytest.mark.parametrize(("rate", "expected"), [(1200.0, True), (900.0, False)])
def test_name_throughput_aim_takes_the_slowest_cold_name_filter_alone(
    rate: float, expected: bool
) -> None:
    slow_other = distinct_measured(2.0, name_filter=False, rate=10.0)  # not a name filter
    results = ServerResults(
        [],
        distinct=[
            distinct_measured(2.0, True, rate=rate),
            distinct_measured(2.0, True),
            slow_other,
        ],
    )

    assert name_throughput_aim(results)[1] is expected
    assert name_throughput_aim(ServerResults([]))[1] is None


def test_growth_measures_other_sizes_and_several_processes_and_a_million_only_when_asked() -> None:
    assert growth.configs(100_000, large=False) == [
        growth.Config(100_000, growth.PROCESSES), growth.Config(growth.SMALL)
    ]  # fmt: skip
    assert growth.Config(growth.LARGE) in growth.configs(100_000, large=True)
    assert growth.Config(10_000) not in growth.configs(10_000, large=False)  # the main size


def test_memory_of_a_process_and_its_children_is_read_from_proc() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.3)
        alone = resident(child.pid)
        family = resident(os.getpid())
    finally:
        child.kill()
        child.wait()

    assert alone is not None
    assert family is not None
    assert 1 < alone.now_mib <= alone.peak_mib
    assert family.now_mib > alone.now_mib  # this process and its child
    assert resident(child.pid) is None  # gone


def test_distinct_queries_never_repeat_are_deterministic_and_use_the_declared_names() -> None:
    resource = benchmarks.server.measured_resource(load_rules())
    first, second = distinct.pools(resource, 2000), distinct.pools(resource, 2000)

    assert first.values == second.values
    contains = next(f for f in resource.filters if f.match == "contains")
    folded = [
        str(query[contains.parameter]).casefold()
        for kind in distinct.NAME_KINDS
        for query in first.values[kind]
    ]
    assert len(folded) == len(set(folded)) > 1000  # no two share a count the server remembers
    assert all(len(str(q[contains.parameter])) <= 3 for q in first.values[distinct.NAME_SHORT])
    assert all(not str(q[contains.parameter]).isascii() for q in first.values[distinct.NAME_OTHER])
    names = [str(q[contains.parameter]) for q in first.values[distinct.NAME_LONG]]
    assert any(name != name.lower() and name != name.title() for name in names)  # case variants
    declared = {resource.paging.offset, *(f.parameter for f in resource.filters)}
    if resource.sorting:
        declared |= {resource.sorting.field, resource.sorting.direction}
    for kind, queries in first.values.items():
        texts = [str(sorted(query.items())) for query in queries]
        assert len(texts) == len(set(texts)), kind
        assert all(set(query) <= declared for query in queries), kind
    offsets = [q[resource.paging.offset] for q in first.values[distinct.OFFSET]]
    assert sorted(offsets) == list(range(1901))


def test_each_run_gets_values_no_other_run_gets() -> None:
    resource = benchmarks.server.measured_resource(load_rules())
    pools = distinct.pools(resource, 2000)

    values = [
        str(query) for _ in range(distinct.SHARES) for query in pools.share(distinct.EXACT, 1)
    ]

    assert len(set(values)) == len(values) == 2000


def test_path_file_has_one_path_a_line_and_the_replay_what_was_sent(tmp_path: Path) -> None:
    lines = distinct.paths("http://127.0.0.1:1/api", "/groups", [{"name": "Straße"}, {}])
    written = write_paths(lines, tmp_path / "paths.txt")

    assert written.read_text("ascii") == "/api/groups?name=Stra%C3%9Fe\n/api/groups\n"
    with pytest.raises(BenchmarkError, match="one line"):
        write_paths(["/a b"], tmp_path / "bad.txt")
    ten = [f"/{n}" for n in range(10)]
    assert distinct.replay(ten, PathsSent((3,), 0)) == ten[:3]
    assert distinct.replay(ten, PathsSent((2, 3), 0)) == ten[:6]  # thread 1 sent lines 1, 3, 5


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_sends_the_path_file_once_in_order_then_counts_repeats(
    live_server: LiveServer, tmp_path: Path
) -> None:
    authorization = basic(live_server.user, live_server.password)
    lines = distinct.paths(live_server.base_url, "/event-groups", [{"offset": n} for n in range(3)])
    path_file = write_paths(lines, tmp_path / "paths.txt")

    result, sent = run_wrk_paths(live_server.base_url, authorization, Load(2, 1, 2), path_file)

    assert result.requests > 3
    assert result.errors == 0
    assert len(sent.sent) == 2
    assert sent.repeated == sum(sent.sent) - 3  # lines 0 and 2 for thread 0, line 1 for thread 1


def test_iteration_is_bounded_when_walking_every_group_peaks_no_higher_than_a_tenth() -> None:
    def results(peak_mib: float, tenth_mib: float = 4.0) -> ClientResults:
        iterations = [
            Iteration("iterate", 100, 100_000, 1000, 1.0, 0.5),
            Iteration("iterate", 1000, 100_000, 100, 1.0, peak_mib),
            Iteration("first tenth", 1000, 10_000, 10, None, tenth_mib, TENTH),
            Iteration("hold all", 1000, 100_000, 100, None, 50.0, HELD),
        ]
        return ClientResults([], iterations, 100_000)

    text, met = memory_aim(results(4.5))
    assert met is True
    assert text == (
        "pages of 1,000: peak 4.0 MiB over 10,000 groups, 4.5 MiB over 100,000; 50.0 MiB"
        " holding all"
    )
    assert memory_aim(results(8.0))[1] is False  # grows with the groups walked
    assert memory_aim(results(40.0, tenth_mib=38.0))[1] is True  # large, but flat
    assert memory_aim(ClientResults([], results(4.0).iterations[:2], 100_000))[1] is None


def test_without_wrk_the_server_table_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(benchmarks.server, "wrk_executable", lambda: None)
    with Servers(tmp_path, 10) as servers:
        results = benchmarks.server.run(servers, tmp_path, Settings(Load(16, 5), Load(1, 3)))
        table = benchmarks.server.section(results, servers, Settings(Load(16, 5), Load(1, 3)))

    assert results.measured == []
    assert table.rows == []
    assert "apt-get install wrk" in table.notes[0]
    assert latency_aim(results, [])[1] == "not measured"


def test_benchmarks_page_shows_the_latest_committed_results() -> None:
    latest = (REPO_ROOT / "benchmarks" / "results" / "latest.md").read_text("utf-8")
    page = BENCHMARKS_PAGE.read_text("utf-8")

    assert replace_block(page, latest, BENCHMARKS_PAGE) == page


def test_the_traffic_queries_never_repeat() -> None:
    """The proxy's load sends each path once: 50 page sizes over every offset of 150 groups."""
    sent = traffic.queries(150, 7500)

    assert len(set(sent)) == len(sent) == 7500


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_at_a_fixed_rate_sends_no_more_than_the_schedule(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """Unpaced, one connection sends hundreds of requests a second to this server; at 20 a
    second over 2 s, wrk sends the schedule's 40 (give or take the first of each connection)."""
    lines = distinct.paths(
        live_server.base_url, "/event-groups", [{"offset": n} for n in range(60)]
    )
    path_file = write_paths(lines, tmp_path / "paths.txt")
    authorization = basic(live_server.user, live_server.password)

    result, sent = run_wrk_paths(
        live_server.base_url, authorization, Load(4, 2, rate=20), path_file
    )

    assert 36 <= result.requests <= 44
    assert result.errors == 0
    assert result.late == 0
    assert sent.repeated == 0


def test_the_proxy_aim_needs_the_rate_kept_as_well_as_the_latency() -> None:
    def results(late: int, p50_ms: float) -> traffic.TrafficResults:
        direct = WrkResult(5000, 5.0, 0.8, 2.0, 0, late=0)
        through = WrkResult(5000 - late, 5.0, p50_ms, 4.0, 0, late=late)
        return traffic.TrafficResults([], [traffic.Paced(traffic.LOADS[0], direct, through)])

    assert proxy_aim(results(late=0, p50_ms=1.5))[1] is True
    assert proxy_aim(results(late=0, p50_ms=2.0))[1] is False  # 1.2 ms added at p50
    assert proxy_aim(results(late=900, p50_ms=1.5))[1] is False  # it did not keep up
    assert proxy_aim(None)[1] is None


def test_the_har_aim_needs_time_and_flat_memory() -> None:
    def results(seconds: float, peak_mib: float) -> traffic.TrafficResults:
        small = traffic.Judged(10_000, 3.0, 50.0, 15.0)
        return traffic.TrafficResults(
            [small, traffic.Judged(100_000, seconds, peak_mib, 150.0)], []
        )

    assert har_aim(results(30.0, 55.0))[1] is True
    assert har_aim(results(61.0, 55.0))[1] is False
    assert har_aim(results(30.0, 90.0))[1] is False


def test_a_har_file_is_judged_in_a_process_of_its_own(tmp_path: Path) -> None:
    """The worker that times `make check-traffic` runs the library as it is now."""
    har = tmp_path / "empty.har"
    with har.open("w") as stream:
        HarWriter(stream).close()

    judged = traffic.judge_file(har)

    assert judged.exchanges == 0
    assert judged.seconds > 0


def test_a_distant_server_may_take_three_times_the_loopback_run() -> None:
    def results(distant_seconds: float) -> ConformanceResults:
        runs = [Run(name, seconds, 3000, 1200) for name, seconds in
                (("started", 30.0), ("loopback", 25.0), ("distant", distant_seconds))]  # fmt: skip
        return ConformanceResults(runs, [], 1000)

    assert distance_aim(results(66.0)) == ("66.0 s against 25.0 s: 2.64 times", True)
    assert distance_aim(results(80.0))[1] is False
    assert distance_aim(None) == ("not measured", None)


def test_the_growth_spec_changes_one_shared_schema_that_every_operation_returns() -> None:
    from benchmarks.breaking_scale import synthetic
    from contract.breaking import classify

    report = classify(synthetic(3, changed=False), synthetic(3, changed=True))

    assert {c.rule for c in report.changes} == {"response-enum-widened"}
    assert len(report.changes) == 3 * 2  # the 400 and the 404 of each operation

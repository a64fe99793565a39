"""The conformance harness as a whole: it passes the reference server, and whole runs prove
the command CI runs, `python -m scripts.conformance`, and its exit codes: correct servers pass
with 0, a faulty one fails with 1, a server that is down is a setup error, 2. The faults that
schemathesis must report are shown to it alone here; every fault of the library goes through
the property checks in test_fault_library.py."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from contract.conformance import (
    Settings,
    Target,
    _schemathesis,
    load_contract,
    schemathesis_phase,
    shards,
)
from contract.conformance._findings import Finding
from contract.conformance.live_server import free_port
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from tests.support.faults import ALL_FAULTS, PASSWORD, USER, reference_app, serve
from tests.support.spec_facts import PREFIX

# What schemathesis's report must say for each fault it is shown.
SCHEMATHESIS_REPORTS = {
    "state is a string": "ST108 Response violates schema",
    "text_id is missing": "ST108 Response violates schema",
    "500 at the maximum count": "ST101 Server error",
    "410 for an unknown id": "ST103 Undocumented status code",
}
# The fault of the whole faulty run: schemathesis passes on it, so the property finding alone
# must fail the run.
WHOLE_RUN_FAULT = "total_items counts the page"
WHOLE_RUN_REPORT = "FAIL [paging EventGroup] count="


def settings(tmp_path: Path) -> Settings:
    return Settings(max_examples=20, seed=1, reports=tmp_path / "reports")


def conformance_command(
    tmp_path: Path, *options: str, auth: str = f"{USER}:{PASSWORD}"
) -> subprocess.CompletedProcess[str]:
    """The command the README gives CI, which passes 0, 1 and 2 through (make turns every
    failure into 2); its output as the user sees it."""
    return subprocess.run(
        [sys.executable, "-m", "scripts.conformance", "--max-examples", "20", "--seed", "1",
         "--reports", str(tmp_path / "reports"), *options],
        cwd=REPO_ROOT, env={**os.environ, "AUTH": auth}, capture_output=True, text=True,
        check=False, timeout=600,
    )  # fmt: skip


def test_the_reference_server_started_by_the_harness_passes_the_whole_suite_with_exit_0(
    tmp_path: Path,
) -> None:
    """Also: both lists of reports (schemathesis's and the run's own) name files that are
    there after the run, and only what this run wrote; the HAR keeps no credentials; the
    skipped count is the two requests per operation that schemathesis's ignored_auth check
    sends, as the note under it says."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "schemathesis-7.har").write_text("{}")  # a shard of an earlier, larger run
    (reports / "traffic-junit.xml").write_text("<testsuites/>")  # another command's report
    os.utime(reports / "traffic-junit.xml", (0, 0))
    run = conformance_command(tmp_path)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "Conformance PASSED" in run.stdout
    assert 'failures="0"' in (reports / "properties-junit.xml").read_text()
    coverage = json.loads((reports / "coverage.json").read_text())["summary"]
    for category in ("statuses", "parameters", "filters", "paging"):
        assert coverage[category]["percent"] == 100.0, category
        assert f"{category} " in run.stdout
    assert (reports / "coverage.md").read_text().startswith("# Coverage")
    # the reports listed are there, and are this run's
    theirs = [line.split(": ", 1)[1] for line in run.stdout.splitlines() if line.startswith("  - ")]
    assert {Path(path).name for path in theirs} == {"schemathesis-junit.xml", "schemathesis-0.har"}
    assert all(Path(path).is_file() for path in theirs), theirs
    (ours,) = [line for line in run.stdout.splitlines() if line.startswith("Reports in ")]
    names = ours.split(": ", 1)[1].split(", ")
    assert names == sorted(path.name for path in reports.iterdir() if path.stat().st_mtime > 0)
    assert "traffic-junit.xml" not in names
    assert not (reports / "schemathesis-7.har").exists()
    har = (reports / "schemathesis-0.har").read_text()
    assert PASSWORD not in har
    assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in har
    # what schemathesis skipped is said
    operations = len(load_contract(BUNDLED_SPEC).operations)
    skipped = re.search(
        r"(\d+) skipped\n  \(\1 skipped: the requests schemathesis's ignored_auth", run.stdout
    )
    assert skipped, run.stdout
    assert int(skipped.group(1)) == 2 * operations


def test_a_faulty_server_fails_with_exit_1_and_the_same_seed_gives_the_same_findings_and_map(
    tmp_path: Path,
) -> None:
    """Two whole runs against one faulty server, credentials from $AUTH. The verdict follows
    the findings even when schemathesis has nothing to report; schemathesis keeps no example
    database between the runs, so the seed alone decides the cases."""
    runs = []
    with serve(ALL_FAULTS[WHOLE_RUN_FAULT](reference_app())) as base_url:
        for attempt in ("first", "second"):
            run = conformance_command(tmp_path / attempt, "--base-url", base_url)
            reports = tmp_path / attempt / "reports"
            assert run.returncode == 1, run.stdout + run.stderr
            assert WHOLE_RUN_REPORT in run.stdout
            assert "Conformance FAILED: schemathesis passed, " in run.stdout
            assert (reports / "schemathesis-junit.xml").exists()
            assert 'failures="0"' not in (reports / "properties-junit.xml").read_text()
            findings = [line for line in run.stdout.splitlines() if "FAIL" in line]
            runs.append((findings, (reports / "coverage.json").read_text()))

    assert runs[0] == runs[1]
    assert json.loads(runs[0][1])["requests"]["count"] > 500


def test_a_run_below_min_coverage_fails_and_says_what_was_not_exercised_and_why(
    tmp_path: Path,
) -> None:
    """A server holding 3 items passes every check, but no two of its items tie."""
    with serve(reference_app(3)) as base_url:
        run = conformance_command(
            tmp_path, "--base-url", base_url, "--min-coverage", "90,sorting=100", "--allow-partial"
        )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "Coverage below MIN_COVERAGE:" in run.stdout
    assert "with a tie: no two items seen share a name" in run.stdout
    last = run.stdout.splitlines()[-1]
    assert "0 property finding(s)" in last
    assert last.endswith("below MIN_COVERAGE")


def test_a_passing_run_prints_nothing_alarming(tmp_path: Path) -> None:
    """A correct server given by URL: no failure words, no tracebacks, no schemathesis flags."""
    with serve(reference_app()) as base_url:
        run = conformance_command(tmp_path, "--base-url", base_url)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "all properties hold" in run.stdout
    for alarming in ("Failed", "FAIL", "error:", "Error:", "Traceback", "--auth", "--url"):
        assert alarming not in run.stdout + run.stderr


def test_a_server_that_is_down_exits_2_before_any_test(tmp_path: Path) -> None:
    run = conformance_command(tmp_path, "--base-url", f"http://127.0.0.1:{free_port()}{PREFIX}")

    assert run.returncode == 2
    assert run.stderr.startswith("error: BASE_URL: cannot reach")
    assert "Schemathesis" not in run.stdout


def faulty_target(base_url: str) -> Target:
    return Target(base_url, USER, PASSWORD, is_reference=False)


@pytest.mark.parametrize("fault", list(SCHEMATHESIS_REPORTS))
def test_each_fault_of_a_broken_server_is_reported_by_schemathesis(
    fault: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The schemathesis half of the run, as the whole run starts it."""
    contract = load_contract(BUNDLED_SPEC)
    with serve(ALL_FAULTS[fault](reference_app())) as base_url:
        passed = schemathesis_phase(faulty_target(base_url), settings(tmp_path), contract)

    assert passed is False
    assert SCHEMATHESIS_REPORTS[fault] in capfd.readouterr().out


def test_a_large_run_is_split_into_shards_that_follow_from_the_settings_alone() -> None:
    assert [s.phases for s in shards(100, 5)] == ["examples,coverage,fuzzing,stateful"]
    split = shards(1000, 5)
    assert [s.phases for s in split] == ["examples,coverage,stateful", *["fuzzing"] * 4]
    assert [s.seed for s in split] == [5, 6, 7, 8, 9]
    assert sum(s.max_examples for s in split[1:]) >= 1000  # the fuzzing, shared out
    assert split[0].max_examples == 1000 // _schemathesis.STATEFUL_DIVISOR


def test_the_shards_run_together_and_one_report_holds_their_failures(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of four processes (a small share each): the fuzzing shards' failures reach
    the one JUnit report, and each says in one line what it did."""
    monkeypatch.setattr(_schemathesis, "EXAMPLES_PER_SHARD", 6)
    contract = load_contract(BUNDLED_SPEC)
    found: list[Finding] = []
    with serve(ALL_FAULTS["500 at the maximum count"](reference_app())) as base_url:
        passed = schemathesis_phase(
            faulty_target(base_url), settings(tmp_path), contract, found=found
        )

    out = capfd.readouterr().out
    assert passed is False
    assert "Fuzzing shard 1/3 (seed 2, 7 examples per operation): " in out
    assert "Fuzzing shard 3/3 (seed 4, 7 examples per operation): " in out
    suites = ElementTree.parse(tmp_path / "reports" / "schemathesis-junit.xml").getroot()
    assert len(list(suites)) >= 3  # the first shard's suite and one of each fuzzing shard
    assert any(f.message.startswith("ST101 ") for f in found)

"""The traffic checks judge recorded exchanges with the rules of the property checks and the
same relations across answers: the property checks' own traffic, recorded as HAR from the
reference server, gives no finding and exercises every traffic check (the faulty servers'
and the allowed variants' traffic is judged in test_fault_library.py). The HAR reader streams
entries, and neither credentials nor passwords in a HAR reach a report. A proxied client that
pages through filtered and sorted listings holds the rules it tried."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from contract.conformance import load_contract
from contract.conformance._contract import requires_credentials
from contract.conformance._findings import Finding
from contract.conformance._har import Exchange, entry, read_har, write_har
from contract.conformance._runner import run_checks
from contract.conformance._traffic import judge_all
from contract.conformance._verdicts import HELD
from contract.conformance.checks import CHECKS
from contract.conformance.traffic import check_traffic
from contract.errors import SetupError
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from tests.support.faults import ALL_FAULTS, PASSWORD, USER, reference_app, serve
from tests.support.har import RecordingProbe
from tests.support.spec_facts import LIST_PATH, PREFIX

CONTRACT = load_contract(BUNDLED_SPEC)
# Traffic that exercises every traffic check: the property checks' requests, without the
# hostile strings, which add nothing the others do not.
RECORDED_CHECKS = tuple(c for c in CHECKS if c != "hostile-strings")


def recorded(app: ASGIApp, folder: Path, checks: tuple[str, ...] = RECORDED_CHECKS) -> Path:
    """The property checks' traffic with `app`, as a HAR file."""
    folder.mkdir(parents=True, exist_ok=True)
    with serve(app) as base_url:
        probe = RecordingProbe(base_url, USER, PASSWORD, max_requests=3000)
        try:
            run_checks(CONTRACT, probe, checks)
        finally:
            probe.close()
    return probe.write(folder / "traffic.har")


def judged(har: Path) -> list[Finding]:
    findings, _ = judge_all(read_har(har), CONTRACT).result()
    return findings


def test_the_reference_servers_traffic_gives_no_finding(tmp_path: Path) -> None:
    har = recorded(reference_app(), tmp_path)

    judge = judge_all(read_har(har), CONTRACT)
    findings, unexercised = judge.result()

    assert [str(f) for f in findings] == []
    assert judge.judged > 400
    assert unexercised == {}, "every check of the resource is exercised by this traffic"


def test_a_client_paging_through_filtered_and_sorted_listings_holds_their_rules(
    tmp_path: Path,
) -> None:
    """The traffic of a client that lists every page of a name filter, a text_id filter and
    a descending order (the scenario a proxied client sends) holds the assumptions of the
    rules it tried, and no other."""
    with serve(reference_app()) as base_url:
        probe = RecordingProbe(base_url, USER, PASSWORD)
        for params in (
            [("name", "cart")], [("text_id", "50_cart_0")],
            [("sort_field", "name"), ("sort_direction", "DESC")],
        ):  # fmt: skip
            for offset in range(0, 60, 7):
                probe.get(LIST_PATH, [*params, ("count", "7"), ("offset", str(offset))])
        probe.close()
    judge = judge_all(read_har(probe.write(tmp_path / "client.har")), CONTRACT)

    held = {v.assumption for v in judge.verdicts() if v.status == HELD}
    assert judge.result()[0] == []
    assert {"name-filter-matching", "text-id-filter-matching", "sort-direction-rules"} <= held
    assert "filters-combine-with-and" not in held  # no request gave both filters


def exchange(index: int, url: str, status: int, body: object, **headers: str) -> Exchange:
    return Exchange(
        index=index,
        method="GET",
        url=url,
        request_headers=tuple(headers.items()),
        status=status,
        response_headers=(("content-type", "application/json"),),
        body=json.dumps(body).encode(),
    )


def test_entries_are_read_back_as_written_with_binary_bodies_and_gaps(tmp_path: Path) -> None:
    written = [
        exchange(0, "http://h/x?a=1&a=2&b=", 200, {"k": "é"}),
        Exchange(1, "GET", "http://h/y", (), 204, (), b"\xff\x00"),
    ]
    har = tmp_path / "t.har"
    write_har(har, [entry(written[0]), {"request": {"url": "x"}}, entry(written[1])])

    read = list(read_har(har))

    assert read[0] == written[0]
    assert read[0].query == [("a", "1"), ("a", "2"), ("b", "")]
    assert read[1] is None  # an entry without a response
    assert read[2] is not None
    assert read[2].body == b"\xff\x00"
    assert json.loads(har.read_text())["log"]["version"] == "1.2"


def test_a_file_that_is_no_har_is_a_setup_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.har"
    broken.write_text('{"log": {"entries": [ {')

    with pytest.raises(SetupError, match="no JSON file of HAR"):
        list(read_har(broken))
    with pytest.raises(SetupError, match="no file at"):
        check_traffic(tmp_path / "missing.har", reports=tmp_path)


def test_traffic_to_other_urls_only_is_a_setup_error_naming_base_url(tmp_path: Path) -> None:
    har = tmp_path / "other.har"
    write_har(har, [entry(exchange(0, "http://h/elsewhere", 200, {}))])

    with pytest.raises(SetupError, match="BASE_URL"):
        check_traffic(har, reports=tmp_path)


def test_credentials_in_a_har_never_reach_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    url = f"http://{USER}:{PASSWORD}@h{PREFIX}{LIST_PATH}"
    broken = exchange(0, url, 200, {"not": "a page"}, Authorization=f"Basic {token}")
    har = tmp_path / "secret.har"
    write_har(har, [entry(broken)])
    raw = json.loads(har.read_text())  # as a browser exports it: the header in the clear
    raw["log"]["entries"][0]["request"]["headers"] = [
        {"name": "Authorization", "value": f"Basic {token}"}
    ]
    har.write_text(json.dumps(raw))

    passed = check_traffic(har, reports=tmp_path)

    shown = capsys.readouterr().out + (tmp_path / "traffic-junit.xml").read_text()
    assert passed is False
    assert "response EventGroup" in shown
    assert PASSWORD not in shown
    assert token not in shown
    assert '-u "$AUTH"' in shown


def test_our_har_files_keep_the_scheme_of_credentials_but_not_the_credentials(
    tmp_path: Path,
) -> None:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    har = tmp_path / "t.har"
    write_har(har, [entry(exchange(0, "http://h/x", 200, {}, Authorization=f"Basic {token}"))])

    (read,) = list(read_har(har))

    assert read is not None
    assert read.request_header("authorization") == ["Basic [redacted]"]
    assert token not in har.read_text()


def run_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.check_traffic", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_exits_0_1_or_2(tmp_path: Path) -> None:
    clean = recorded(reference_app(), tmp_path / "clean")
    faulty = recorded(
        ALL_FAULTS["state is a string"](reference_app()), tmp_path / "faulty", ("paging",)
    )
    reports = ["--reports", str(tmp_path / "reports")]

    passed, failed = run_command(str(clean), *reports), run_command(str(faulty), *reports)
    missing = run_command(str(tmp_path / "none.har"), *reports)

    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Traffic PASSED" in passed.stdout
    assert "HELD" in passed.stdout
    assert failed.returncode == 1
    assert "FAIL [response EventGroup] #" in failed.stdout
    assert 'reproduce: curl -si -u "$AUTH"' in failed.stdout
    assert missing.returncode == 2
    assert "error: HAR: no file at" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_traffics_coverage_map_is_written_and_gated_by_min_coverage(tmp_path: Path) -> None:
    """Traffic of one list request exercises little: the map says so, and MIN_COVERAGE turns
    that into exit 1 while a run without the gate passes."""
    (first, *_) = read_har(recorded(reference_app(), tmp_path, ("paging",)))
    assert first is not None
    one = tmp_path / "one.har"
    write_har(one, [entry(first)])
    reports = ["--reports", str(tmp_path / "reports")]

    ungated = run_command(str(one), *reports)
    gated = run_command(str(one), *reports, "--min-coverage", "paging=100")

    assert ungated.returncode == 0, ungated.stdout + ungated.stderr
    assert "Coverage      exercised" in ungated.stdout
    summary = json.loads((tmp_path / "reports" / "coverage.json").read_text())["summary"]
    assert summary["all"]["exercised"] < summary["all"]["targets"] / 2
    assert gated.returncode == 1
    assert "Coverage below MIN_COVERAGE:" in gated.stdout
    assert (
        "EventGroup past the last page: no request asked for a page past the last" in gated.stdout
    )


def test_credentials_are_required_unless_a_requirement_is_empty() -> None:
    assert requires_credentials([{"basicAuth": []}]) is True
    assert requires_credentials([{"basicAuth": []}, {}]) is False  # {}: anonymous allowed
    assert requires_credentials([]) is False
    assert requires_credentials(None) is False


def test_pages_of_one_query_that_disagree_are_found_across_exchanges(tmp_path: Path) -> None:
    """Two pages of the same query: the second repeats an item of the first at another
    position, and says another total."""
    url = f"http://h{PREFIX}{LIST_PATH}"

    def page(offset: int, keys: list[str], total: int) -> Exchange:
        items = [{"event_group_id": k, "name": k, "text_id": k, "state": 1} for k in keys]
        body = {"data": {"event_groups": items, "total_items": total}}
        return exchange(offset, f"{url}?count=2&offset={offset}", 200, body, Authorization="x")

    findings = judge_all([page(0, ["a", "b"], 4), page(2, ["b", "c"], 5)], CONTRACT)
    shown = [str(f) for f in findings.result()[0]]

    assert any("#2: total 5 for the unfiltered listing, where #0 gave 4" in t for t in shown), shown
    assert any(t.startswith("[consistent-pages EventGroup]") for t in shown), shown

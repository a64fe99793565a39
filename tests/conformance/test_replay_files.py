"""Every finding is also written as a pytest file that fails while the server breaks the rule
and passes once it is fixed: each file is run against the faulty server and against the same
server without its fault, with only BASE_URL and AUTH in its environment. The faults cover
every check and every kind of expectation a replay asserts (status, challenge, error body,
page and total, detail item, same answer with and without a parameter, no 5xx, response
schema, an answer in time, a relation across the whole results of several queries) and every
way it sends credentials. The files are run in this process, as pytest would call their one
test function; one run goes through the pytest command the run prints, as pasted."""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp

from contract.conformance import Settings, Target, load_contract, replay_command, schemathesis_phase
from contract.conformance._findings import Finding
from contract.conformance._probe import Probe
from contract.conformance._replays import Expectation, write_replays
from contract.conformance._runner import run_checks
from contract.conformance._schemathesis_findings import schemathesis_findings
from contract.conformance.checks._shared import error_body
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from tests.support.faults import (
    ALL_FAULTS,
    LIBRARY,
    PASSWORD,
    TIMING_FAULTS,
    USER,
    reference_app,
    serve,
)
from tests.support.spec_facts import LIST_PATH, PREFIX

CONTRACT = load_contract(BUNDLED_SPEC)
FAULTS = {**ALL_FAULTS, **TIMING_FAULTS}
# Fault -> the checks whose findings are replayed (None: every check, for the relations,
# which judge what the others saw).
REPLAYED: dict[str, set[str] | None] = {
    "auth is ignored": {"auth"},
    "password trimmed": {"auth"},
    "scheme compared case-sensitively": {"auth"},
    "410 for an unknown id": {"detail"},
    "key decoded twice": {"detail"},
    "detail 404 beyond the first 50 items": {"detail"},
    "repeated parameter accepted": {"query-policy"},
    "parameter names in any case": {"query-policy"},
    "400 with a plain-text body": {"parameters"},
    "500 for NUL in a filter value": {"hostile-strings"},
    "total_items counts the page": {"paging"},
    "state is a string": {"paging"},
    "text_id filter trimming control characters": {"filters"},
    "pages before filtering": {"oracle"},
    "filters combined with OR": None,
    "the total counts items no page shows": None,
    "sorting by a field drops the items whose value repeats": None,
    "the listing leaves out items a filter finds": None,
    "a detail differs from its list entry": None,
    "DESC keeps ties in ascending order": None,
    "the detail operation never answers": {"detail"},
}
# For the faults whose findings come from every check: the relation that must be replayed.
RELATIONS = {
    "filters combined with OR": "filters-intersect",
    "DESC keeps ties in ascending order": "descending-reverses",
    "the total counts items no page shows": "total-reachable",
    "sorting by a field drops the items whose value repeats": "sort-permutation",
    "the listing leaves out items a filter finds": "within-listing",
    "a detail differs from its list entry": "detail-equals-entry",
}


@contextmanager
def environment(base_url: str) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BASE_URL", base_url)
        patch.setenv("AUTH", f"{USER}:{PASSWORD}")
        yield


def outcomes(folder: Path, base_url: str) -> dict[str, bool]:
    """Each replay file of `folder` -> whether it passed, its one test function called as
    pytest calls it, with BASE_URL and AUTH in the environment."""
    found = {}
    with environment(base_url):
        for path in sorted(folder.glob("test_*.py")):
            spec = importlib.util.spec_from_file_location(path.stem, path)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            (test,) = [getattr(module, n) for n in dir(module) if n.startswith("test_")]
            try:
                test()
            except Exception:
                found[path.name] = False
            else:
                found[path.name] = True
    return found


def findings_of(fault: str, base_url: str) -> list[Finding]:
    probe = Probe(base_url, USER, PASSWORD, max_requests=3000, timeout=1.0)
    try:
        found = run_checks(CONTRACT, probe, REPLAYED[fault]).findings
    finally:
        probe.close()
    if fault in RELATIONS:
        return [f for f in found if f.check.startswith(RELATIONS[fault] + " ")]
    return found


def assert_no_secret_in(written: list[Path], base_url: str) -> None:
    secrets = [
        PASSWORD,
        USER,
        *(base64.b64encode(f"{USER}:".encode()[:n]).decode() for n in (6, 9)),
    ]
    for path in written:
        text = path.read_text()
        assert not [secret for secret in secrets if secret in text], path
        assert base_url not in text


@pytest.mark.parametrize("fault", list(REPLAYED))
def test_a_findings_test_file_fails_on_the_faulty_server_and_passes_on_the_fixed_one(
    fault: str, tmp_path: Path
) -> None:
    correct = LIBRARY[fault].serves if fault in LIBRARY else reference_app
    faulty: ASGIApp = FAULTS[fault](correct())
    with serve(faulty) as base_url:
        findings = findings_of(fault, base_url)
        written = list(write_replays(findings, tmp_path))
        broken = outcomes(tmp_path / "replays", base_url)
    with serve(correct()) as base_url:
        fixed = outcomes(tmp_path / "replays", base_url)

    assert findings
    assert len(written) == len(findings), "every finding of a check has its test file"
    assert set(broken.values()) == {False}, broken
    assert set(fixed.values()) == {True}, fixed
    assert_no_secret_in(written, base_url)


def test_relation_findings_replay_at_the_page_sizes_the_run_read_them_with(
    tmp_path: Path,
) -> None:
    """A total that counts the page is right whenever one page holds every match: read
    with the largest page, the relations it broke in the run would hold again. Each replay
    asks for the page sizes that showed the fault."""
    fault = "total_items counts the page"
    with serve(ALL_FAULTS[fault](reference_app(150))) as base_url:
        findings = findings_of_checks(base_url, None)
        relations = [f for f in findings if f.check.split()[0] in RELATION_CHECKS]
        written = list(write_replays(relations, tmp_path))
        broken = outcomes(tmp_path / "replays", base_url)
    with serve(reference_app(150)) as base_url:
        fixed = outcomes(tmp_path / "replays", base_url)

    assert {f.check.split()[0] for f in relations} >= {"consistent-pages", "within-listing"}
    assert len(written) == len(relations)
    assert set(broken.values()) == {False}, broken
    assert set(fixed.values()) == {True}, fixed


RELATION_CHECKS = {"consistent-pages", *RELATIONS.values()}


def findings_of_checks(base_url: str, checks: set[str] | None) -> list[Finding]:
    probe = Probe(base_url, USER, PASSWORD, max_requests=3000, timeout=1.0)
    try:
        return run_checks(CONTRACT, probe, checks).findings
    finally:
        probe.close()


def test_the_printed_replay_command_runs_the_replays_as_pasted(tmp_path: Path) -> None:
    fault = "repeated parameter accepted"
    with serve(ALL_FAULTS[fault](reference_app())) as base_url:
        (written, *_) = write_replays(findings_of(fault, base_url), tmp_path)
        pasted = subprocess.run(
            ["bash", "-c", replay_command(base_url, written.parent)],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
            env={"PATH": os.environ["PATH"], "AUTH": f"{USER}:{PASSWORD}"},
        )  # fmt: skip

    assert pasted.returncode == 1, pasted.stdout + pasted.stderr
    assert "failed" in pasted.stdout.splitlines()[-1]


def test_a_new_run_removes_the_replays_of_the_last_one(tmp_path: Path) -> None:
    stale = tmp_path / "replays" / "test_old_finding_1.py"
    stale.parent.mkdir()
    stale.write_text("")

    assert list(write_replays([], tmp_path)) == []
    assert not stale.exists()


# Faults schemathesis reports, each with another of its checks: response schema (ST108),
# server error and undocumented status (ST101, ST103), a valid request refused (ST202), and
# requests without credentials or with invalid data accepted (ST401, ST201).
SCHEMATHESIS_REPLAYED = [
    "state is a string",
    "500 at the maximum count",
    "410 for an unknown id",
    "auth is ignored",
]


@pytest.mark.parametrize("fault", SCHEMATHESIS_REPLAYED)
def test_schemathesis_findings_replay_as_tests_that_assert_the_spec_not_the_symptom(
    fault: str, tmp_path: Path
) -> None:
    settings = Settings(max_examples=20, seed=1, reports=tmp_path / "reports")
    found: list[Finding] = []
    with serve(ALL_FAULTS[fault](reference_app())) as base_url:
        server = Target(base_url, USER, PASSWORD, False)
        passed = schemathesis_phase(server, settings, CONTRACT, None, found)
        written = list(write_replays(found, tmp_path))
        broken = outcomes(tmp_path / "replays", base_url)
    with serve(reference_app()) as base_url:
        fixed = outcomes(tmp_path / "replays", base_url)

    assert passed is False
    assert found
    assert all(finding.check.startswith("schemathesis ") for finding in found), found
    assert len(written) == len(found)
    assert set(broken.values()) == {False}, broken
    assert set(fixed.values()) == {True}, fixed


def test_an_error_body_is_asserted_only_for_the_status_the_rule_expects() -> None:
    (subject,) = CONTRACT.subjects
    request = httpx.Request("GET", "http://127.0.0.1/x")
    plain = httpx.Response(400, text="bad", request=request)
    wanted_400 = Expectation(LIST_PATH, statuses=(400,))

    assert [*error_body(subject.list_operation, plain, "curl", wanted_400)]
    # A 400 where 200 was due is the finding; a fixed server answers 200, with no error body.
    assert not [
        *error_body(subject.list_operation, plain, "curl", replace(wanted_400, statuses=(200,)))
    ]


JUNIT = """<testsuites><testsuite name="schemathesis">
<testcase name="GET /event-groups"><failure message="ST108">1. Test Case ID: AAA

- ST108 Response violates schema

[200] OK:

Reproduce with:

    curl -X GET -H 'Authorization: [Filtered]' 'http://h{prefix}/event-groups?count=5'</failure></testcase>
<testcase name="Stateful tests"><failure message="ST101">1. Test Case ID: BBB

- ST101 Server error
</failure></testcase>
</testsuite></testsuites>"""


def test_schemathesis_failures_become_findings_even_without_a_curl_line(tmp_path: Path) -> None:
    junit = tmp_path / "schemathesis-junit.xml"
    junit.write_text(JUNIT.format(prefix=PREFIX))

    schema, server = schemathesis_findings(junit, CONTRACT, f"http://h{PREFIX}")

    assert schema.message == "ST108 Response violates schema"
    assert (
        schema.reproduce == f"curl -si -X GET -u \"$AUTH\" 'http://h{PREFIX}/event-groups?count=5'"
    )
    assert schema.expectation is not None
    assert schema.expectation.path == "/event-groups?count=5"
    assert (schema.expectation.when_status, schema.expectation.statuses) == (200, (200, 400, 401))
    assert schema.expectation.body_schema is not None
    assert (server.check, server.expectation) == ("schemathesis Stateful tests", None)

"""Every finding is also written as a pytest file that fails while the server breaks the rule
and passes once it is fixed: each file is run against the faulty server and against the same
server without its fault, with only BASE_URL and AUTH in its environment. The faults cover
every check and every kind of expectation a replay asserts (status, challenge, error body,
page and total, detail item, same answer with and without a parameter, no 5xx, response
schema) and every way it sends credentials."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from contract.conformance import Settings, Target, replay_command, run_schemathesis
from contract.conformance._replays import write_replays
from contract.conformance.properties import Finding, Probe, run_checks
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from tests.support.faults import (
    DECLARED_FAULTS,
    FAULTED_APPS,
    FAULTS,
    LENIENT_FAULTS,
    MORE_LIST_FAULTS,
    PASSWORD,
    POLICY_FAULTS,
    USER,
    reference_app,
    serve,
)

ALL_FAULTS = {**FAULTS, **DECLARED_FAULTS, **MORE_LIST_FAULTS, **POLICY_FAULTS, **LENIENT_FAULTS}
# Fault -> the check whose findings are replayed.
REPLAYED = {
    "auth is ignored": "auth",
    "malformed Basic header accepted": "auth",
    "password compared on its first 8 characters": "auth",
    "410 for an unknown id": "detail",
    "key decoded twice": "detail",
    "detail 404 beyond the first 50 items": "detail",
    "repeated parameter accepted": "query-policy",
    "unknown parameter rejected": "query-policy",
    "parameter names in any case": "query-policy",
    "maximum count rejected with 400": "parameters",
    "400 with a plain-text body": "parameters",
    "500 for NUL in a filter value": "hostile-strings",
    "total_items counts the page": "paging",
    "default page size 10, not 100": "paging",
    "state is a string": "paging",
    "sorting only the returned page": "sorting",
    "DESC keeps ties in ascending order": "sorting",
    "name filter is ignored": "filters",
    "name filter ignoring accents": "filters",
    "pages before filtering": "oracle",
}


def pytest_on(folder: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    """The replays of `folder` run as their docstring says, with nothing but BASE_URL, AUTH
    and PATH in the environment."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(folder)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": os.environ["PATH"], "BASE_URL": base_url, "AUTH": f"{USER}:{PASSWORD}"},
    )  # fmt: skip


@pytest.mark.parametrize("fault", list(REPLAYED))
def test_a_findings_test_file_fails_on_the_faulty_server_and_passes_on_the_fixed_one(
    fault: str, tmp_path: Path
) -> None:
    correct = FAULTED_APPS.get(fault, reference_app)
    faulty: ASGIApp = ALL_FAULTS[fault](correct())
    with serve(faulty) as base_url:
        probe = Probe(base_url, USER, PASSWORD, max_requests=3000)
        try:
            findings, _ = run_checks(probe, BUNDLED_SPEC, {REPLAYED[fault]})
        finally:
            probe.close()
        written = list(write_replays(findings, tmp_path))
        broken = pytest_on(tmp_path / "replays", base_url)
    with serve(correct()) as base_url:
        fixed = pytest_on(tmp_path / "replays", base_url)

    assert findings
    assert len(written) == len(findings), "every finding of a check has its test file"
    assert broken.returncode == 1, broken.stdout
    assert f"{len(written)} failed" in broken.stdout.splitlines()[-1], broken.stdout
    assert fixed.returncode == 0, fixed.stdout
    assert f"{len(written)} passed" in fixed.stdout.splitlines()[-1]
    for path in written:
        text = path.read_text()
        assert PASSWORD not in text
        assert base_url not in text


def test_the_printed_replay_command_runs_the_replays_as_pasted(tmp_path: Path) -> None:
    fault = "repeated parameter accepted"
    with serve(ALL_FAULTS[fault](reference_app())) as base_url:
        probe = Probe(base_url, USER, PASSWORD)
        try:
            findings, _ = run_checks(probe, BUNDLED_SPEC, {"query-policy"})
        finally:
            probe.close()
        (written, *_) = write_replays(findings, tmp_path)
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
        passed = run_schemathesis(Target(base_url, USER, PASSWORD, False), settings, None, found)
        written = list(write_replays(found, tmp_path))
        broken = pytest_on(tmp_path / "replays", base_url)
    with serve(reference_app()) as base_url:
        fixed = pytest_on(tmp_path / "replays", base_url)

    assert passed is False
    assert found
    assert all(finding.check.startswith("schemathesis ") for finding in found), found
    assert len(written) == len(found)
    assert f"{len(written)} failed" in broken.stdout.splitlines()[-1], broken.stdout
    assert fixed.returncode == 0, fixed.stdout

"""The conformance harness: it passes the reference server and reports every fault of the
deliberately broken variants, through schemathesis or through our property checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.conformance import Settings, conformance
from tests.support.declared_faults import DECLARED_FAULTS
from tests.support.faulty_servers import FAULTS, PASSWORD, USER, reference_app, serve

ALL_FAULTS = {**FAULTS, **DECLARED_FAULTS}
# What the report must say for each fault: a schemathesis check or one of our properties.
EXPECTED_REPORTS = {
    "state is a string": "ST108 Response violates schema",
    "text_id is missing": "ST108 Response violates schema",
    "auth is ignored": "FAIL [auth EventGroup] no credentials",
    "500 at the maximum count": "ST101 Server error",
    "410 for an unknown id": "ST103 Undocumented status code",
    "sort direction is ignored": "FAIL [sorting EventGroup]",
    "total_items counts the page": "FAIL [paging EventGroup] total ",
    "name filter is ignored": "FAIL [filters EventGroup] name=",
    "malformed Basic header accepted": "FAIL [auth EventGroup] not base64",
    "filters combined with OR": "FAIL [filters EventGroup] name=",
    "% and _ are wildcards": "FAIL [filters EventGroup] name=",
    "sorting only the returned page": "FAIL [sorting EventGroup] sort_direction=",
    "DESC without sort field reverses the default order": (
        "FAIL [sorting EventGroup] sort_direction=DESC is not in the declared order"
    ),
    "unknown parameter rejected": "FAIL [query-policy EventGroup] undefined_parameter changed",
    "repeated parameter accepted": "FAIL [query-policy EventGroup] count given twice gave 200",
    "detail 404 beyond the first 50 items": "FAIL [detail EventGroup] status 404",
}


def settings(tmp_path: Path) -> Settings:
    return Settings(max_examples=20, seed=1, reports=tmp_path / "reports")


def test_every_fault_has_an_expected_report() -> None:
    assert set(EXPECTED_REPORTS) == set(ALL_FAULTS)


def test_the_reference_server_started_by_the_harness_passes_the_whole_suite(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert conformance(None, None, settings(tmp_path)) is True

    out = capfd.readouterr().out
    assert "Conformance PASSED" in out
    assert (tmp_path / "reports" / "schemathesis-junit.xml").exists()
    assert 'failures="0"' in (tmp_path / "reports" / "properties-junit.xml").read_text()


def test_a_correct_server_given_by_url_passes(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(reference_app()) as base_url:
        assert conformance(base_url, f"{USER}:{PASSWORD}", settings(tmp_path)) is True

    assert "all properties hold" in capfd.readouterr().out


@pytest.mark.parametrize("fault", list(ALL_FAULTS))
def test_each_fault_of_a_broken_server_is_reported(
    fault: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(ALL_FAULTS[fault](reference_app())) as base_url:
        passed = conformance(base_url, f"{USER}:{PASSWORD}", settings(tmp_path))

    out = capfd.readouterr().out
    assert passed is False
    assert EXPECTED_REPORTS[fault] in out
    assert "Conformance FAILED" in out


def test_auth_without_a_colon_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts.conformance import main

    monkeypatch.setenv("AUTH", "nocolon")
    assert main(["--base-url", "http://127.0.0.1:9"]) == 2

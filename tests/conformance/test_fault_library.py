"""The whole fault library against the property checks: every faulty server is caught, and
charged only to the assumptions its fault breaks: no run contradicts another assumption or
holds a broken one (attribution precision). The traffic of the same run, judged as recorded
traffic, shows the fault and blames no other assumption either (for a fault of each kind).
Correct servers the spec allows to differ pass with every assumption held or not checkable; a
server with no data is reported as not checked; a cold start is waited for, and an operation
that never answers is a finding about that operation while the others are tested."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.types import ASGIApp

from contract.conformance import Settings, Target, load_contract, run_properties
from contract.conformance._edits import CLASSES, TRANSFORMS
from contract.conformance._findings import Finding
from contract.conformance._har import read_har
from contract.conformance._preflight import preflight
from contract.conformance._runner import PropertyRun, run_checks
from contract.conformance._traffic import judge_all
from contract.conformance._verdicts import CONTRADICTED, HELD, NOT_CHECKABLE, Verdict
from contract.layout import BUNDLED_SPEC
from tests.support.faults import (
    ALL_FAULTS,
    LIBRARY,
    PASSWORD,
    SLOW_VARIANTS,
    TIMING_FAULTS,
    TROUBLESOME_VARIANTS,
    USER,
    VARIANTS,
    empty_app,
    reference_app,
    serve,
)
from tests.support.har import RecordingProbe

CONTRACT = load_contract(BUNDLED_SPEC)
BUDGET = 5000
# Faults whose recorded traffic must show them, with the check that names them, and charge
# them to no other assumption: one or two of each kind (a schema break, a status, a page, a
# filter, an order, a detail, a query policy, a relation across answers) seen in one
# exchange, across exchanges of one query, or across the whole traffic.
SEEN_IN_TRAFFIC = {
    "state is a string": "response EventGroup",
    "auth is ignored": "auth EventGroup",
    "410 for an unknown id": "response EventGroup",
    "sort direction is ignored": "sorting EventGroup",
    "total_items counts the page": "consistent-pages EventGroup",
    "filters combined with OR": "filters EventGroup",
    "name filter lower-cases instead of case folding": "case-equivalent EventGroup",
    "unknown parameter rejected": "parameters EventGroup",
    "repeated parameter accepted": "query-policy EventGroup",
    "detail 404 beyond the first 50 items": "detail-equals-entry EventGroup",
    "the listing leaves out items a filter finds": "within-listing EventGroup",
    "the total counts items no page shows": "total-reachable EventGroup",
    "DESC keeps ties in ascending order": "descending-reverses EventGroup",
    "parameter names in any case": "paging EventGroup",  # "..., or COUNT was not ignored"
    "sort direction defaults to DESC": "sorting EventGroup",
}

# A faulty server for each class of the edit grammar (and each kind of whole-value
# transform) that near misses of that class catch: every class is proven on a fault.
WITNESSES = {
    "letter": "text_id filter by prefix",
    "other letter": "text_id filter on an index of ASCII characters only",
    "other digit": "count and offset read with int()",
    "punctuation": "name filter ignoring punctuation",
    "other punctuation": "name filter ignoring punctuation",
    "ascii whitespace": "text_id filter ignoring trailing spaces",
    "other whitespace": "name filter collapsing whitespace",
    "c0 control": "text_id filter trimming control characters",
    "c1 control": "name filter dropping control and format characters",
    "invisible": "name filter dropping control and format characters",
    "combining": "name filter ignoring accents",
    "case": "key looked up ignoring case",
    "full width": "name filter normalising (NFKC)",
    "homoglyph": "name filter matching look-alike letters",
    "compatibility": "text_id filter normalising (NFKC)",
    "percent": "key decoded twice",
    "case (upper)": "text_id filter ignores case",
    "normalisation (unaccented)": "name filter ignoring accents",
}


def checked(app: ASGIApp, tmp_path: Path) -> tuple[PropertyRun, list[Verdict], Path]:
    """Every property check against `app`, the verdicts, and the run's traffic as HAR."""
    with serve(app) as base_url:
        # What the checks must judge is never turned away as a setup mistake.
        assert preflight(CONTRACT, base_url, USER, PASSWORD).hung == {}
        probe = RecordingProbe(base_url, USER, PASSWORD, max_requests=BUDGET)
        try:
            run = run_checks(CONTRACT, probe)
        finally:
            probe.close()
    found = run.verdicts(CONTRACT)
    return run, found, probe.write(tmp_path / "traffic.har")


def by_status(found: list[Verdict], status: str) -> set[str]:
    return {v.assumption for v in found if v.status == status}


def shown(findings: list[Finding]) -> list[str]:
    return [f"{f}\n    charged to {f.attribution.ids}" for f in findings]


def test_every_fault_of_every_family_is_in_the_library() -> None:
    assert set(LIBRARY) == set(ALL_FAULTS)
    assert set(WITNESSES.values()) <= set(LIBRARY)
    assert set(CLASSES) <= set(WITNESSES), set(CLASSES) - set(WITNESSES)
    for kind in TRANSFORMS:
        assert any(name.startswith(f"{kind} (") for name in WITNESSES), kind
    assert set(SEEN_IN_TRAFFIC) <= set(LIBRARY)
    for faulty in LIBRARY.values():
        assert faulty.breaks <= set(CONTRACT.assumptions), faulty.name


@pytest.mark.parametrize("name", list(LIBRARY))
def test_each_faulty_server_is_caught_and_charged_only_to_what_its_fault_breaks(
    name: str, tmp_path: Path
) -> None:
    faulty = LIBRARY[name]

    run, found, har = checked(faulty.app(), tmp_path)

    texts = [str(f) for f in run.findings]
    assert any(all(part in text for part in faulty.reported) for text in texts), shown(run.findings)
    shown_by = {c for f in run.findings for c in f.near_misses}
    for near_miss in (c for c, fault in WITNESSES.items() if fault == name):
        assert near_miss in shown_by, (near_miss, shown(run.findings))
    # Every replay sends its request to the server, as pasted.
    assert all("http://127.0.0.1:" in f.reproduce for f in run.findings), shown(run.findings)
    assert by_status(found, CONTRADICTED) <= faulty.breaks, shown(run.findings)
    assert not by_status(found, HELD) & faulty.breaks, [str(v) for v in found]
    if name in SEEN_IN_TRAFFIC:
        judge = judge_all(read_har(har), CONTRACT)
        findings = judge.result()[0]
        assert SEEN_IN_TRAFFIC[name] in {f.check for f in findings}, shown(findings)
        assert all("http://127.0.0.1:" in f.reproduce for f in findings), shown(findings)
        assert by_status(judge.verdicts(), CONTRADICTED) <= faulty.breaks, shown(findings)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_correct_variant_passes_with_every_assumption_held(variant: str, tmp_path: Path) -> None:
    run, found, har = checked(VARIANTS[variant](), tmp_path)

    assert [str(finding) for finding in run.findings] == []
    assert run.unchecked == {}
    assert {v.status for v in found} <= {HELD, NOT_CHECKABLE}, [str(v) for v in found]
    if variant != "2,500 items":  # the judge reads this traffic like any other
        assert [str(f) for f in judge_all(read_har(har), CONTRACT).result()[0]] == []


@pytest.mark.xfail(
    strict=True,
    reason="the reference server routes on the decoded path, so a key with / finds nothing",
)
@pytest.mark.parametrize("variant", list(TROUBLESOME_VARIANTS))
def test_keys_the_reference_server_or_the_client_cannot_address(
    variant: str, tmp_path: Path
) -> None:
    run, _, _ = checked(TROUBLESOME_VARIANTS[variant](), tmp_path)

    assert [str(finding) for finding in run.findings] == []
    assert run.unchecked == {}


def test_an_empty_collection_says_which_checks_it_could_not_run(tmp_path: Path) -> None:
    run, found, _ = checked(empty_app(), tmp_path)

    assert run.findings == []
    for check in ("paging", "sorting", "filters", "detail"):
        assert f"{check} EventGroup" in run.unchecked, run.unchecked
    assert not by_status(found, HELD) & {"offset-bounds", "name-filter-matching"}


def target(base_url: str) -> Target:
    return Target(base_url, USER, PASSWORD, is_reference=False)


@pytest.mark.parametrize("variant", list(SLOW_VARIANTS))
def test_a_cold_start_is_waited_for_and_the_server_passes(
    variant: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(SLOW_VARIANTS[variant]()) as base_url:
        waited = preflight(CONTRACT, base_url, USER, PASSWORD)
        result = run_properties(
            target(base_url), Settings(reports=tmp_path), CONTRACT, None, waited
        )

    assert waited.hung == {}
    assert waited.first_answer >= 4.5
    assert result.findings == []
    assert "waiting for the first answer" in capfd.readouterr().out


def test_an_operation_that_never_answers_is_a_finding_about_it_and_the_rest_is_tested(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (fault,) = TIMING_FAULTS.values()
    with serve(fault(reference_app())) as base_url:
        waited = preflight(CONTRACT, base_url, USER, PASSWORD, timeout=1.0)
        result = run_properties(
            target(base_url), Settings(reports=tmp_path), CONTRACT, None, waited
        )

    assert list(waited.hung) == ["GET /event-groups/{event_group_id}"]
    (silent,) = [f for f in result.findings if f.check == "timeout EventGroup"]
    assert "did not answer within 1 s" in silent.message
    assert silent.reproduce.startswith("curl -si -m 1 ")
    assert silent.expectation is not None
    assert silent.expectation.timeout == 1.0
    held = by_status(result.verdicts, HELD)
    assert {"name-filter-matching", "count-bounds", "sort-direction-rules"} <= held
    assert "not-found-status" not in held
    assert "detail EventGroup" in result.unchecked
    assert "Property checks" in capfd.readouterr().out

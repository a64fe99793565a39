"""The property checks alone (no schemathesis) report each fault of tests/support/faults/_policy.py,
report nothing on servers that differ from the reference one only in ways the spec allows,
and say which checks an empty collection leaves undone instead of passing them silently."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.types import ASGIApp

from contract.conformance.properties import Finding, Probe, run_checks
from contract.layout import BUNDLED_SPEC
from tests.support.faults import (
    EXPECTED_FINDINGS,
    FAULTED_APPS,
    LENIENT_FAULTS,
    LENIENT_FINDINGS,
    MORE_LIST_FAULTS,
    MORE_LIST_FINDINGS,
    PASSWORD,
    POLICY_FAULTS,
    TROUBLESOME_VARIANTS,
    USER,
    VARIANTS,
    Fault,
    empty_app,
    reference_app,
    serve,
)

FAULTS: dict[str, Fault] = {**POLICY_FAULTS, **MORE_LIST_FAULTS, **LENIENT_FAULTS}
FINDINGS: dict[str, tuple[str, ...]] = {
    **EXPECTED_FINDINGS,
    **MORE_LIST_FINDINGS,
    **LENIENT_FINDINGS,
}

# Enough for every check on 2,500 items (about 450 requests are sent), so a budget running out
# never hides a finding nor leaves a check unfinished.
BUDGET = 3000
DATA_CHECKS = ("paging", "sorting", "filters", "detail")


def check(app: ASGIApp, only: set[str] | None = None) -> tuple[list[Finding], list[str]]:
    with serve(app) as base_url:
        probe = Probe(base_url, USER, PASSWORD, max_requests=BUDGET)
        try:
            return run_checks(probe, BUNDLED_SPEC, only)
        finally:
            probe.close()


def named_check(expected: tuple[str, ...]) -> str:
    """The check an expected finding names: `[detail EventGroup] ...` is the detail check."""
    return expected[0].removeprefix("[").split(" ", 1)[0]


def test_every_fault_has_an_expected_finding() -> None:
    assert set(FINDINGS) == set(FAULTS)
    assert set(FAULTED_APPS) <= set(FAULTS)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_is_reported_by_the_property_checks(fault: str) -> None:
    served: Callable[[], ASGIApp] = FAULTED_APPS.get(fault, reference_app)

    expected = FINDINGS[fault]
    # Only the check that must report it runs: the others run on the correct servers below.
    findings, _ = check(FAULTS[fault](served()), {named_check(expected)})

    shown = [str(finding) for finding in findings]
    assert any(all(part in text for part in expected) for text in shown), shown


def test_the_faulted_servers_are_correct_without_their_fault() -> None:
    """So each finding above comes from the fault, not from the data it is served with."""
    for served in {*FAULTED_APPS.values()}:
        assert check(served()) == ([], [])


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_correct_variant_gives_no_finding_and_leaves_nothing_unchecked(variant: str) -> None:
    findings, unfinished = check(VARIANTS[variant]())

    assert [str(finding) for finding in findings] == []
    assert unfinished == []


@pytest.mark.xfail(
    strict=True,
    reason="the reference server routes on the decoded path, so a key with / finds nothing",
)
@pytest.mark.parametrize("variant", list(TROUBLESOME_VARIANTS))
def test_keys_the_reference_server_or_the_client_cannot_address(variant: str) -> None:
    findings, unfinished = check(TROUBLESOME_VARIANTS[variant]())

    assert [str(finding) for finding in findings] == []
    assert unfinished == []


def test_an_empty_collection_says_which_checks_it_could_not_run() -> None:
    findings, unfinished = check(empty_app())

    assert findings == []
    for name in DATA_CHECKS:
        label = f"{name} EventGroup"
        assert any(entry.startswith(label) for entry in unfinished), (label, unfinished)

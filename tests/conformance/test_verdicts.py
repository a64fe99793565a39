from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from contract.conformance import write_junit
from contract.conformance._attribution import UNATTRIBUTED
from contract.conformance._verdicts import CONTRADICTED, HELD, NOT_CHECKED, verdicts
from contract.conformance.properties import Attribution, Finding, check_labels
from contract.layout import BUNDLED_SPEC


def by_id(findings: list[Finding], unchecked: list[str]) -> dict[str, str]:
    return {v.assumption: v.status for v in verdicts(BUNDLED_SPEC, findings, unchecked)}


def test_a_clean_run_holds_every_covered_assumption() -> None:
    found = by_id([], [])

    assert found.pop("forward-compatible-responses") == NOT_CHECKED
    assert set(found.values()) == {HELD}
    assert len(found) >= 15


def test_a_finding_contradicts_only_the_assumptions_of_what_it_names() -> None:
    finding = Finding("filters EventGroup", "name=cart returned 0 items, 1 match", "curl ...")

    found = by_id([finding], [])

    assert found["name-filter-matching"] == CONTRADICTED
    assert found["text-id-filter-matching"] == HELD
    assert found["filters-combine-with-and"] == HELD


def test_a_combined_filter_finding_contradicts_how_filters_combine() -> None:
    finding = Finding("filters EventGroup", "name=a&text_id=b returned 1 items, 0 match", "")

    assert by_id([finding], [])["filters-combine-with-and"] == CONTRADICTED


def test_what_a_check_could_not_check_is_not_checked_and_makes_the_run_partial() -> None:
    found = verdicts(BUNDLED_SPEC, [], ["paging EventGroup: no items"])
    offset = next(v for v in found if v.assumption == "offset-bounds")
    uncovered = next(v for v in found if v.assumption == "forward-compatible-responses")

    assert (offset.status, offset.partial) == (NOT_CHECKED, True)
    assert "no items" in offset.detail
    assert (uncovered.status, uncovered.partial) == (NOT_CHECKED, False)


def test_the_junit_report_has_a_case_per_check_and_per_assumption(tmp_path: Path) -> None:
    finding = Finding("sorting EventGroup", "sort_field=name is not in the declared order", "")
    found = verdicts(BUNDLED_SPEC, [finding], ["paging EventGroup: no items"])
    report = tmp_path / "properties-junit.xml"

    write_junit(
        check_labels(BUNDLED_SPEC), [finding], ["paging EventGroup: no items"], found, report
    )

    suites = {s.get("name"): s for s in ElementTree.parse(report).getroot()}
    cases = {c.get("name"): c for c in suites["assumptions"]}
    assert set(cases) == {v.assumption for v in found}
    assert cases["sort-field-values"].find("failure") is not None
    assert cases["offset-bounds"].find("skipped") is not None
    assert cases["count-bounds"].find("failure") is None
    assert suites["property-checks"].get("skipped") == "1"


def test_an_unattributed_finding_leaves_what_it_touched_undecided_never_held() -> None:
    explained = Attribution((), UNATTRIBUTED)
    finding = Finding("sorting EventGroup", "sort_field=name is not in the declared order", "")

    found = {
        v.assumption: v
        for v in verdicts(BUNDLED_SPEC, [replace(finding, attribution=explained)], [])
    }

    assert found["sort-field-values"].status == NOT_CHECKED
    assert "no single declared rule" in found["sort-field-values"].detail
    assert found["sort-direction-rules"].status == NOT_CHECKED
    assert found["count-bounds"].status == HELD

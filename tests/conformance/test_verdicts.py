"""Verdicts by assumption: contradicted only by a finding charged to it, held only when a probe
exercised it and every check that speaks for it ran, not checked otherwise (with the reason),
and not checkable when no check speaks for it; the JUnit report and the summary say the same,
in one set of numbers."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from contract.conformance import load_contract, write_junit
from contract.conformance._findings import Attribution, Finding, once_per_rule
from contract.conformance._runner import check_labels
from contract.conformance._verdicts import (
    CONTRADICTED,
    HELD,
    NOT_CHECKABLE,
    NOT_CHECKED,
    UNEXERCISED,
    counts,
    summary,
    verdicts,
)
from contract.layout import BUNDLED_SPEC

CONTRACT = load_contract(BUNDLED_SPEC)
EVERYTHING = {ident: {"some check"} for ident in CONTRACT.assumptions}


def by_id(
    findings: list[Finding], unchecked: dict[str, str], exercised: object = None
) -> dict[str, str]:
    found = verdicts(CONTRACT, findings, EVERYTHING if exercised is None else exercised, unchecked)  # type: ignore[arg-type]
    return {v.assumption: v.status for v in found}


def test_a_clean_run_holds_every_assumption_a_check_speaks_for() -> None:
    found = by_id([], {})

    assert found.pop("forward-compatible-responses") == NOT_CHECKABLE
    assert found.pop("event-group-state-values") == NOT_CHECKABLE
    assert found.pop("http-reading") == NOT_CHECKABLE  # no check reads HTTP itself yet
    assert set(found.values()) == {HELD}
    assert len(found) >= 14


def test_an_assumption_no_probe_exercised_is_not_checked_never_held() -> None:
    found = verdicts(CONTRACT, [], {}, {})
    offset = next(v for v in found if v.assumption == "offset-bounds")

    assert (offset.status, offset.detail) == (NOT_CHECKED, UNEXERCISED)


def test_a_finding_contradicts_only_the_assumptions_it_is_charged_to() -> None:
    finding = Finding(
        "filters EventGroup", "name=cart: ...", "curl ...",
        Attribution(("name-filter-matching",), "the name filter's rule"),
    )  # fmt: skip

    found = by_id([finding], {})

    assert found["name-filter-matching"] == CONTRADICTED
    assert found["text-id-filter-matching"] == HELD
    assert found["filters-combine-with-and"] == HELD


def test_a_finding_charged_to_none_contradicts_nothing_and_is_listed_on_its_own() -> None:
    finding = Finding("response EventGroup", "item 0 does not match the item schema", "curl")

    found = verdicts(CONTRACT, [finding], EVERYTHING, {})

    assert CONTRADICTED not in {v.status for v in found}
    assert any(
        "CHARGED TO NONE [response EventGroup]" in line for line in summary(found, [finding])
    )


def test_an_undecided_assumption_is_not_checked_never_held() -> None:
    explained = Attribution((), "no single change", ("sort-field-values", "sort-direction-rules"))
    finding = Finding("sorting EventGroup", "sort_field=name: ...", "", explained)

    found = {v.assumption: v for v in verdicts(CONTRACT, [finding], EVERYTHING, {})}

    assert found["sort-field-values"].status == NOT_CHECKED
    assert "no single declared rule" in found["sort-field-values"].detail
    assert found["count-bounds"].status == HELD


def test_what_a_check_could_not_check_is_not_checked_and_makes_the_run_partial() -> None:
    found = verdicts(CONTRACT, [], EVERYTHING, {"paging EventGroup": "no items"})
    offset = next(v for v in found if v.assumption == "offset-bounds")

    assert (offset.status, offset.partial) == (NOT_CHECKED, True)
    assert "no items" in offset.detail


def test_a_part_of_a_check_that_could_not_run_keeps_its_assumptions_from_being_held() -> None:
    missed = {"event-group-id-format": ["[parameters EventGroup] GET ... did not answer"]}

    found = {v.assumption: v for v in verdicts(CONTRACT, [], EVERYTHING, {}, missed=missed)}

    assert found["event-group-id-format"].status == NOT_CHECKED
    assert found["count-bounds"].status == HELD


def test_the_summary_and_the_junit_report_say_the_same_numbers(tmp_path: Path) -> None:
    finding = Finding(
        "sorting EventGroup", "sort_field=name is not in the declared order", "",
        Attribution(("sort-field-values",), "the order's rule"),
    )  # fmt: skip
    unchecked = {"paging EventGroup": "no items"}
    found = verdicts(CONTRACT, [finding], EVERYTHING, unchecked)
    report = tmp_path / "properties-junit.xml"

    write_junit(check_labels(CONTRACT), [finding], unchecked, found, report)

    suites = {s.get("name"): s for s in ElementTree.parse(report).getroot()}
    cases = {c.get("name"): c for c in suites["assumptions"]}
    assert set(cases) == {v.assumption for v in found}
    assert cases["sort-field-values"].find("failure") is not None
    assert cases["offset-bounds"].find("skipped") is not None
    assert cases["count-bounds"].find("failure") is None
    assert suites["property-checks"].get("skipped") == "1"
    numbers = counts(found)
    assert numbers == "14 held, 1 contradicted, 3 not checked, 3 not checkable"
    assert next(summary(found)) == f"Assumptions: {numbers}"
    skipped = int(suites["assumptions"].get("skipped") or 0)
    assert skipped == 6  # not checked and not checkable alike


def test_one_rule_broken_by_near_misses_of_several_classes_is_one_finding_naming_them() -> None:
    def near_miss(value: str, note: str) -> Finding:
        message = f"name={value} ({note} of 'Cart'): every item must contain the value"
        return Finding("filters EventGroup", message, f"curl '...?name={value}'")

    found = once_per_rule(
        [
            near_miss("%0ACart", "ascii whitespace: U+000A inserted at 0"),
            near_miss("%01Cart", "c0 control: U+0001 inserted at 0"),
            near_miss("Ca%01rt", "c0 control: U+0001 inserted at 2"),
            Finding("filters EventGroup", "text_id=x: no item has it", "curl '...'"),
        ]
    )

    assert [f.message for f in found] == [
        "name=%0ACart (ascii whitespace: U+000A inserted at 0 of 'Cart'): every item must "
        "contain the value (and 2 more like it, near misses of 2 classes: ascii whitespace, "
        "c0 control)",
        "text_id=x: no item has it",
    ]

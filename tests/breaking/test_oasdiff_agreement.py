"""make breaking against oasdiff's own checker tests (benchmarks/oasdiff_cases/): every pair
gets a verdict without a crash, each verdict is the one we decided, every difference from
oasdiff is explained, and the figure the docs give is the one measured."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchmarks.agreement import Outcome, agreement, cases, judge, summary
from benchmarks.import_oasdiff_cases import oasdiff_cases
from contract.breaking.changes import Verdict
from contract.layout import BREAKING_PAGE


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return judge(cases())


def test_every_pair_gets_a_verdict_with_a_pointer_and_a_reason(outcomes: list[Outcome]) -> None:
    assert len(outcomes) > 150
    for outcome in outcomes:
        assert outcome.verdict in {"breaking", "compatible", "review"}
        for change in outcome.report.changes:
            assert change.verdict in set(Verdict)
            assert change.reason, (outcome.case.name, change)


def test_each_pair_gets_the_verdict_we_decided(outcomes: list[Outcome]) -> None:
    """A rule change that moves a verdict shows here; decide it in cases.yaml (`ours`, and
    `why` where it then differs from oasdiff)."""
    moved = [
        f"{o.case.name} ({o.case.base} -> {o.case.revision}): now {o.verdict}, "
        f"cases.yaml says {o.case.ours}\n"
        + textwrap.indent("\n".join(str(c) for c in o.report.changes), "    ")
        for o in outcomes
        if o.verdict != o.case.ours
    ]
    assert not moved, "\n".join(moved)


def test_every_difference_from_oasdiff_says_why_and_no_agreement_does(
    outcomes: list[Outcome],
) -> None:
    for outcome in outcomes:
        differs = outcome.counted and outcome.case.ours != outcome.case.oasdiff
        assert bool(outcome.case.why) == differs, outcome.case.name


def test_the_breaking_changes_page_gives_the_measured_agreement(outcomes: list[Outcome]) -> None:
    agreed, counted = agreement(outcomes)
    assert agreed / counted >= 0.9, summary(outcomes)
    page = " ".join(BREAKING_PAGE.read_text("utf-8").split())
    assert f"{agreed} of {counted} pairs ({agreed / counted:.1%})" in page, summary(outcomes)
    for outcome in outcomes:
        if outcome.case.why:
            assert outcome.case.name in page, f"{outcome.case.name} is not listed in the docs"


RULES_GO = """
    newBackwardCompatibilityRule(APIRemovedId, ERR, APIRemovedCheck, DirectionNone),
    newBackwardCompatibilityRule(APIAddedId, INFO, APIAddedCheck, DirectionNone),
    newBackwardCompatibilityRule(ParamRemovedId, WARN, ParamRemovedCheck, DirectionNone),
"""
IDS_GO = """
const (
    APIRemovedId = "api-removed"
    APIAddedId = "endpoint-added"
    ParamRemovedId = "request-parameter-removed"
)
"""
TESTS_GO = """
func TestRemoved(t *testing.T) {
    s1, err := open("../data/checker/a.yaml")
    s2, err := open("../data/checker/b.yaml")
    require.True(t, containsId(errs, checker.APIRemovedId))
}

func TestAdded(t *testing.T) {
    s1, err := open("../data/checker/b.yaml")
    s2, err := open("../data/checker/a.yaml")
    require.Equal(t, checker.APIAddedId, errs[0].GetId())
}

func TestParamRemoved(t *testing.T) {
    s1, err := open("../data/checker/c.yaml")
    s2, err := open("../data/checker/a.yaml")
    require.Equal(t, checker.ParamRemovedId, errs[0].GetId())
}

func TestNothing(t *testing.T) {
    s1, err := open("../data/checker/c.yaml")
    s2, err := open("../data/checker/d.yaml")
    require.Empty(t, errs)
}

func TestEditedInMemory(t *testing.T) {
    s1, err := open("../data/checker/a.yaml")
    s2, err := open("../data/checker/d.yaml")
    s2.Spec.Paths.Delete("/x")
    require.Equal(t, checker.APIRemovedId, errs[0].GetId())
}
"""


def test_the_importer_takes_oasdiffs_level_of_what_each_test_asserts(tmp_path: Path) -> None:
    (tmp_path / "checker").mkdir()
    (tmp_path / "checker" / "rules.go").write_text(RULES_GO + IDS_GO, "utf-8")
    (tmp_path / "checker" / "api_test.go").write_text(TESTS_GO, "utf-8")

    found = {
        (c["base"], c["revision"]): (c["oasdiff"], c["rules"]) for c in oasdiff_cases(tmp_path)
    }

    assert found == {
        ("data/checker/a.yaml", "data/checker/b.yaml"): ("breaking", ["api-removed (ERR)"]),
        ("data/checker/b.yaml", "data/checker/a.yaml"): ("compatible", ["endpoint-added (INFO)"]),
        ("data/checker/c.yaml", "data/checker/a.yaml"): (
            "warn",
            ["request-parameter-removed (WARN)"],
        ),
        ("data/checker/c.yaml", "data/checker/d.yaml"): ("compatible", []),
    }

"""The deprecation lifecycle (docs/breaking-changes.md): what may go when, what a deprecation
needs, and that the reason of an early removal names the date."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from contract.breaking import classify
from contract.breaking.changes import Verdict

FUTURE, PAST = "9999-08-10", "2020-01-01"


def spec(operation: dict[str, Any] | None = None) -> dict[str, Any]:
    """A spec of one operation with one query parameter; `operation` adds to it."""
    get = {
        "operationId": "listThings",
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Things."}},
        **(operation or {}),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1.0.0"},
        "paths": {"/things": {"get": get}, "/other": {"get": {"responses": {}}}},
    }


def without_operation(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    del changed["paths"]["/things"]
    return changed


def without_parameter(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["paths"]["/things"]["get"]["parameters"] = []
    return changed


def rules(base: Any, head: Any) -> dict[str, Verdict]:
    return {c.rule: c.verdict for c in classify(base, head).changes}


@pytest.mark.parametrize(
    ("operation", "rule", "verdict"),
    [
        ({}, "operation-removed", Verdict.BREAKING),
        (
            {"deprecated": True, "x-sunset": PAST},
            "operation-removed-after-sunset",
            Verdict.COMPATIBLE,
        ),
        ({"deprecated": True}, "operation-removed-after-sunset", Verdict.COMPATIBLE),
        (
            {"deprecated": True, "x-sunset": FUTURE},
            "operation-removed-before-sunset",
            Verdict.BREAKING,
        ),
        ({"x-stability-level": "alpha"}, "operation-removed-unstable", Verdict.COMPATIBLE),
        ({"x-stability-level": "beta"}, "operation-removed", Verdict.BREAKING),
    ],
    ids=["stable", "after its sunset", "no sunset", "before its sunset", "alpha", "beta"],
)
def test_an_operation_may_go_once_its_sunset_passed_or_when_never_stable(
    operation: dict[str, Any], rule: str, verdict: Verdict
) -> None:
    base = spec(operation)

    assert rules(base, without_operation(base)) == {rule: verdict}


def test_removing_before_the_sunset_names_the_date() -> None:
    base = spec({"deprecated": True, "x-sunset": FUTURE})
    parameter = spec()
    parameter["paths"]["/things"]["get"]["parameters"][0].update(
        deprecated=True, **{"x-sunset": FUTURE}
    )

    (operation,) = classify(base, without_operation(base)).changes
    (removed,) = classify(parameter, without_parameter(parameter)).changes

    assert f"its sunset {FUTURE} is ahead" in operation.reason
    assert removed.rule == "parameter-removed-before-sunset"
    assert f"its sunset {FUTURE} is ahead" in removed.reason


def test_a_deprecation_is_listed_and_needs_a_sunset_with_the_notice_of_its_level() -> None:
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    base = spec()

    def deprecated(**fields: Any) -> dict[str, Any]:
        return spec({"deprecated": True, **fields})

    assert rules(base, deprecated(**{"x-sunset": FUTURE})) == {
        "operation-deprecated": Verdict.COMPATIBLE
    }
    assert rules(base, deprecated()) == {"deprecated-without-sunset": Verdict.BREAKING}
    assert rules(base, deprecated(**{"x-sunset": soon})) == {"sunset-too-soon": Verdict.BREAKING}
    assert rules(base, deprecated(**{"x-sunset": "soon"})) == {"sunset-invalid": Verdict.BREAKING}
    beta = spec({"x-stability-level": "beta"})
    assert rules(beta, {**beta, "paths": deprecated(**{"x-stability-level": "beta"})["paths"]}) == {
        "operation-deprecated": Verdict.COMPATIBLE
    }


def test_a_sunset_may_move_later_but_not_earlier_or_away() -> None:
    later = spec({"deprecated": True, "x-sunset": "9000-01-01"})

    assert rules(later, spec({"deprecated": True, "x-sunset": FUTURE})) == {
        "sunset-moved-later": Verdict.COMPATIBLE
    }
    assert rules(spec({"deprecated": True, "x-sunset": FUTURE}), later) == {
        "sunset-moved-earlier": Verdict.BREAKING
    }
    assert rules(later, spec({"deprecated": True})) == {"sunset-removed": Verdict.BREAKING}
    assert rules(later, spec()) == {"deprecation-withdrawn": Verdict.COMPATIBLE}


def test_a_stated_stability_level_may_rise_but_not_fall() -> None:
    beta, stable = spec({"x-stability-level": "beta"}), spec({"x-stability-level": "stable"})

    assert rules(beta, stable) == {"stability-increased": Verdict.COMPATIBLE}
    assert rules(stable, beta) == {"stability-decreased": Verdict.BREAKING}
    assert rules(spec(), beta) == {"documentation": Verdict.COMPATIBLE}  # stated where none was
    assert rules(stable, spec({"x-stability-level": "gamma"})) == {
        "stability-invalid": Verdict.BREAKING
    }

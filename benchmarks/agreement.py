"""How often `make breaking` agrees with oasdiff, the field's reference checker, on the spec
pairs of oasdiff's own checker tests (benchmarks/oasdiff_cases/, refreshed by
benchmarks/import_oasdiff_cases.py). `python -m benchmarks.agreement` prints the agreement
on breaking vs compatible and every pair where we decide otherwise, with why.

The pairs are single files, so they go to the classifier as they are; `make breaking`
bundles a spec with Redocly first, which changes nothing in a file without external
references."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract.breaking import Report, compare_all

CASES_DIR = Path(__file__).resolve().parent / "oasdiff_cases"
MANIFEST = CASES_DIR / "cases.yaml"
COUNTED = ("breaking", "compatible")  # oasdiff's WARN ("possibly breaking") counts neither way


@dataclass(frozen=True)
class Case:
    base: str
    revision: str
    oasdiff: str  # breaking, compatible or warn
    ours: str | None  # the verdict we decided for this pair; None: not decided yet
    why: str  # why ours differs from oasdiff's, where it does
    tests: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.tests[0].partition(":")[2]


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: str  # what make breaking says now: breaking, compatible or review
    report: Report

    @property
    def counted(self) -> bool:
        return self.case.oasdiff in COUNTED

    @property
    def agrees(self) -> bool:
        return self.verdict == self.case.oasdiff


def load_manifest() -> list[dict[str, Any]]:
    loaded = yaml.safe_load(MANIFEST.read_text("utf-8"))
    return list(loaded or [])


def cases() -> list[Case]:
    return [
        Case(
            entry["base"],
            entry["revision"],
            entry["oasdiff"],
            entry.get("ours"),
            entry.get("why", ""),
            tuple(entry["tests"]),
        )
        for entry in load_manifest()
    ]


def verdict(report: Report) -> str:
    if report.breaking:
        return "breaking"
    return "review" if report.review else "compatible"


def judge(selected: Sequence[Case]) -> list[Outcome]:
    """Classify every pair."""
    reports = compare_all([(CASES_DIR / c.base, CASES_DIR / c.revision) for c in selected])
    return [
        Outcome(case, verdict(report), report)
        for case, report in zip(selected, reports, strict=True)
    ]


def agreement(outcomes: Sequence[Outcome]) -> tuple[int, int]:
    """(pairs where we agree, pairs counted): those oasdiff calls breaking or compatible."""
    counted = [o for o in outcomes if o.counted]
    return sum(o.agrees for o in counted), len(counted)


def summary(outcomes: Sequence[Outcome]) -> str:
    agreed, counted = agreement(outcomes)
    warned = sum(not o.counted for o in outcomes)
    return (
        f"agreement with oasdiff: {agreed}/{counted} = {agreed / counted:.1%} of the pairs it "
        f"calls breaking or compatible ({len(outcomes)} pairs; {warned} it calls possibly "
        "breaking are not counted)"
    )


def main() -> int:
    outcomes = judge(cases())
    for outcome in outcomes:
        if outcome.counted and not outcome.agrees:
            print(f"{outcome.case.name}: oasdiff {outcome.case.oasdiff}, ours {outcome.verdict}")
            print(f"    {outcome.case.base} -> {outcome.case.revision}")
            print(f"    why: {outcome.case.why or '(not explained in cases.yaml)'}")
    print(summary(outcomes))
    undecided = [o for o in outcomes if o.verdict != o.case.ours]
    for outcome in undecided:
        print(
            f"error: {outcome.case.name}: we now say {outcome.verdict}, cases.yaml decided "
            f"{outcome.case.ours}",
            file=sys.stderr,
        )
    return 1 if undecided else 0


if __name__ == "__main__":
    sys.exit(main())

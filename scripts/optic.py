"""Run Optic's breaking-changes ruleset (`optic diff --check`) on two bundled specs and read
its verdicts: the checks that failed, and the diffs that no check flagged."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.changes import Change, Kind, Verdict
from scripts.errors import ToolError
from scripts.layout import OPTIC_STANDARD
from scripts.node_tools import run_node_tool

# CI mode makes Optic write its results as JSON (ci-run-details.json in the working folder);
# the other two keep it from contacting anyone: no telemetry, no update check.
OPTIC_ENV = {"CI": "true", "OPTIC_TELEMETRY_LEVEL": "off", "NO_UPDATE_NOTIFIER": "1"}
RESULTS_FILE = "ci-run-details.json"


@dataclass(frozen=True)
class Diff:
    """One difference Optic found; `before` and `after` point into its layout of each spec."""

    kind: Kind
    before: str | None
    after: str | None

    @property
    def pointer(self) -> str:
        return self.after if self.after is not None else self.before or ""


@dataclass(frozen=True)
class OpticReport:
    breaking: list[Change]
    unflagged: list[Diff]


def run_optic(base: Path, head: Path) -> OpticReport:
    """Compare two bundled spec files. Optic runs in a scratch folder outside any git
    repository, so no optic.yml, .optic.env or git state of the caller changes its verdict.
    It validates loosely: validity is `make lint`'s job, and a spec released before a lint
    rule existed must still compare."""
    with tempfile.TemporaryDirectory() as scratch:
        result = run_node_tool(
            "optic",
            "diff",
            str(base.resolve()),
            str(head.resolve()),
            "--check",
            "--validation",
            "loose",
            "--standard",
            str(OPTIC_STANDARD),
            cwd=Path(scratch),
            env=OPTIC_ENV,
        )
        details = Path(scratch) / RESULTS_FILE
        if not details.exists():
            output = (result.stderr.strip() or result.stdout.strip())[-2000:]
            raise ToolError(f"optic diff gave no results (exit {result.returncode}):\n{output}")
        try:
            data = json.loads(details.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ToolError(f"optic diff wrote unreadable results: {exc}") from exc
    if data.get("failed"):
        errors = "; ".join(str(item.get("error")) for item in data["failed"])
        raise ToolError(f"optic diff could not compare the specs: {errors}")
    breaking: list[Change] = []
    unflagged: list[Diff] = []
    for spec in data.get("completed", []):
        comparison = spec.get("comparison", {})
        breaking += [_finding(rule) for rule in comparison.get("results", []) if _failed(rule)]
        for diffs, rules in _groups(comparison.get("groupedDiffs", {})):
            if not any(_failed(rule) for rule in rules):
                unflagged += [_diff(item) for item in diffs]
    return OpticReport(breaking, unflagged)


def _failed(rule: Any) -> bool:
    return not rule.get("passed", True) and not rule.get("exempted", False)


def _finding(rule: Any) -> Change:
    return Change(
        pointer=str(rule.get("location", {}).get("jsonPath", "")),
        verdict=Verdict.BREAKING,
        kind=_kind(rule.get("type")),
        reason=str(rule.get("error", rule.get("name", ""))),
        rule=f"optic: {rule.get('name', '?')}",
    )


def _diff(item: Any) -> Diff:
    return Diff(_kind(item.get("change")), item.get("before"), item.get("after"))


def _kind(value: Any) -> Kind:
    return Kind(value) if value in set(Kind) else Kind.CHANGED


def _groups(node: Any) -> Iterator[tuple[list[Any], list[Any]]]:
    """Optic groups its diffs by endpoint, parameter, response and field, each group with
    the checks that looked at it: yield (diffs, checks) for every group in the tree."""
    if isinstance(node, dict):
        if isinstance(node.get("diffs"), list) and isinstance(node.get("rules"), list):
            yield node["diffs"], node["rules"]
        for key, value in node.items():
            if key not in ("diffs", "rules"):
                yield from _groups(value)
    elif isinstance(node, list):
        for item in node:
            yield from _groups(item)

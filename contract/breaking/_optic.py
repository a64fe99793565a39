"""Run Optic's breaking-changes ruleset (what `optic diff --check` runs) on pairs of bundled
specs and read its verdicts: the checks that failed, and the diffs that no check flagged."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract._node_tools import run_node_script
from contract.breaking.changes import Change, Kind, Verdict
from contract.errors import ToolError
from contract.layout import OPTIC_CHECK

# No telemetry and no update check, whatever a later Optic version enables by default.
OPTIC_ENV = {"OPTIC_TELEMETRY_LEVEL": "off", "NO_UPDATE_NOTIFIER": "1"}


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
    error: str | None = None  # why Optic could not compare the pair: nothing above is known


def run_optic(pairs: Sequence[tuple[Path, Path]]) -> list[OpticReport]:
    """Compare each (base, head) pair of bundled spec files, all in one Node process
    (optic_check.cjs beside this module). It runs in a scratch folder outside any git
    repository, so no optic.yml, .optic.env or git state of the caller changes a verdict.
    Optic validates loosely: validity is `make lint`'s job, and a spec released before a lint
    rule existed must still compare. A pair Optic cannot read gets a report that says why,
    so that the caller can still judge it by other means."""
    request = [{"base": str(base.resolve()), "head": str(head.resolve())} for base, head in pairs]
    with tempfile.TemporaryDirectory() as scratch:
        result = run_node_script(OPTIC_CHECK, json.dumps(request), cwd=Path(scratch), env=OPTIC_ENV)
    try:
        answers = json.loads(result.stdout) if result.returncode == 0 else None
    except json.JSONDecodeError:
        answers = None
    if not isinstance(answers, list) or len(answers) != len(pairs):
        output = (result.stderr.strip() or result.stdout.strip())[-2000:]
        raise ToolError(f"optic gave no results (exit {result.returncode}):\n{output}")
    return [
        OpticReport([], [], str(answer["error"])) if "error" in answer else _report(answer)
        for answer in answers
    ]


def _report(answer: Any) -> OpticReport:
    breaking = [_finding(rule) for rule in answer.get("results", []) if _failed(rule)]
    unflagged = [
        _diff(item)
        for diffs, rules in _groups(answer.get("groupedDiffs", {}))
        if not any(_failed(rule) for rule in rules)
        for item in diffs
    ]
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

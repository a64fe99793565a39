"""Verdicts by assumption: for every assumption of the spec, whether the run contradicted
it (with the finding that shows it), held it, could not check it (and why), or whether no
check can contradict it at all. Against a real provider this is how a user learns which of
the contract's decisions are wrong.

- Contradicted: a finding is charged to it (each finding names the assumptions of the rule
  that explains it, see _attribution.py and the checks).
- Held: a probe exercised it (an answer that broke it would have shown, on the data the
  server held), every check that speaks for it ran, and no finding touched it.
- Not checked: a check that speaks for it could not run (no data, no budget, an operation
  that did not answer), none ran on data where a violation would show, or a finding no
  single rule explains touched it.
- Not checkable: no check speaks for it (it says what a client must accept, say)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from contract.conformance._contract import Contract
from contract.conformance._findings import Finding
from contract.conformance.checks import CHECKS

HELD, CONTRADICTED, NOT_CHECKED, NOT_CHECKABLE = (
    "held", "contradicted", "not checked", "not checkable",
)  # fmt: skip
STATUSES: Final = (HELD, CONTRADICTED, NOT_CHECKED, NOT_CHECKABLE)
UNCOVERED: Final = "no check can contradict it"
UNEXERCISED: Final = "no probe ran on data where a violation would show"


@dataclass(frozen=True)
class Verdict:
    assumption: str
    status: str  # one of STATUSES
    detail: str = ""  # the first finding and its reproducer, or why it was not checked
    checks: tuple[str, ...] = ()  # the check labels that speak for it

    def __str__(self) -> str:
        line = f"{self.status.upper():<13} {self.assumption}"
        return line + (f": {self.detail}" if self.detail else "")

    @property
    def partial(self) -> bool:
        """Not checked although a check speaks for it: the run lacked data or budget."""
        return self.status == NOT_CHECKED


def speakers(contract: Contract, checks: Collection[str] | None = None) -> dict[str, list[str]]:
    """Each assumption -> the labels of the checks (of those named) that speak for it."""
    found: dict[str, list[str]] = {ident: [] for ident in contract.assumptions}
    for subject in contract.subjects:
        for name, registered in CHECKS.items():
            if checks is not None and name not in checks:
                continue
            for ident in registered.speaks_for(subject):
                found.setdefault(ident, []).append(subject.label(name))
    return found


def verdicts(
    contract: Contract,
    findings: Sequence[Finding],
    exercised: Mapping[str, Collection[str]],
    unchecked: Mapping[str, str],
    checks: Collection[str] | None = None,
    missed: Mapping[str, Sequence[str]] | None = None,
    untried: str = UNEXERCISED,
) -> list[Verdict]:
    """One verdict per assumption of the spec, in the order the spec states them. `checks`
    names the checks that could run (default: all), `unchecked` why some could not at all
    (check label -> why), `missed` why a part of one could not (assumption -> whys),
    `untried` what is said of an assumption no probe exercised."""
    contradicted: dict[str, Finding] = {}
    undecided: dict[str, Finding] = {}
    for each in findings:
        for ident in each.attribution.ids:
            contradicted.setdefault(ident, each)
        for ident in each.attribution.undecided:
            undecided.setdefault(ident, each)
    found = []
    for ident, labels in speakers(contract, checks).items():
        found.append(
            verdict(
                ident,
                labels,
                contradicted.get(ident),
                undecided.get(ident),
                exercised.get(ident, ()),
                unchecked,
                (missed or {}).get(ident, ()),
                untried,
            )
        )
    return found


def verdict(
    ident: str,
    labels: Sequence[str],
    finding: Finding | None,
    undecided: Finding | None,
    exercised: Collection[str],
    unchecked: Mapping[str, str],
    missed: Sequence[str] = (),
    untried: str = UNEXERCISED,
) -> Verdict:
    if finding is not None:
        detail = f"[{finding.check}] {finding.message} (reproduce: {finding.reproduce})"
        return Verdict(ident, CONTRADICTED, f"{detail}; {finding.attribution.explanation}",
                       tuple(labels))  # fmt: skip
    if not labels:
        return Verdict(ident, NOT_CHECKABLE, UNCOVERED)
    if undecided is not None:
        detail = (
            f"[{undecided.check}] a finding no single declared rule explains leaves it undecided"
        )
        return Verdict(ident, NOT_CHECKED, detail, tuple(labels))
    reasons = [f"[{label}] {unchecked[label]}" for label in labels if label in unchecked]
    reasons += missed
    if exercised and not reasons:
        return Verdict(ident, HELD, "", tuple(labels))
    return Verdict(ident, NOT_CHECKED, "; ".join(reasons) or untried, tuple(labels))


def counts(found: Sequence[Verdict]) -> str:
    """The verdicts counted, in the words every report uses."""
    return ", ".join(f"{sum(v.status == s for v in found)} {s}" for s in STATUSES)


def summary(found: Sequence[Verdict], findings: Sequence[Finding] = ()) -> Iterator[str]:
    """The verdicts, then each finding charged to no assumption: the verdicts alone would
    not show it."""
    yield f"Assumptions: {counts(found)}"
    for item in found:
        yield f"  {item}"
    for each in findings:
        if not each.attribution.ids:
            yield f"  CHARGED TO NONE [{each.check}] {each.message}: {each.attribution.explanation}"

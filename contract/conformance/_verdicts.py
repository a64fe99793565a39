"""Verdicts by assumption: for every `x-assumption` of the spec, whether the property checks
showed it to hold, contradicted it (with the request that shows it), or could not check it.
Against a real provider this is how a user learns which of the contract's decisions are
wrong. Which check speaks for which assumption is read from the spec: the declarations name
their assumptions, and parameters, responses and schemas carry their own."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from contract.conformance.properties import CHECKS, Finding, Subject, label, subjects
from contract.spec.assumptions import EXTENSION, iter_assumptions
from contract.spec.declarations import response_schema
from contract.spec.source import read_yaml

HELD, CONTRADICTED, NOT_CHECKED = "held", "contradicted", "not checked"
UNCOVERED: Final = "no property check covers it"
NAMED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")  # the parameters a finding's message names


@dataclass(frozen=True)
class Verdict:
    assumption: str
    status: str  # held | contradicted | not checked
    detail: str = ""  # the first finding and its reproducer, or why it was not checked
    checks: tuple[str, ...] = ()  # the check labels that speak for it

    def __str__(self) -> str:
        line = f"{self.status.upper():<13} {self.assumption}"
        return line + (f": {self.detail}" if self.detail else "")

    @property
    def partial(self) -> bool:
        """Not checked although a check covers it: the run lacked data or budget."""
        return self.status == NOT_CHECKED and self.detail != UNCOVERED


def own_id(node: Any) -> set[str]:
    found = node.get(EXTENSION) if isinstance(node, Mapping) else None
    ident = found.get("id") if isinstance(found, Mapping) else None
    return {ident} if isinstance(ident, str) else set()


def parameter_ids(operation: Mapping[str, Any], names: Iterable[str] | None = None) -> set[str]:
    wanted = None if names is None else set(names)
    return {
        ident
        for parameter in operation.get("parameters") or []
        if wanted is None or parameter.get("name") in wanted
        for ident in own_id(parameter)
    }


def response_ids(operation: Mapping[str, Any], status: str) -> set[str]:
    """The response's own assumption and that of its JSON body schema."""
    response = (operation.get("responses") or {}).get(status) or {}
    return own_id(response) | own_id(response_schema(operation, status))


def covered(check: str, subject: Subject, names: set[str] | None = None) -> set[str]:
    """The assumptions a check of one resource speaks for; with `names`, only those about the
    parameters a finding names (None: all of them)."""
    resource, listing, detail = subject.resource, subject.list_operation, subject.detail_operation
    filters = [f for f in resource.filters if names is None or f.parameter in names]
    if check == "auth":
        return response_ids(listing, "401") | response_ids(detail, "401")
    if check == "paging":
        item = resource.item_schema
        properties = (item.get("properties") or {}).values()
        return (
            set(resource.paging.assumptions) | own_id(item) | set().union(*map(own_id, properties))
        )
    if check == "sorting" and resource.sorting is not None:
        sorting = resource.sorting
        return set(sorting.assumptions) | parameter_ids(listing, [sorting.field, sorting.direction])
    if check == "filters":
        combined = (listing.get("x-filtering") or {}).get("assumptions") or []
        ids = {i for f in filters for i in f.assumptions}
        ids |= parameter_ids(listing, [f.parameter for f in filters])
        return ids | (set(combined) if names is None or len(filters) > 1 else set())
    if check == "query-policy":
        return set(resource.policy.assumptions) | response_ids(listing, "400")
    if check == "detail":
        return parameter_ids(detail) | response_ids(detail, "404")
    if check == "oracle":
        rule = resource.sorting
        sorted_by = rule is not None and (names is None or {rule.field, rule.direction} & names)
        ids = covered("filters", subject, names) if names is None or filters else set()
        ids |= set(rule.assumptions) if rule is not None and sorted_by else set()
        return ids | set(resource.paging.assumptions)
    if check == "parameters":
        listed = parameter_ids(listing, names) | response_ids(listing, "400")
        keyed = names is None or resource.detail.parameter in names
        return listed | (parameter_ids(detail) | response_ids(detail, "400") if keyed else set())
    return set()


def finding_ids(
    finding: Finding, check: str, subject: Subject, attributed: bool = True
) -> set[str]:
    """The assumptions one finding contradicts: those of the declared rule that explains it
    when the check could tell (none when no single rule does); for the checks whose findings
    name parameters, those parameters' assumptions; else all the check speaks for. With
    `attributed` false, the assumptions the finding touched whatever explains it."""
    if finding.attribution is not None and attributed:
        return set(finding.attribution.ids)
    if check in {"parameters", "filters", "oracle"}:
        names = set(NAMED.findall(finding.message.split(" ", 1)[0]))
        if names:
            return covered(check, subject, names)
    return covered(check, subject)


def verdicts(
    spec_path: Path, findings: Sequence[Finding], unchecked: Sequence[str]
) -> list[Verdict]:
    """One verdict per assumption of the spec, in the order the spec states them."""
    document = read_yaml(spec_path)
    ids = list(
        dict.fromkeys(
            value["id"] for _, value in iter_assumptions(document) if isinstance(value, dict)
        )
    )
    speaks: dict[str, list[str]] = {ident: [] for ident in ids}
    contradicted: dict[str, Finding] = {}
    undecided: dict[str, str] = {}  # assumption -> check of an unattributed finding touching it
    reasons = dict(entry.split(": ", 1) for entry in unchecked)
    for subject in subjects(spec_path):
        for check in CHECKS:
            where = label(check, subject)
            for ident in covered(check, subject):
                speaks.setdefault(ident, []).append(where)
            for finding in (f for f in findings if f.check == where):
                for ident in finding_ids(finding, check, subject):
                    contradicted.setdefault(ident, finding)
                if finding.attribution is not None and not finding.attribution.ids:
                    for ident in finding_ids(finding, check, subject, attributed=False):
                        undecided.setdefault(ident, where)
    return [
        verdict(ident, speaks[ident], contradicted.get(ident), reasons, undecided.get(ident))
        for ident in speaks
    ]


def verdict(
    ident: str,
    checks: Sequence[str],
    finding: Finding | None,
    reasons: Mapping[str, str],
    undecided: str | None = None,
) -> Verdict:
    """`undecided` names the check whose unattributed finding touched the assumption: no
    rule is charged with it, and none of those it touched can be said to hold."""
    if finding is not None:
        detail = f"[{finding.check}] {finding.message} (reproduce: {finding.reproduce})"
        if finding.attribution is not None:
            detail += f"; {finding.attribution.explanation}"
        return Verdict(ident, CONTRADICTED, detail, tuple(checks))
    if not checks:
        return Verdict(ident, NOT_CHECKED, UNCOVERED)
    if undecided is not None:
        detail = f"[{undecided}] a finding no single declared rule explains leaves it undecided"
        return Verdict(ident, NOT_CHECKED, detail, tuple(checks))
    missing = [f"[{check}] {reasons[check]}" for check in checks if check in reasons]
    if missing:
        return Verdict(ident, NOT_CHECKED, "; ".join(missing), tuple(checks))
    return Verdict(ident, HELD, "", tuple(checks))


def summary(found: Sequence[Verdict], findings: Sequence[Finding] = ()) -> Iterator[str]:
    """The verdicts, then each finding that contradicts no assumption because no declared
    rule explains it: the verdicts alone would not show it."""
    counts = {
        status: sum(v.status == status for v in found)
        for status in (HELD, CONTRADICTED, NOT_CHECKED)
    }
    yield "Assumptions: " + ", ".join(f"{n} {status}" for status, n in counts.items())
    for item in found:
        yield f"  {item}"
    for finding in findings:
        if finding.attribution is not None and not finding.attribution.ids:
            explanation = finding.attribution.explanation
            yield f"  UNATTRIBUTED [{finding.check}] {finding.message}: {explanation}"

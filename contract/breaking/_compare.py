"""Classify every change between two bundled specs as breaking or compatible: Optic's
breaking-changes ruleset first, our rules for what it does not check, and a major bump of
info.version to accept the breaks that are intended."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.breaking._behaviour import behaviour_changes
from contract.breaking._diff_reasons import describe
from contract.breaking._optic import Diff, OpticReport, run_optic
from contract.breaking._rules import contract_changes
from contract.breaking.changes import Change, Kind, Verdict
from contract.spec.client_view import client_view
from contract.spec.source import MISSING, escape_pointer_token, lookup, operations, read_yaml

# A component matters to clients where an operation uses it, and Optic reports that use as
# a diff of the operation too; only security schemes are used by name, not by reference.
SEEN_THROUGH_OPERATIONS = ("/components/",)
USED_BY_NAME = ("/components/securitySchemes/",)


@dataclass(frozen=True)
class Report:
    changes: list[Change]
    base_version: str
    head_version: str

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.verdict is Verdict.BREAKING]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if c.verdict is Verdict.COMPATIBLE]

    @property
    def review(self) -> list[Change]:
        return [c for c in self.changes if c.verdict is Verdict.REVIEW]

    @property
    def major_bump(self) -> bool:
        before, after = major(self.base_version), major(self.head_version)
        return before is not None and after is not None and after > before

    @property
    def accepted(self) -> bool:
        """No breaking change, or a major bump of info.version that says it is intended."""
        return not self.breaking or self.major_bump


def major(version: str) -> int | None:
    match = re.match(r"v?(\d+)(\.|$)", version.strip())
    return int(match.group(1)) if match else None


def compare(base: Path, head: Path) -> Report:
    """Compare the bundled spec files `base` (the released one) and `head`."""
    return compare_all([(base, head)])[0]


def compare_all(pairs: Sequence[tuple[Path, Path]]) -> list[Report]:
    """Compare each (base, head) pair of bundled spec files; Optic looks at all of them in
    one run, which saves its start-up time for every pair after the first."""
    documents = [(read_yaml(base), read_yaml(head)) for base, head in pairs]
    with tempfile.TemporaryDirectory(prefix="optic-") as scratch:
        inputs = [
            (
                for_optic(documents[i][0], base, Path(scratch) / f"{i}-base.json"),
                for_optic(documents[i][1], head, Path(scratch) / f"{i}-head.json"),
            )
            for i, (base, head) in enumerate(pairs)
        ]
        reports = run_optic(inputs)
    return [
        classify(base_doc, head_doc, optic)
        for (base_doc, head_doc), optic in zip(documents, reports, strict=True)
    ]


def for_optic(document: Any, path: Path, scratch: Path) -> Path:
    """`path`, or a copy in `scratch` that Optic's loader accepts: OpenAPI 3.1 lets an
    operation leave out `responses`, which Optic insists on; an empty object says the same."""
    if all("responses" in op for _, _, _, op in operations(document)):
        return path
    copied = copy.deepcopy(document)  # the caller's document stays as it was read
    for _, _, _, operation in operations(copied):
        operation.setdefault("responses", {})
    scratch.write_text(json.dumps(copied), "utf-8")
    return scratch


def classify(base_doc: Any, head_doc: Any, optic: OpticReport) -> Report:
    """Merge Optic's verdicts with our rules' and list each change once."""
    before, after = client_view(base_doc), client_view(head_doc)
    behaviour = behaviour_changes(before, after)
    ours = contract_changes(before, after)
    kept = [c for c in optic.breaking if _overruled(c, before, after, ours) is None]
    overruled = [
        Change(c.pointer, Verdict.COMPATIBLE, c.kind, f"{reason} ({c.rule} does not apply)", "ours")
        for c in optic.breaking
        if (reason := _overruled(c, before, after, ours)) is not None
    ]
    judged = [c for c in behaviour if c.verdict is not Verdict.BREAKING] + overruled
    found = set(kept) | {c for c in behaviour if c.verdict is Verdict.BREAKING}
    found |= {
        c
        for c in ours
        if c.verdict is Verdict.BREAKING
        and not any(
            o.covers(c.pointer) or (c.covers(o.pointer) and c.kind is not Kind.REMOVED)
            for o in kept
        )
    }
    # The parts of a removed node are not news of their own.
    breaking = [
        change
        for change in found
        if not any(
            other.kind is Kind.REMOVED
            and other.pointer != change.pointer
            and other.covers(change.pointer)
            for other in found
        )
    ]
    judged += [
        c
        for c in ours
        if c.verdict is Verdict.COMPATIBLE
        and not any(b.covers(c.pointer) or c.covers(b.pointer) for b in breaking)
        and not any(o.covers(c.pointer) for o in overruled)  # the overruling says it
    ]
    compatible = set()
    for diff in optic.unflagged:
        if diff.pointer.startswith(SEEN_THROUGH_OPERATIONS) and not diff.pointer.startswith(
            USED_BY_NAME
        ):
            continue
        places = _places(diff, before, after)
        if any(change.covers(place) for change in (*breaking, *judged) for place in places):
            continue
        compatible.add(
            Change(
                diff.pointer,
                Verdict.COMPATIBLE,
                diff.kind,
                describe(diff, before, after),
                "optic diff: no check failed",
            )
        )
    known = (*breaking, *judged, *compatible)
    if optic.error is not None:
        compatible |= set(_unjudged(before, after, known, optic.error))
    else:
        compatible |= set(_unflagged(before, after, known))
    return Report(
        sorted(breaking) + sorted(compatible | set(judged)),
        _version(base_doc),
        _version(head_doc),
    )


def _version(document: Any) -> str:
    info = document.get("info") if isinstance(document, dict) else None
    return str(info.get("version", "")) if isinstance(info, dict) else ""


def _overruled(change: Change, before: Any, after: Any, ours: Sequence[Change]) -> str | None:
    """Why one of Optic's breaking verdicts does not hold, if it does not: the request
    media type it concerns is new (old clients never send it), the type it calls narrowed
    was widened on a request or narrowed on a response, or the property it calls newly
    required is readOnly (requests never send it)."""
    tokens = change.pointer.split("/")
    if "requestBody" in tokens:
        body = "/".join(tokens[: tokens.index("requestBody") + 1])
        media_type = "/".join(tokens[: tokens.index("requestBody") + 3])  # .../content/<type>
        new_body = lookup(after, body)
        required = isinstance(new_body, dict) and new_body.get("required") is True
        if lookup(before, body) is MISSING and not required:
            return "the request body is new and optional: clients built before send none"
        if lookup(before, body) is not MISSING and lookup(before, media_type) is MISSING:
            return "the request media type is new: clients built before never send it"
    if change.rule.endswith("type changes"):
        types = [c for c in ours if c.rule == "ours: type-changed" and change.covers(c.pointer)]
        if types and all(c.verdict is Verdict.COMPATIBLE for c in types):
            return types[0].reason
    if "required" in change.rule:
        schema = lookup(after, change.pointer)
        if isinstance(schema, dict) and schema.get("readOnly") is True:
            return "the property is readOnly: requests never send it"
    return None


def _places(diff: Diff, before: Any, after: Any) -> list[str]:
    """The pointers a diff stands for. An entry of a `required` list (or the whole list)
    stands for the properties it names: removing `text_id` from the properties also removes
    it from `required`, which is the same change; `nullable` stands for the schema's type."""
    places = [diff.pointer]
    old = lookup(before, diff.before) if diff.before is not None else MISSING
    new = lookup(after, diff.after) if diff.after is not None else MISSING
    parent, _, last = diff.pointer.rpartition("/")
    if last == "nullable":
        places.append(f"{parent}/type")
    if last == "required":
        schema, listed = (
            parent,
            [*(old if isinstance(old, list) else []), *(new if isinstance(new, list) else [])],
        )
    elif parent.endswith("/required") and last.isdigit():
        schema, listed = parent.removesuffix("/required"), [new if isinstance(new, str) else old]
    else:
        return places
    return places + [
        f"{schema}/properties/{escape_pointer_token(name)}"
        for name in listed
        if isinstance(name, str)
    ]


def _unjudged(before: Any, after: Any, known: Sequence[Change], error: str) -> Iterator[Change]:
    """When Optic cannot read a pair, each difference our own rules did not judge: left for a
    person to review, documentation aside, with why no rule judged it."""
    for diff in _differences(before, after, "", ""):
        if any(change.covers(place) for change in known for place in _places(diff, before, after)):
            continue
        reason = describe(diff, before, after)
        if reason.endswith("documentation only"):
            yield Change(diff.pointer, Verdict.COMPATIBLE, diff.kind, reason, "our diff")
        else:
            said = f"{reason}; Optic could not compare the specs ({error[:200]})"
            yield Change(diff.pointer, Verdict.REVIEW, diff.kind, said, "our diff: no rule")


def _unflagged(before: Any, after: Any, known: Sequence[Change]) -> Iterator[Change]:
    """Each difference of the operations that neither Optic's diff nor our rules listed
    (Optic merges allOf parts, say): compatible, since no rule flags it, but listed, so that
    every difference has a verdict."""
    for diff in _differences(before, after, "", ""):
        if diff.pointer.startswith(SEEN_THROUGH_OPERATIONS) and not diff.pointer.startswith(
            USED_BY_NAME
        ):
            continue
        places = _places(diff, before, after)
        if any(c.covers(p) or c.pointer.startswith(p + "/") for c in known for p in places):
            continue
        reason = describe(diff, before, after)
        yield Change(
            diff.pointer, Verdict.COMPATIBLE, diff.kind, reason, "our diff: no rule flagged it"
        )


def _differences(old: Any, new: Any, was: str, now: str) -> Iterator[Diff]:
    """The smallest differing nodes of two documents, as Optic's diffs name them."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() | new.keys():
            token = "/" + escape_pointer_token(key)
            if key not in new:
                yield Diff(Kind.REMOVED, was + token, None)
            elif key not in old:
                yield Diff(Kind.ADDED, None, now + token)
            else:
                yield from _differences(old[key], new[key], was + token, now + token)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            token = f"/{index}"
            if index >= len(new):
                yield Diff(Kind.REMOVED, was + token, None)
            elif index >= len(old):
                yield Diff(Kind.ADDED, None, now + token)
            else:
                yield from _differences(old[index], new[index], was + token, now + token)
    elif old != new:
        yield Diff(Kind.CHANGED, was, now)

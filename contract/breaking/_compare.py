"""Classify every change between two bundled specs: the rules of operations, schemas and
declared behaviour judge what they know, every other difference gets the rule that names it
(documentation, a server, or unknown: a person reviews it), and a major bump of info.version
accepts the breaks that are intended."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract.breaking._behaviour import behaviour_changes
from contract.breaking._catalog import verdict_of
from contract.breaking._differences import Diff, classify_difference, differences
from contract.breaking._digest import digest_scope
from contract.breaking._rules import contract_changes
from contract.breaking.changes import Change, Verdict
from contract.errors import SpecLoadError
from contract.spec.client_view import client_view
from contract.spec.source import MISSING, escape_pointer_token, lookup, read_yaml

if TYPE_CHECKING:
    from contract.lint import Problem

# A component matters to clients where an operation uses it, and the rules report that use
# in the operation; only security schemes are used by name, not by reference.
SEEN_THROUGH_OPERATIONS = ("/components/",)
USED_BY_NAME = ("/components/securitySchemes/",)
COMPOSITION = ("oneOf", "anyOf", "allOf")


@dataclass(frozen=True)
class Report:
    changes: list[Change]
    base_version: str
    head_version: str
    # `make lint` of the new side, which a compatible change must also pass to land; None
    # where it was not run (OLD and NEW compare any two specs, not this repository's).
    lint: tuple[Problem, ...] | None = None

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

    @property
    def lands(self) -> bool:
        """Accepted, and the new side passes the lint: what CI will let through."""
        return self.accepted and not self.lint


def major(version: str) -> int | None:
    match = re.match(r"v?(\d+)(\.|$)", version.strip())
    return int(match.group(1)) if match else None


def compare(base: Path, head: Path) -> Report:
    """Compare the bundled spec files `base` (the released one) and `head`."""
    return classify(read_yaml(base), read_yaml(head))


def compare_all(pairs: Sequence[tuple[Path, Path]]) -> list[Report]:
    """compare() of each (base, head) pair of bundled spec files."""
    return [compare(base, head) for base, head in pairs]


def classify(base_doc: Any, head_doc: Any) -> Report:
    """Every change between two bundled documents, each listed once with its rule."""
    for document in (base_doc, head_doc):
        if not isinstance(document, dict):
            raise SpecLoadError(f"not an OpenAPI document: a {type(document).__name__}, no object")
    with digest_scope() as scope:
        before = client_view(base_doc, shared=True, names=scope.names, mapped=scope.mapped)
        after = client_view(head_doc, shared=True, names=scope.names, mapped=scope.mapped)
        # No rule walks into what it reports removed, so no change is a part of another.
        judged = behaviour_changes(before, after) + contract_changes(before, after)
        judged += _unjudged(before, after, judged)
    ordered = sorted(set(judged), key=lambda c: (c.verdict is not Verdict.BREAKING, c))
    return Report(ordered, _version(base_doc), _version(head_doc))


def seen_through_operations(pointer: str) -> bool:
    """A difference in `components` shows where operations use it; security schemes are used
    by name, so they are judged where they are."""
    if pointer.startswith(USED_BY_NAME):
        return False
    return pointer == "/components" or pointer.startswith(SEEN_THROUGH_OPERATIONS)


def _version(document: Any) -> str:
    info = document.get("info") if isinstance(document, dict) else None
    return str(info.get("version", "")) if isinstance(info, dict) else ""


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
    if last in ("x-sunset", "deprecated"):  # a sunset is part of its deprecation
        places += [f"{parent}/deprecated", f"{parent}/x-sunset"]
    if last.isdigit() and parent.rpartition("/")[2] in COMPOSITION:
        places.append(parent)  # parts are matched by content, not by their place in the list
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


class _Coverage:
    """Whether a judged change already explains a place: one at or above it, or one below."""

    def __init__(self, changes: Iterable[Change]) -> None:
        self.at: set[str] = set()
        self.above: set[str] = set()  # every proper ancestor of a judged pointer
        for change in changes:
            self.at.add(change.pointer)
            tokens = change.pointer.split("/")
            self.above.update("/".join(tokens[:depth]) for depth in range(1, len(tokens)))

    def covers(self, place: str) -> bool:
        if place in self.above:
            return True
        tokens = place.split("/")
        return any("/".join(tokens[:depth]) in self.at for depth in range(1, len(tokens) + 1))


def _unjudged(before: Any, after: Any, judged: Sequence[Change]) -> Iterator[Change]:
    """Each difference that no judged change explains, with the rule that names it."""
    coverage = _Coverage(judged)
    for diff in differences(before, after):
        if seen_through_operations(diff.pointer):
            continue
        if any(coverage.covers(place) for place in _places(diff, before, after)):
            continue
        if _reordered(diff, before, after):
            continue
        rule, reason = classify_difference(diff, before, after)
        yield Change(diff.pointer, verdict_of(rule), diff.kind, reason, rule)


def _reordered(diff: Diff, before: Any, after: Any) -> bool:
    """Whether a diff of one entry of a `required` list only moves a name that both lists
    hold: the list is a set."""
    parent, _, last = diff.pointer.rpartition("/")
    if not (last.isdigit() and parent.endswith("/required")):
        return False
    old_list = lookup(before, diff.before.rpartition("/")[0]) if diff.before else MISSING
    new_list = lookup(after, diff.after.rpartition("/")[0]) if diff.after else MISSING
    if not isinstance(old_list, list) or not isinstance(new_list, list):
        return False
    names = [lookup(before, diff.before or ""), lookup(after, diff.after or "")]
    return all(isinstance(n, str) and n in old_list and n in new_list for n in names)

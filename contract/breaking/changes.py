"""One change between two versions of the contract, as `make breaking` reports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    BREAKING = "breaking"
    COMPATIBLE = "compatible"
    REVIEW = "review"  # no rule can tell (an assumption's prose): a person decides


class Kind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, order=True)
class Source:
    """Where a change is written in the split spec: the file (as the user names it), its
    1-based line, and the side: `base` (the released spec, for a removal) or `head`."""

    file: str
    line: int | None
    side: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where} ({self.side})" if self.side == "base" else where


@dataclass(frozen=True, order=True)
class Change:
    """`pointer` is a JSON pointer into the client view (contract/spec/client_view.py) of the
    version that has the node: the old one for a removal, the new one otherwise. `rule` is
    the id of the rule that decided it (contract/breaking/_catalog.py), which gives the
    verdict."""

    pointer: str
    verdict: Verdict
    kind: Kind
    reason: str
    rule: str
    source: Source | None = field(default=None, compare=False)

    def covers(self, pointer: str) -> bool:
        """Whether `pointer` lies at or below this change: a part of a removed node, or a
        diff that this change already explains."""
        return pointer == self.pointer or pointer.startswith(self.pointer + "/")

    def __str__(self) -> str:
        line = f"{self.verdict.value:<10}  {self.pointer or '/'}  {self.reason}  [{self.rule}]"
        return f"{line}  {self.source}" if self.source is not None else line

"""One change between two versions of the contract, as `make breaking` reports it."""

from __future__ import annotations

from dataclasses import dataclass
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

    def covers(self, pointer: str) -> bool:
        """Whether `pointer` lies at or below this change: a part of a removed node, or a
        diff that this change already explains."""
        return pointer == self.pointer or pointer.startswith(self.pointer + "/")

    def __str__(self) -> str:
        return f"{self.verdict.value:<10}  {self.pointer or '/'}  {self.reason}  [{self.rule}]"

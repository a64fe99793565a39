"""What a check reports: a finding, the request that replays it, and the assumptions its
rule charges it to. Every finding is charged when it is made, by the check that knows which
rule its probe tested; a finding no assumption's rule explains (a schema violation, a 5xx, a
detail that differs from its list entry) is a contract finding charged to none."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from contract.conformance._replays import Expectation

# What a finding charged to no assumption says of itself.
CONTRACT: str = "no assumption's rule explains it: the documented contract is broken"


@dataclass(frozen=True)
class Attribution:
    """The assumptions a finding contradicts, and why those. `undecided` names the
    assumptions the finding touched without any one rule of theirs explaining it: a run that
    made it cannot say they hold."""

    ids: tuple[str, ...] = ()
    explanation: str = CONTRACT
    undecided: tuple[str, ...] = ()


def charged(ids: Iterable[str], explanation: str) -> Attribution:
    """An attribution to `ids` (sorted, once each)."""
    return Attribution(tuple(sorted(set(ids))), explanation)


@dataclass(frozen=True)
class Evidence:
    """A broken property as a check yields it: what is wrong, a command that shows it, the
    rule it is charged to, and what a replay asserts (the request and what a correct server
    answers), where one request shows it."""

    message: str
    reproduce: str
    attribution: Attribution = Attribution()
    expectation: Expectation | None = None


@dataclass(frozen=True)
class Finding:
    """A broken property of one check of one resource (`check` is `<check> <Resource>`)."""

    check: str
    message: str
    reproduce: str
    attribution: Attribution = Attribution()
    expectation: Expectation | None = field(default=None, repr=False, compare=False)
    # The classes of the edit grammar whose near misses showed it (once_per_rule fills it).
    near_misses: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}\n    reproduce: {self.reproduce}"


def finding(label: str, evidence: Evidence) -> Finding:
    return Finding(
        label, evidence.message, evidence.reproduce, evidence.attribution, evidence.expectation
    )


class NotCheckedError(Exception):
    """A check found nothing to check against (no items, too few to tell orders apart): it is
    reported as not checked, never as a pass."""


class UnexpectedResponseError(Exception):
    """An answer the check cannot read as the contract promises (another status, no JSON, a
    body that breaks its schema): a contract finding, and the check cannot go on."""

    def __init__(self, message: str, path: str, params: Sequence[tuple[str, str]]) -> None:
        super().__init__(message)
        self.path, self.params = path, tuple(params)


# Values, numbers, and the note that says which near miss a value is ("(letter: U+0043
# inserted at 0 of 'Loyalty Tasks')"): the same rule broken by near misses of several
# classes is one finding, its first near miss shown.
NEAR_MISS_NOTE = r"\([^()]*(?:\([^()]*\)[^()]*)*\bof '[^']*'\)"
SHAPE = re.compile(NEAR_MISS_NOTE + r"|U\+[0-9A-F]{4,6}|=[^ ]*|'[^']*'|\[[^\]]*\]|[0-9]+")


def shape(text: str) -> str:
    """`text` with its values and numbers left out: findings of one shape break one rule."""
    return SHAPE.sub("#", text)


NEAR_MISS_CLASS = re.compile(r"\(([^:()]+(?:\([^()]*\))?)")


def near_miss_classes(text: str) -> list[str]:
    """The classes of the near misses a message names: "ascii whitespace" in "(ascii
    whitespace: U+000A inserted at 0 of 'Tasks')", "case (lower)" in "(case (lower) of the
    whole value of 'Tasks')"."""
    found = (NEAR_MISS_CLASS.match(note) for note in re.findall(NEAR_MISS_NOTE, text))
    return [match.group(1).strip() for match in found if match]


def once_per_rule(findings: Sequence[Finding]) -> list[Finding]:
    """The first finding of each shape per check, counting the others like it and naming
    the classes of near misses among them: one broken rule is one finding, not fifty."""
    first: dict[tuple[str, str], Finding] = {}
    more: dict[tuple[str, str], int] = {}
    classes: dict[tuple[str, str], list[str]] = {}
    for each in findings:
        key = (each.check, shape(each.message))
        seen = classes.setdefault(key, [])
        seen.extend(c for c in near_miss_classes(each.message) if c not in seen)
        if key in first:
            more[key] = more.get(key, 0) + 1
        else:
            first[key] = each
    return [
        replace(
            f,
            message=f"{f.message} ({summary(more[key], classes[key])})"
            if key in more
            else f.message,
            near_misses=tuple(classes[key]),
        )
        for key, f in first.items()
    ]


SHOWN_CLASSES = 4


def summary(more: int, classes: Sequence[str]) -> str:
    if len(classes) < 2:
        return f"and {more} more like it"
    named = ", ".join(classes[:SHOWN_CLASSES]) + (", ..." if len(classes) > SHOWN_CLASSES else "")
    return f"and {more} more like it, near misses of {len(classes)} classes: {named}"

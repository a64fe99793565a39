"""CHANGELOG.md entries written from a release plan: the version as the heading, then each
change since the previous release tag with its JSON pointer and reason, breaking ones first.
The newest entry comes first; writing the entry of the same version again replaces it."""

from __future__ import annotations

import re
from itertools import pairwise

from contract.breaking.changes import Change, Verdict
from contract.release._release import Release

TITLE = "# Changelog\n"
INTRO = """\
Changes to the contract, one entry per release, newest first. `make changelog` writes each
entry from `make breaking`'s classification of the spec against the previous release tag.
"""
# The entry's heading is the version: its change is no news of its own.
VERSION_POINTER = "/info/version"
SECTIONS = (
    (Verdict.BREAKING, "Breaking"),
    (Verdict.COMPATIBLE, "Compatible"),
    (Verdict.REVIEW, "To review"),
)


def _line(change: Change) -> str:
    return f"- `{change.pointer or '/'}` ({change.kind.value}): {change.reason}\n"


def render_entry(release: Release) -> str:
    heading = f"## {release.version}\n\n"
    if release.previous is None:
        return heading + "The first release: there is no earlier release tag to compare with.\n"
    news = [change for change in release.changes if change.pointer != VERSION_POINTER]
    if not news:
        return heading + f"No change to the contract since {release.previous}.\n"
    counts = {verdict: [c for c in news if c.verdict is verdict] for verdict, _ in SECTIONS}
    text = heading + (
        f"Since {release.previous}: {len(counts[Verdict.BREAKING])} breaking and"
        f" {len(counts[Verdict.COMPATIBLE])} compatible change(s).\n"
    )
    for verdict, title in SECTIONS:
        if counts[verdict]:
            text += f"\n### {title}\n\n" + "".join(map(_line, counts[verdict]))
    return text


def _entries(lines: list[str]) -> list[int]:
    """Where each entry starts: its `## ` heading, outside fenced code blocks."""
    starts, fenced = [], False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            starts.append(index)
    return starts


def with_entry(changelog: str | None, entry: str, version: str) -> tuple[str, bool]:
    """`changelog` (None: there is none yet) with `entry` first, in place of an older entry
    of `version` (`## 1.2.0`, `## v1.2.0`, `## [1.2.0] - date`, ...); and whether there was
    one. Everything else of the file is kept as it is, with line ends made `\n`."""
    lines = (changelog or "").replace("\r\n", "\n").split("\n")
    starts = _entries(lines)
    head = "\n".join(lines[: starts[0]] if starts else lines).strip("\n")
    entries = [lines[a:b] for a, b in pairwise([*starts, len(lines)])]
    same = re.compile(rf"^## \[?v?{re.escape(version)}\]?(?=\s|$)")
    kept = [e for e in entries if not same.match(e[0])]
    parts = [head or f"{TITLE}\n{INTRO}".rstrip("\n"), entry.rstrip("\n")]
    parts += ["\n".join(e).strip("\n") for e in kept]
    return "\n\n".join(parts) + "\n", len(kept) < len(entries)

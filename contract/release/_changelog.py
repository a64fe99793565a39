"""CHANGELOG.md entries written from a release plan: the client version as the heading and the
API version it is for, then each change of the spec since the previous release tag with its
JSON pointer and reason, breaking ones first, then the changes of the client's Python API.
The newest entry comes first; writing the entry of the same version again replaces it, and
keeps the `### ` sections a maintainer wrote under it (notes, migration hints)."""

from __future__ import annotations

import re
from itertools import pairwise

from contract.breaking import DEPRECATIONS
from contract.breaking.changes import Change, Verdict
from contract.release._release import Release

TITLE = "# Changelog\n"
INTRO = """\
Changes to the contract and its Python client, one entry per release of the client, newest
first. `make changelog` writes each entry from `make breaking`'s classification of the spec and
griffe's comparison of the client's Python API against the previous release tag; `### `
sections you add under an entry stay when it is written again.
"""
SECTIONS = (
    (Verdict.BREAKING, "Breaking"),
    (Verdict.COMPATIBLE, "Compatible"),
    (Verdict.REVIEW, "To review"),
)
DEPRECATED = "Deprecated"  # compatible changes that announce a removal (an x-sunset date)
CLIENT = "Client"
# The sections an entry is written with; any other `### ` section is a maintainer's.
WRITTEN = frozenset({title for _, title in SECTIONS} | {DEPRECATED, CLIENT})


def _line(change: Change) -> str:
    return f"- `{change.pointer or '/'}` ({change.kind.value}): {change.reason}\n"


def render_entry(release: Release) -> str:
    text = f"## {release.version}\n\nClient {release.version} for API {release.api_version}.\n\n"
    if release.previous is None:
        return text + "The first release: there is no earlier release tag to compare with.\n"
    news = release.news
    deprecated = [c for c in news if c.rule in DEPRECATIONS]
    counts = {
        verdict: [c for c in news if c.verdict is verdict and c not in deprecated]
        for verdict, _ in SECTIONS
    }
    if not news:
        text += f"No change to the contract since {release.previous}.\n"
    else:
        text += (
            f"Since {release.previous}: {len(counts[Verdict.BREAKING])} breaking and"
            f" {len(counts[Verdict.COMPATIBLE]) + len(deprecated)} compatible change(s).\n"
        )
    for verdict, title in SECTIONS:
        if counts[verdict]:
            text += f"\n### {title}\n\n" + "".join(map(_line, counts[verdict]))
        if verdict is Verdict.COMPATIBLE and deprecated:
            text += f"\n### {DEPRECATED}\n\n" + "".join(map(_line, deprecated))
    if release.client_changes:
        text += (
            f"\n### {CLIENT}\n\nThe Python API since {release.previous}, as griffe compares it:\n\n"
        )
        text += "".join(f"- {change}\n" for change in release.client_changes)
    return text


def _starts(lines: list[str], prefix: str) -> list[int]:
    """Where each line that starts with `prefix` is, outside fenced code blocks."""
    starts, fenced = [], False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith(prefix):
            starts.append(index)
    return starts


def _own_sections(entry: list[str]) -> list[str]:
    """The `### ` sections of an entry that the changelog does not write, each as its text."""
    starts = _starts(entry, "### ")
    sections = [entry[a:b] for a, b in pairwise([*starts, len(entry)])]
    return [
        "\n".join(section).strip("\n")
        for section in sections
        if section[0].removeprefix("### ").strip() not in WRITTEN
    ]


def with_entry(changelog: str | None, entry: str, version: str) -> tuple[str, bool]:
    """`changelog` (None: there is none yet) with `entry` first, in place of an older entry
    of `version` (`## 1.2.0`, `## v1.2.0`, `## [1.2.0] - date`, ...), whose own `### `
    sections follow the new text; and whether there was one. Everything else of the file is
    kept as it is, with line ends made `\n`."""
    lines = (changelog or "").replace("\r\n", "\n").split("\n")
    starts = _starts(lines, "## ")
    head = "\n".join(lines[: starts[0]] if starts else lines).strip("\n")
    entries = [lines[a:b] for a, b in pairwise([*starts, len(lines)])]
    same = re.compile(rf"^## \[?v?{re.escape(version)}\]?(?=\s|$)")
    kept = [e for e in entries if not same.match(e[0])]
    own = [section for e in entries if same.match(e[0]) for section in _own_sections(e)]
    parts = [head or f"{TITLE}\n{INTRO}".rstrip("\n"), "\n\n".join([entry.rstrip("\n"), *own])]
    parts += ["\n".join(e).strip("\n") for e in kept]
    return "\n\n".join(parts) + "\n", len(kept) < len(entries)

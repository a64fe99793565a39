"""Where each change is written in the split spec, so that a reviewer (or a CI annotation)
goes straight to the line: a removal in the released spec, anything else in the new one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from contract.breaking._compare import Report
from contract.breaking.changes import Change, Kind, Source
from contract.spec.source import Location, SpecFiles, line_of, locate


def with_sources(report: Report, base: Path, head: Path, name: Callable[[Path], str]) -> Report:
    """`report` with the source of each change: file (as `name` shows it) and line, in the
    spec rooted at `base` for a removal and at `head` otherwise; where the node is not
    written as such (a default the spec leaves out, say), its nearest written parent."""
    files = SpecFiles()

    def source(change: Change) -> Source | None:
        sides = [("base", base), ("head", head)]
        if change.kind is not Kind.REMOVED:
            sides.reverse()
        for side, root in sides:
            found = nearest(root, change.pointer, files)
            if found is not None:
                return Source(name(found.file), line_of(found), side)
        return None

    changes = [dataclasses.replace(change, source=source(change)) for change in report.changes]
    return dataclasses.replace(report, changes=changes)


def nearest(root: Path, pointer: str, files: SpecFiles) -> Location | None:
    tokens = pointer.split("/")
    for depth in range(len(tokens), 0, -1):
        found = locate(root, "/".join(tokens[:depth]), files)
        if found is not None:
            return found
    return None

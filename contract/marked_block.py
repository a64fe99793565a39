"""Generated blocks inside handwritten files (the tables of docs/assumptions.md and
docs/benchmarks.md): the text between two marker comments is replaced, everything else is
kept."""

from __future__ import annotations

from pathlib import Path

from contract.errors import ContractError
from contract.layout import display_path


def replace_marked_block(
    text: str,
    start_marker: str,
    end_marker: str,
    content: str,
    where: Path,
    error: type[ContractError] = ContractError,
) -> str:
    """`text` with `content` between the markers; `error` names what failed when a marker is
    missing."""
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise error(f"{display_path(where)}: markers {start_marker!r} and {end_marker!r} not found")
    return text[: start + len(start_marker)] + "\n" + content + text[end:]

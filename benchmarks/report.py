"""The results of one run as JSON (for tools) and Markdown (for people and
docs/benchmarks.md), from the same sections, so the two never disagree."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from contract.errors import BenchmarkError
from contract.marked_block import replace_marked_block

Cell = str | int | float | None

BLOCK_START = (
    "<!-- benchmarks:start (written by `make bench` from benchmarks/results/latest.md) -->"
)
BLOCK_END = "<!-- benchmarks:end -->"


@dataclass
class Section:
    """One table of results; `notes` say how it was measured and what could not be."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        if len(cells) != len(self.columns):
            raise BenchmarkError(f"{self.key}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))


@dataclass
class Report:
    started_at: str  # UTC, ISO 8601
    machine: dict[str, str]
    sections: list[Section]
    wall_seconds: float | None = None


def format_cell(value: Cell) -> str:
    """Numbers with as many digits as a reader can use: 7,206 req/s, 2.17 ms, 0.012 s."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        magnitude = abs(value)
        if magnitude >= 100:
            return f"{value:,.0f}"
        if magnitude >= 10:
            return f"{value:.1f}"
        if magnitude >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return " ".join(value.split()).replace("|", "\\|")


def format_duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def render_section(section: Section) -> str:
    lines = [f"#### {section.title}", ""]
    if section.rows:
        lines.append("| " + " | ".join(section.columns) + " |")
        lines.append("|" + "---|" * len(section.columns))
        lines += ["| " + " | ".join(map(format_cell, row)) + " |" for row in section.rows]
        lines.append("")
    if section.notes:
        lines += [f"- {format_cell(note)}" for note in section.notes]
        lines.append("")
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    machine = ["| Machine | |", "|---|---|"]
    machine += [f"| {key} | {format_cell(value)} |" for key, value in report.machine.items()]
    took = ""
    if report.wall_seconds is not None:
        took = f"; the run took {format_duration(report.wall_seconds)}"
    parts = [
        f"Measured {report.started_at}{took}.",
        "",
        "\n".join(machine),
        "",
        *map(render_section, report.sections),
    ]
    return "\n".join(parts).rstrip("\n") + "\n"


def to_json(report: Report) -> dict[str, Any]:
    return asdict(report)


def write(report: Report, folder: Path) -> tuple[Path, Path]:
    """latest.json and latest.md in `folder`; earlier results are in git's history."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = folder / "latest.json", folder / "latest.md"
    json_path.write_text(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n", "utf-8")
    markdown_path.write_text(render_markdown(report), "utf-8")
    return json_path, markdown_path


def replace_block(text: str, markdown: str, where: Path) -> str:
    """`text` (docs/benchmarks.md) with the results between the benchmark markers replaced."""
    return replace_marked_block(text, BLOCK_START, BLOCK_END, markdown, where, BenchmarkError)

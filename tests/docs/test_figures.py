"""Figures in the docs cannot drift from what runs show: a timing, request count, size, rate
or speed-up in a page's prose either stands in a block that `make generate` or `make bench`
writes, or its paragraph says which machine and run gave it, as `(measured: <machine>,
<run>)`. A number in a code span is a setting or a limit the code holds (a timeout, a bound),
not a measurement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract.layout import DOCS_DIR, README, REPO_ROOT

PAGES = [README, REPO_ROOT / "generated/client/README.md", *sorted(DOCS_DIR.glob("*.md"))]
GENERATED_BLOCK = re.compile(r"<!-- ([\w-]+):start.*?<!-- \1:end -->", re.S)
FENCED = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
UNITS = (
    r"ms|µs|s|sec|seconds?|min|minutes?|h|hours?|MiB|MB|KiB|KB|kB|GiB|GB|bytes|"
    r"requests|req/s|groups/s|%|times|x|\u00d7"
)
FIGURE = re.compile(rf"(?<![\w.,/-])\d[\d,]*(?:\.\d+)?\s?(?:{UNITS})(?![\w/])")
PROVENANCE = re.compile(r"\(measured: [^,()]+, [^()]+\)")


def blank_out(pattern: re.Pattern[str], text: str) -> str:
    """`text` with each match of `pattern` replaced by its newlines, so lines keep their
    numbers."""
    return pattern.sub(lambda match: "\n" * match.group(0).count("\n"), text)


def unsourced_figures(text: str) -> list[tuple[int, str]]:
    """(line, figure) of each figure in `text` that no generated block holds and whose
    paragraph gives no provenance."""
    prose = blank_out(CODE_SPAN, blank_out(FENCED, blank_out(GENERATED_BLOCK, text)))
    found = []
    line = 1
    for paragraph in re.split(r"(\n[ \t]*\n)", prose):
        if not PROVENANCE.search(paragraph):
            for number, row in enumerate(paragraph.split("\n")):
                found += [(line + number, figure.group(0)) for figure in FIGURE.finditer(row)]
        line += paragraph.count("\n")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO_ROOT)))
def test_every_figure_comes_from_a_generated_block_or_says_where_it_was_measured(
    page: Path,
) -> None:
    found = unsourced_figures(page.read_text("utf-8"))

    assert not found, "\n".join(
        f"{page.relative_to(REPO_ROOT)}:{line}: {figure!r} is quoted without a source: move it "
        "into a generated block (docs/benchmarks.md), add `(measured: <machine>, <run>)` to its "
        "paragraph, or write a setting in a code span"
        for line, figure in found
    )


@pytest.mark.parametrize(
    "text",
    [
        "A first run takes 43 s on two cores.",
        "The probes send 649 requests.",
        "Holding them takes 74.6 MiB,\nagainst 48 MiB before.",
        "| generate | 1,234 ms |",
        "It is 1.7 times faster.",
        "Overhead: 5.2 %.",
        "`make bench` gave 2.03 µs.\n\n(measured: AMD EPYC, 2 cores, run of da3d151)",
    ],
)
def test_a_measured_figure_without_a_source_is_found(text: str) -> None:
    assert unsourced_figures(text)


@pytest.mark.parametrize(
    "text",
    [
        "The harness waits `60` s for a first answer.",
        "The run took 43 s (measured: AMD EPYC, 2 cores, fresh clone of da3d151).",
        "<!-- bench:start (written by make bench) -->\n| a | 5 ms |\n<!-- bench:end -->",
        "```sh\nsleep 5s  # 100 requests\n```",
        "Python 3.11, Node.js 20 and v2.0.0; RFC 6901; 404 and 1.0.0.",
    ],
)
def test_a_setting_a_generated_block_or_a_measured_source_is_let_through(text: str) -> None:
    assert unsourced_figures(text) == []


def test_the_line_of_a_figure_is_its_line_in_the_page() -> None:
    text = "# Title\n\n```sh\nx\n```\n\nIntro.\n\nIt took\n12 s."

    assert unsourced_figures(text) == [(10, "12 s")]

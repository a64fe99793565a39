"""README.md and the task pages under docs/ link to each other and to the repository's files:
every relative link must lead to a file that exists, every `#anchor` to a heading of its
target, as GitHub renders them. The README stays short enough to read in a few minutes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract.layout import DOCS_DIR, README, REPO_ROOT

README_MAX_LINES = 300
PAGES = [README, *sorted(DOCS_DIR.glob("*.md"))]

FENCE = re.compile(r"^ {0,3}(```|~~~)")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
# [text](target) or [text](target "title"); the text may wrap over lines.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def prose_lines(text: str) -> list[str]:
    """The lines of `text` outside fenced code blocks."""
    lines: list[str] = []
    fenced: str | None = None
    for line in text.splitlines():
        fence = FENCE.match(line)
        if fenced is None and fence:
            fenced = fence.group(1)
        elif fenced is not None and fence and fence.group(1) == fenced:
            fenced = None
        elif fenced is None:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower-case, punctuation (backticks included) dropped
    except hyphens and underscores, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of the headings in `page`; a repeated heading gets -1, -2, ..."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(page.read_text("utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    """The targets of the links in `page` that lead into the repository."""
    text = CODE_SPAN.sub("code", "\n".join(prose_lines(page.read_text("utf-8"))))
    found = LINK.findall(text)
    return [target for target in found if not EXTERNAL.match(target)]


def shown(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=shown)
def test_relative_links_point_at_files_that_exist(page: Path) -> None:
    missing = [
        target
        for target in links(page)
        if target.split("#")[0] and not (page.parent / target.split("#")[0]).exists()
    ]

    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=shown)
def test_anchors_point_at_headings_that_exist_in_their_target(page: Path) -> None:
    broken = []
    for target in links(page):
        path, _, anchor = target.partition("#")
        if not anchor:
            continue
        file = page.parent / path if path else page
        if file.suffix != ".md" or not file.is_file() or anchor not in anchors(file):
            broken.append(target)

    assert broken == []


def test_readme_is_at_most_300_lines() -> None:
    assert len(README.read_text("utf-8").splitlines()) <= README_MAX_LINES


def test_readme_links_every_page_under_docs() -> None:
    linked = {(README.parent / target.split("#")[0]).resolve() for target in links(README)}

    assert [shown(page) for page in PAGES[1:] if page.resolve() not in linked] == []


def test_links_are_found_across_wrapped_lines_and_not_in_code(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "See [the\nlayout](contributing.md#layout), [PyPI](https://pypi.org/) and `[a](b.md)`.\n"
        "```sh\necho [c](d.md)\n```\n",
        "utf-8",
    )

    assert links(page) == ["contributing.md#layout"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Two commands", "two-commands"),
        ("What `make generate` makes", "what-make-generate-makes"),
        ("Where the time goes, in the run below", "where-the-time-goes-in-the-run-below"),
        ("Client: cost of a call", "client-cost-of-a-call"),
        ("Reference server, queries that never repeat, synthetic (100,000)",
         "reference-server-queries-that-never-repeat-synthetic-100000"),
        ("Where a list request's time goes", "where-a-list-requests-time-goes"),
        ("x_declaration-shape rules", "x_declaration-shape-rules"),
    ],
)  # fmt: skip
def test_anchors_follow_githubs_slug_rules(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor


def test_a_repeated_heading_gets_a_numbered_anchor(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n## Notes\n\n```sh\n# Notes\n```\n\n## Notes\n", "utf-8")

    assert anchors(page) == {"page", "notes", "notes-1"}

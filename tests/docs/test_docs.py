from __future__ import annotations

import filecmp
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from contract.docs import HEADING, build_site, with_behaviour
from contract.errors import ContractError
from contract.layout import GENERATED_DIR, REPO_ROOT
from contract.spec.assumptions import render_table
from contract.spec.declarations import list_operations
from contract.spec.source import read_yaml

LOCAL_SOURCES = {"'none'", "'unsafe-inline'", "data:", "blob:"}


class PageScan(HTMLParser):
    """What a browser would fetch for the page before any script runs, and its CSP."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.policy = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.policy = values.get("content", "")
        for name in ("src", "href"):
            if name in values and tag in {"script", "link", "img", "iframe", "source"}:
                self.fetched.append(values[name])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and ("@import" in data or "url(http" in data or "url('http" in data):
            self.fetched.append(data[:200])


def scan(page: Path) -> PageScan:
    parser = PageScan()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_the_site_holds_the_page_the_bundled_spec_and_the_table(site: Path) -> None:
    folder = site.parent

    assert sorted(p.name for p in folder.iterdir()) == [
        "assumptions.md",
        "index.html",
        "openapi.json",
        "openapi.yaml",
    ]
    for name in ("openapi.yaml", "openapi.json"):
        assert filecmp.cmp(folder / name, GENERATED_DIR / name, shallow=False), name
    table = render_table(read_yaml(GENERATED_DIR / "openapi.yaml"))
    assert table in (folder / "assumptions.md").read_text("utf-8")


def test_the_page_references_no_script_style_font_or_image_elsewhere(site: Path) -> None:
    page = scan(site)

    outside = [ref for ref in page.fetched if not ref.startswith(("data:", "#"))]
    assert outside == []


def test_the_pages_content_security_policy_allows_nothing_from_elsewhere(site: Path) -> None:
    directives = [d.split() for d in scan(site).policy.split(";") if d.strip()]

    assert ["default-src", "'none'"] in directives
    sources = {source for _, *allowed in directives for source in allowed}
    assert sources <= LOCAL_SOURCES, sources - LOCAL_SOURCES


def test_the_build_is_byte_identical_across_runs_and_folders(site: Path, tmp_path: Path) -> None:
    again = build_site(output=tmp_path / "elsewhere" / "site")

    for name in ("index.html", "assumptions.md"):
        assert filecmp.cmp(site.parent / name, again.parent / name, shallow=False), name


def test_the_page_carries_no_path_of_the_build_machine(site: Path) -> None:
    text = site.read_text("utf-8")

    assert str(REPO_ROOT) not in text
    assert str(site.parent) not in text


def test_building_over_a_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n", "utf-8")

    with pytest.raises(ContractError, match=r"notes\.txt"):
        build_site(output=tmp_path)

    assert (tmp_path / "notes.txt").read_text("utf-8") == "keep me\n"


def test_the_page_gives_each_list_operation_its_behaviour_and_the_download_does_not(
    site: Path,
) -> None:
    contract = read_yaml(GENERATED_DIR / "openapi.yaml")
    shown = with_behaviour(contract)
    page = site.read_text("utf-8")

    lists = list_operations(contract)
    for method, path in lists:
        description = shown["paths"][path][method]["description"]
        assert HEADING in description
        # The page embeds the spec it renders as JSON.
        assert json.dumps(description, ensure_ascii=False)[1:-1] in page, (method, path)
    assert lists, "the spec declares no list operation"
    assert HEADING not in (site.parent / "openapi.yaml").read_text("utf-8")

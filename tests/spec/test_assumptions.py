from __future__ import annotations

from pathlib import Path

import pytest

from contract.errors import ContractError
from contract.layout import BUNDLED_SPEC
from contract.spec.assumptions import (
    TABLE_END,
    TABLE_START,
    iter_assumptions,
    render_table,
    replace_block,
)
from contract.spec.source import read_yaml


def test_every_assumption_in_the_bundled_spec_appears_in_the_table() -> None:
    spec = read_yaml(BUNDLED_SPEC)
    table = render_table(spec)

    ids = {value["id"] for _, value in iter_assumptions(spec)}

    assert ids, "the spec marks no assumption"
    assert all(f"`{ident}`" in table for ident in ids)


def test_documented_elements_are_marked_documented_and_assumed_ones_name_their_id() -> None:
    table = render_table(read_yaml(BUNDLED_SPEC))
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()}

    assert "| documented |" in rows["`EventGroup.name`"]
    assert "assumed: `count-bounds`" in rows["parameter `count` (query)"]
    assert "default 100" in rows["parameter `count` (query)"]
    assert "assumed: `error-body`" in rows["`Error.detail`"]


def test_pipes_in_decisions_do_not_break_the_markdown_table() -> None:
    spec = {
        "components": {
            "parameters": {
                "q": {
                    "in": "query",
                    "schema": {"type": "string"},
                    "x-assumptions": [{"id": "a", "decision": "x | y", "reason": "r"}],
                }
            }
        }
    }

    assert "x \\| y" in render_table(spec)


def test_replace_block_needs_both_markers(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="markers"):
        replace_block("no markers here", "table", tmp_path / "assumptions.md")

    text = f"before\n{TABLE_START}\nold\n{TABLE_END}\nafter\n"
    assert replace_block(text, "new\n", tmp_path / "assumptions.md") == (
        f"before\n{TABLE_START}\nnew\n{TABLE_END}\nafter\n"
    )

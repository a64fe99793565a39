from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.layout import SPEC_DIR

SpecEditor = Callable[[str, Callable[[Any], Any]], None]


def copy_spec(folder: Path) -> Path:
    """Copy openapi/ into `folder`; returns the root file of the copy."""
    target = folder / "openapi"
    shutil.copytree(SPEC_DIR, target)
    return target / "openapi.yaml"


def edit_spec_file(root: Path, relative: str, change: Callable[[Any], Any]) -> None:
    """Edit one YAML file of the spec rooted at `root`: `change` mutates the parsed document
    in place, or returns a replacement."""
    path = root.parent / relative
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    replaced = change(document)
    path.write_text(
        yaml.safe_dump(document if replaced is None else replaced, sort_keys=False),
        encoding="utf-8",
    )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A private copy of openapi/ that a test may break; returns its root file."""
    return copy_spec(tmp_path)


@pytest.fixture
def edit_spec(spec_copy: Path) -> SpecEditor:
    """Edit one YAML file of the spec copy: edit_spec("shared/x.yaml", lambda doc: ...).
    The function mutates the parsed document in place, or returns a replacement."""

    def edit(relative: str, change: Callable[[Any], Any]) -> None:
        edit_spec_file(spec_copy, relative, change)

    return edit

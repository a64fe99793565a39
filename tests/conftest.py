from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.docs import build_site
from scripts.layout import SPEC_DIR

SpecEditor = Callable[[str, Callable[[Any], Any]], None]


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A private copy of openapi/ that a test may break; returns its root file."""
    target = tmp_path / "openapi"
    shutil.copytree(SPEC_DIR, target)
    return target / "openapi.yaml"


@pytest.fixture
def edit_spec(spec_copy: Path) -> SpecEditor:
    """Edit one YAML file of the spec copy: edit_spec("shared/x.yaml", lambda doc: ...).
    The function mutates the parsed document in place, or returns a replacement."""

    def edit(relative: str, change: Callable[[Any], Any]) -> None:
        path = spec_copy.parent / relative
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        replaced = change(document)
        path.write_text(
            yaml.safe_dump(document if replaced is None else replaced, sort_keys=False),
            encoding="utf-8",
        )

    return edit


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site built once from generated/, in a folder of its own; returns its page."""
    return build_site(output=tmp_path_factory.mktemp("docs") / "site")

"""The client's build requirement: a uv_build range that plain pip can fetch from the package
index and that holds the pinned uv, whose own backend `make dist` builds with."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.tags import sys_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from contract.errors import ToolError
from contract.generate import _template_declarations
from contract.generate._template_declarations import (
    BUILD_BACKEND,
    build_requirement,
    locked_package,
    pinned_uv,
    project_metadata,
)
from contract.layout import GENERATED_DIR, PYPROJECT, UV_LOCK
from tests.support.spec_facts import SPEC

LOCK = tomllib.loads(UV_LOCK.read_text("utf-8"))
LOCKED = locked_package(LOCK, BUILD_BACKEND)
PINNED_UV = pinned_uv(tomllib.loads(PYPROJECT.read_text("utf-8")))


def client_build_system() -> dict[str, Any]:
    project = tomllib.loads((GENERATED_DIR / "client" / "pyproject.toml").read_text("utf-8"))
    build_system: dict[str, Any] = project["build-system"]
    return build_system


def test_the_client_build_requirement_holds_the_locked_uv_build_and_the_pinned_uv() -> None:
    build_system = client_build_system()
    (requirement,) = (Requirement(text) for text in build_system["requires"])

    assert build_system["build-backend"] == "uv_build"
    assert canonicalize_name(requirement.name) == BUILD_BACKEND
    assert requirement.specifier.contains(LOCKED["version"])
    assert requirement.specifier.contains(PINNED_UV)
    assert metadata.version(BUILD_BACKEND) == LOCKED["version"]  # what the pip tests build with


def test_the_locked_uv_build_is_served_by_the_index_every_locked_package_comes_from() -> None:
    """uv.lock records the index each version was found on and its files there, with their
    digests: the uv_build version locked is one that index serves, with a wheel for this
    machine, no guess."""
    indexes = {
        entry["source"]["registry"] for entry in LOCK["package"] if "registry" in entry["source"]
    }
    version = LOCKED["version"]

    assert indexes == {LOCKED["source"]["registry"]}
    files = [LOCKED["sdist"], *LOCKED["wheels"]]
    assert all(f"/uv_build-{version}" in file["url"] for file in files)
    assert all(file["hash"].startswith("sha256:") for file in files)
    here = set(sys_tags())
    assert any(
        here & parse_wheel_filename(wheel["url"].rsplit("/", 1)[1])[3] for wheel in LOCKED["wheels"]
    )


@pytest.mark.parametrize(
    ("locked", "pinned"),
    [("0.12.24", "0.13.8"), ("0.13.9", "0.13.8"), ("0.14.0", "0.13.8"), ("1.13.6", "0.13.8")],
)
def test_a_locked_uv_build_whose_range_leaves_out_the_pinned_uv_is_refused(
    locked: str, pinned: str
) -> None:
    with pytest.raises(ToolError, match=rf"leaves out uv {pinned}.*lock a uv-build"):
        build_requirement(locked, pinned)


def test_the_range_runs_from_the_locked_uv_build_to_the_next_minor_version() -> None:
    assert build_requirement("0.13.6", "0.13.8") == "uv_build>=0.13.6,<0.14"
    assert build_requirement("1.2.0", "1.2.0") == "uv_build>=1.2.0,<1.3"


def edited_lock(folder: Path, name: str, version: str) -> Path:
    """A copy of uv.lock whose uv-build entry carries `name` and `version` instead."""
    locked = f'name = "{BUILD_BACKEND}"\nversion = "{LOCKED["version"]}"\n'
    text = UV_LOCK.read_text("utf-8")
    assert text.count(locked) == 1
    target = folder / "uv.lock"
    target.write_text(text.replace(locked, f'name = "{name}"\nversion = "{version}"\n'), "utf-8")
    return target


@pytest.mark.parametrize(
    ("name", "version", "message"),
    [
        (BUILD_BACKEND, "0.12.24", r"uv_build>=0\.12\.24,<0\.13 \(.*\) leaves out uv"),
        ("uv-build-renamed", LOCKED["version"], r"uv\.lock holds 0 versions of uv-build"),
    ],
)
def test_generation_stops_when_the_lock_gives_no_uv_build_in_the_pinned_uv_range(
    name: str, version: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_template_declarations, "UV_LOCK", edited_lock(tmp_path, name, version))

    with pytest.raises(ToolError, match=message):
        project_metadata(SPEC)

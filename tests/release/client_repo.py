"""Scratch repositories that hold what a release reads, where this repository keeps it: the
spec, the client's settings with its own version, and the client's package, either a copy of
the generated one or a few modules of a test's own."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path

import yaml

from contract.generate import CACHE_DIRS
from contract.generate.client_names import VERSION_KEY, client_config, client_package
from contract.layout import CLIENT_CONFIG, CLIENT_PROJECT, REPO_ROOT
from tests.conftest import edit_spec_file
from tests.support.scratch_repo import COMMITTED_AT, commit_all, committed_spec_in, git

PACKAGE = client_package()
CONFIG = CLIENT_CONFIG.relative_to(REPO_ROOT)
PROJECT = CLIENT_PROJECT.relative_to(REPO_ROOT)


def set_client_version(repo: Path, version: str | None) -> None:
    """Write the client's settings into `repo` with `version` as the client's own; None
    leaves it out, as in the settings of a release made before the client had one."""
    settings = client_config()
    settings.pop(VERSION_KEY, None)
    if version is not None:
        settings[VERSION_KEY] = version
    target = repo / CONFIG
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")


def write_package(
    repo: Path, modules: Mapping[str, str] | None = None, package: str = PACKAGE
) -> None:
    """Put the client's package into `repo` in place of the one there: `modules` (file name
    inside the package -> source), else a copy of the generated package."""
    target = repo / PROJECT / package
    for old in (repo / PROJECT).glob("*/__init__.py"):
        shutil.rmtree(old.parent)
    if modules is None:
        shutil.copytree(
            CLIENT_PROJECT / package, target, ignore=shutil.ignore_patterns(*CACHE_DIRS)
        )
        return
    for name, source in modules.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(textwrap.dedent(source).lstrip(), "utf-8")


def released_repo(
    folder: Path,
    version: str | None = "1.0.0",
    modules: Mapping[str, str] | None = None,
    tag: str | None = "v1.0.0",
    api_version: str | None = "1.0.0",
) -> Path:
    """A repository whose one commit, on main, holds a copy of our spec at info.version
    `api_version` (None: the work tree's), the client's settings at `version` and its package
    (`modules`, else the generated one), tagged `tag` (annotated, as docs/releases.md says to
    tag; None: no tag); returns the spec's root file."""
    root = committed_spec_in(folder)
    if api_version is not None:  # the release's, whatever the work tree's spec has come to
        edit_spec_file(root, "openapi.yaml", lambda spec: spec["info"].update(version=api_version))
    set_client_version(folder, version)
    write_package(folder, modules)
    git(folder, "add", "--all")
    git(
        folder,
        "commit",
        "--quiet",
        "--amend",
        "--no-edit",
        GIT_COMMITTER_DATE=f"@{COMMITTED_AT} +0000",
    )
    if tag is not None:
        git(folder, "tag", "--annotate", "--message", f"Release {tag}", tag)
    return root


def release(repo: Path, version: str, tag: str | None = None) -> None:
    """Commit the work tree of `repo` as client `version` and tag it (`v<version>` unless
    `tag` says otherwise)."""
    set_client_version(repo, version)
    commit_all(repo, f"Client {version}")
    git(repo, "tag", tag or f"v{version}")

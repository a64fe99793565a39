"""Git repositories of their own for tests of what reads history (make breaking, make dist,
make changelog): one commit on main that holds a copy of our spec, or the whole repository
as a clone has it, for the pages a test runs as written (Quick start, tutorials)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from contract.layout import REPO_ROOT
from tests.conftest import copy_spec

IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com")
# No global or system settings (signing, hooks, default branch) reach these repositories.
ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str, **env: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **ISOLATED, **env},
    )
    return result.stdout.strip()


# Bootstrapped tools a fresh copy borrows: `make` finds them up to date and installs nothing.
BORROWED = (".venv", ".tools", "node_modules")
COMMITTED_AT = 1_767_323_045  # 2026-01-02 03:04:05 UTC, the commit time of the spec


def committed_spec_in(folder: Path) -> Path:
    """Make `folder` a repository whose only commit, on main, holds a copy of our spec;
    returns the spec's root file in the work tree."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "--quiet", "--initial-branch=main")
    root = copy_spec(folder)
    git(folder, "add", "openapi")
    git(
        folder,
        "commit",
        "--quiet",
        "--message",
        "Release the spec",
        GIT_COMMITTER_DATE=f"@{COMMITTED_AT} +0000",
    )
    return root


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)


def fresh_copy(folder: Path) -> Path:
    """The repository's files as a clone has them (tracked and new, not ignored), with their
    times, in a repository of its own whose HEAD holds them all."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = REPO_ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    for name in BORROWED:
        (folder / name).symlink_to(REPO_ROOT / name)
    git(folder, "init", "--quiet", "--initial-branch=main")
    commit_all(folder, "The repository as cloned")
    return folder

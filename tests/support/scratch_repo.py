"""A git repository of its own for tests of what reads history (make breaking, make dist,
make changelog): one commit on main that holds a copy of our spec."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import copy_spec

IDENTITY = ("-c", "user.name=Test", "-c", "user.email=test@example.com")


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def committed_spec_in(folder: Path) -> Path:
    """Make `folder` a repository whose only commit, on main, holds a copy of our spec;
    returns the spec's root file in the work tree."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "--quiet", "--initial-branch=main")
    root = copy_spec(folder)
    git(folder, "add", "openapi")
    git(folder, "commit", "--quiet", "--message", "Release the spec")
    return root


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)

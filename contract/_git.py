"""The git questions the tools ask of the repository that holds a spec: where it is, what a
reference names, which release tags exist and when the last commit was made."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from contract.errors import GitRefError

# A release tag is the version, optionally after a `v`: v1.2.0 or 1.2.0.
RELEASE_TAGS = ("v[0-9]*", "[0-9]*")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitRefError(f"git could not run: {exc}") from exc


def repository_of(folder: Path) -> Path:
    result = git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise GitRefError(
            f"{folder} is not inside a git repository: there is no history to compare with"
        )
    return Path(result.stdout.decode().strip()).resolve()


def commit_of(repo: Path, ref: str) -> str | None:
    result = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return result.stdout.decode().strip() if result.returncode == 0 else None


def latest_release_tag(repo: Path, exclude: Sequence[str] = ()) -> str | None:
    """The newest release tag reachable from HEAD, leaving out the tags in `exclude`, or None
    before the first release."""
    patterns = [arg for pattern in RELEASE_TAGS for arg in ("--match", pattern)]
    patterns += [arg for tag in exclude for arg in ("--exclude", tag)]
    described = git(repo, "describe", "--tags", "--abbrev=0", *patterns, "HEAD")
    return described.stdout.decode().strip() if described.returncode == 0 else None


def tags_of_version(repo: Path, version: str) -> list[str]:
    """The release tags that name `version` (v1.2.0 and 1.2.0), wherever they point."""
    listed = git(repo, "tag", "--list", f"v{version}", version)
    return listed.stdout.decode().split()


def last_commit_time(repo: Path) -> int:
    """Seconds since the epoch of HEAD's commit: the time reproducible builds stamp."""
    result = git(repo, "log", "-1", "--format=%ct", "HEAD")
    if result.returncode != 0:
        raise GitRefError(f"{repo} has no commit yet: there is no time to stamp a build with")
    return int(result.stdout.decode().strip())


def changed_files(repo: Path, *paths: str) -> list[str]:
    """Files under `paths` that differ from HEAD in the work tree, untracked ones included."""
    status = git(repo, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    return [line[3:] for line in status.stdout.decode().splitlines()]

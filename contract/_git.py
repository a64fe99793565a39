"""The git questions the tools ask of the repository that holds a spec: where it is, what a
reference names, which release tags exist, when the last commit was made and what a file or
folder held at a reference."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from packaging.version import InvalidVersion, Version

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


def release_tags(repo: Path, merged_into: str | None = None) -> dict[str, Version]:
    """Release tags -> the version each names, all of them or those merged into a commit.
    A tag that matches the patterns but names no PEP 440 version is no release."""
    merged = ["--merged", merged_into] if merged_into else []
    listed = git(repo, "tag", "--list", *merged, *RELEASE_TAGS)
    found = {}
    for tag in listed.stdout.decode().split():
        try:
            found[tag] = Version(tag.removeprefix("v"))
        except InvalidVersion:
            continue
    return found


def latest_release_tag(repo: Path, exclude: Version | None = None) -> str | None:
    """The release tag of the highest version merged into HEAD (not the nearest one: a
    maintenance release merged later is not the latest), leaving out the tags of `exclude`;
    None before the first release."""
    candidates = [
        (version, tag)
        for tag, version in release_tags(repo, merged_into="HEAD").items()
        if version != exclude
    ]
    return max(candidates)[1] if candidates else None


def tags_of_version(repo: Path, version: Version) -> list[str]:
    """The release tags that name `version` (v1.2, 1.2.0, ...), wherever they point."""
    return sorted(tag for tag, tagged in release_tags(repo).items() if tagged == version)


def is_shallow(repo: Path) -> bool:
    """A shallow clone may lack the commits and tags of earlier releases."""
    result = git(repo, "rev-parse", "--is-shallow-repository")
    return result.stdout.decode().strip() == "true"


def last_commit_time(repo: Path) -> int:
    """Seconds since the epoch of HEAD's commit: the time reproducible builds stamp."""
    result = git(repo, "log", "-1", "--format=%ct", "HEAD")
    if result.returncode != 0:
        raise GitRefError(f"{repo} has no commit yet: there is no time to stamp a build with")
    return int(result.stdout.decode().strip())


def changed_files(repo: Path, *paths: str) -> list[str]:
    """Files under `paths` (all: the whole tree) that differ from HEAD in the work tree,
    untracked ones included and ignored ones not."""
    status = git(repo, "status", "--porcelain", "--untracked-files=all", "--", *paths)
    return [line[3:] for line in status.stdout.decode().splitlines()]


def file_at(repo: Path, ref: str, path: str) -> str | None:
    """The text of `path` (relative to the repository) as `ref` holds it; None where it has
    no such file."""
    result = git(repo, "show", f"{ref}:{path}")
    return result.stdout.decode("utf-8") if result.returncode == 0 else None


def extract_folder(repo: Path, ref: str, path: str, target: Path) -> Path | None:
    """Write the folder `path` (relative to the repository) as `ref` holds it under `target`,
    at the same relative path, and return it there; None where `ref` has no such folder."""
    archive = git(repo, "archive", "--format=tar", ref, "--", path)
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    folder = target / path
    return folder if folder.is_dir() else None

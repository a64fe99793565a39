"""The released spec to compare with: the spec folder as a git reference holds it, and which
reference that is when none is named (the latest release tag, else the main branch)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from contract._git import commit_of, git, latest_release_tag, repository_of
from contract.errors import GitRefError

MAIN_BRANCHES = ("main", "origin/main")


def default_base(folder: Path) -> str:
    """The release tag (v1.2.0 or 1.2.0) of the highest version merged into HEAD; without
    one, main."""
    repo = repository_of(folder)
    tag = latest_release_tag(repo)
    if tag is not None:
        return tag
    for branch in MAIN_BRANCHES:
        if commit_of(repo, branch) is not None:
            return branch
    raise GitRefError("no release tag and no main branch to compare with: name one with BASE=<ref>")


def extract_spec(ref: str, spec_root: Path, target: Path) -> Path:
    """Write the folder of `spec_root` as it is at `ref` into `target` and return the root
    file there; the whole folder, because the root refers to the files beside it."""
    folder = spec_root.resolve().parent
    repo = repository_of(folder)
    commit = commit_of(repo, ref)
    if commit is None:
        raise GitRefError(f"{ref!r} names no commit, branch or tag of this repository")
    inside = folder.relative_to(repo).as_posix()
    archive = git(repo, "archive", "--format=tar", commit, "--", inside)
    if archive.returncode != 0:
        raise GitRefError(f"{ref} has no {inside}/ folder: no spec to compare with")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    root = target / inside / spec_root.name
    if not root.is_file():
        raise GitRefError(f"{ref} has no {inside}/{spec_root.name}: no spec to compare with")
    return root

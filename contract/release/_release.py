"""What a release must not be: a version that is already tagged elsewhere, a version below
the last release, or a breaking change without a major bump (make breaking's rule). The
same plan feeds the changelog, which describes the release that `make dist` would build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from contract import breaking
from contract._git import (
    changed_files,
    commit_of,
    latest_release_tag,
    repository_of,
    tags_of_version,
)
from contract.breaking.changes import Change
from contract.errors import ReleaseError
from contract.layout import display_path
from contract.spec.source import read_yaml


@dataclass(frozen=True)
class Release:
    """The version to release, the release tag before it (None before the first release) and
    the changes since then, each classified breaking or compatible."""

    version: str
    previous: str | None
    changes: list[Change]


def spec_version(spec_root: Path) -> str:
    version = (read_yaml(spec_root).get("info") or {}).get("version")
    if not isinstance(version, str) or not version.strip():
        raise ReleaseError(f"{display_path(spec_root)}: info.version is missing")
    return version


def _parsed(version: str, where: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion as exc:
        raise ReleaseError(
            f"{where}: {version!r} is not a version a package index accepts (PEP 440, e.g. 1.2.0)"
        ) from exc


def plan_release(spec_root: Path) -> Release:
    """The release of the spec in the work tree, or a ReleaseError that says why there is
    none. A tag of this version on HEAD itself is the release being rebuilt, not a clash."""
    repo = repository_of(spec_root.resolve().parent)
    version = spec_version(spec_root)
    where = f"{display_path(spec_root)}: info.version"
    _parsed(version, where)
    own_tags = tags_of_version(repo, version)
    head = commit_of(repo, "HEAD")
    for tag in own_tags:
        tagged = commit_of(repo, tag)
        if tagged != head:
            raise ReleaseError(
                f"{where} {version} is already released (tag {tag} on commit {str(tagged)[:12]}):"
                " bump info.version for a new release"
            )
        spec_folder = spec_root.resolve().parent.relative_to(repo).as_posix()
        edited = changed_files(repo, spec_folder)
        if edited:
            raise ReleaseError(
                f"tag {tag} marks this commit as release {version}, but the spec has uncommitted"
                f" changes ({', '.join(edited)}): commit them under a new info.version"
            )
    previous = latest_release_tag(repo, exclude=own_tags)
    if previous is None:
        return Release(version, None, [])
    ref, report = breaking.check(spec_root, previous)
    if _parsed(version, where) <= _parsed(report.base_version, f"{previous}: info.version"):
        raise ReleaseError(
            f"{where} {version} is not above {report.base_version}, the version of the last"
            f" release ({previous}): bump it"
        )
    if not report.accepted:
        listed = "\n".join(f"  {change}" for change in report.breaking)
        raise ReleaseError(f"{listed}\n{breaking.summary(ref, report, spec_root)}")
    return Release(version, previous, report.changes)

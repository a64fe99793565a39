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
    is_shallow,
    latest_release_tag,
    repository_of,
    tags_of_version,
)
from contract._versions import release_version as normalised_release_version
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


def release_version(version: str, where: str) -> Version:
    """`version` as a release may carry it (contract._versions): PEP 440, in the normalised
    form that the wheel, the sdist and the tag all show, and without a local part."""
    try:
        return normalised_release_version(version)
    except ValueError as exc:
        raise ReleaseError(f"{where}: {exc}") from exc


def plan_release(spec_root: Path, first_release: bool = False) -> Release:
    """The release of the spec in the work tree, or a ReleaseError that says why there is
    none. A tag of this version on HEAD itself is the release being rebuilt, not a clash.
    Without an earlier release tag, only `first_release` says there is none to compare with:
    a clone without tags must not pass for a first release."""
    repo = repository_of(spec_root.resolve().parent)
    if is_shallow(repo):
        raise ReleaseError(
            "this is a shallow clone: earlier releases and their tags may be missing, so the"
            " changes since the last release cannot be known; fetch them first"
            " (git fetch --unshallow --tags)"
        )
    version = spec_version(spec_root)
    where = f"{display_path(spec_root)}: info.version"
    parsed = release_version(version, where)
    head = commit_of(repo, "HEAD")
    for tag in tags_of_version(repo, parsed):
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
    previous = latest_release_tag(repo, exclude=parsed)
    if previous is None:
        if not first_release:
            raise ReleaseError(
                "no release tag (v1.2.0 or 1.2.0) is merged into HEAD, so there is nothing to"
                " compare with: fetch the tags (git fetch --tags), or, if this is the first"
                " release of the contract, say so (FIRST_RELEASE=1, --first-release)"
            )
        return Release(version, None, [])
    if first_release:
        raise ReleaseError(f"this is no first release: {previous} was released before")
    ref, report = breaking.check(spec_root, previous)
    if parsed <= _parsed(report.base_version, f"{previous}: info.version"):
        raise ReleaseError(
            f"{where} {version} is not above {report.base_version}, the version of the last"
            f" release ({previous}): bump it"
        )
    if not report.accepted:
        listed = "\n".join(f"  {change}" for change in report.breaking)
        raise ReleaseError(f"{listed}\n{breaking.summary(ref, report, spec_root)}")
    return Release(version, previous, report.changes)

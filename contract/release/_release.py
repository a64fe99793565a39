"""What a release must be. Its version is the client's own (package_version_override), which
the wheel, the tag and the changelog heading carry; the spec's info.version is the API version
it is for. Against the last release tag:

- the client version is not tagged on another commit, and is above the last release's;
- info.version is above the last release's when the spec changed;
- a breaking change of the spec needs a major bump of info.version (make breaking's rule) and
  of the client version; so does a break of the client's Python API (griffe);
- any other change of the spec, and anything the Python API gained, needs a minor bump of the
  client version at least.

The same plan feeds the changelog, which describes the release that `make dist` would build."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from contract.generate.client_names import VERSION_KEY
from contract.layout import display_path
from contract.release._client import (
    Client,
    config_in,
    project_in,
    released_client,
    work_tree_client,
)
from contract.release._python_api import ApiChange, changes_since
from contract.spec.source import read_yaml

# The changelog's heading is the version: a change of info.version is no news of its own.
VERSION_POINTER = "/info/version"
LISTED = 10  # changes a refusal lists before it says how many more there are


@dataclass(frozen=True)
class Release:
    """The client version to release (the wheel's and the tag's), the API version it is for
    (info.version), the release tag before it (None before the first release), the spec's
    changes since then, each classified breaking, compatible or to review, and the changes
    of the client's Python API, breaking ones first."""

    version: str
    api_version: str
    previous: str | None
    changes: list[Change]
    client_changes: list[ApiChange] = field(default_factory=list)

    @property
    def news(self) -> list[Change]:
        return _news(self.changes)


def _news(changes: list[Change]) -> list[Change]:
    """The spec's changes other than info.version's."""
    return [change for change in changes if change.pointer != VERSION_POINTER]


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


def _listed(lines: list[str]) -> str:
    shown = [f"  {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        shown.append(f"  ... and {len(lines) - LISTED} more")
    return "\n".join(shown)


def _refuse_taken(repo: Path, version: Version, where: str, watched: list[str]) -> None:
    """A tag of `version` on another commit is a release already made; on HEAD itself it is
    the release being rebuilt, which must be that commit, without edits under `watched`."""
    head = commit_of(repo, "HEAD")
    for tag in tags_of_version(repo, version):
        tagged = commit_of(repo, tag)
        if tagged != head:
            raise ReleaseError(
                f"{where} {version} is already released (tag {tag} on commit {str(tagged)[:12]}):"
                f" bump {VERSION_KEY} for a new release"
            )
        edited = changed_files(repo, *watched)
        if edited:
            raise ReleaseError(
                f"tag {tag} marks this commit as release {version}, but there are uncommitted"
                f" changes ({', '.join(edited)}): commit them under a new client version"
                f" ({VERSION_KEY}), and a new info.version if the spec changed"
            )


def _check_api_version(
    version: str, news: list[Change], base: str, previous: str, where: str, spec_root: Path
) -> None:
    """info.version moves up whenever the spec changed (`news`), and never down."""
    api = _parsed(version, where)
    last = _parsed(base, f"{previous}: info.version")
    if news and api == last:
        raise ReleaseError(
            f"the spec changed since {previous} ({len(news)} change(s), the first at"
            f" `{news[0].pointer or '/'}`), but {where} is still {base}: bump info.version in"
            f" {display_path(spec_root)}, the API version these changes make"
        )
    if api < last:
        raise ReleaseError(
            f"{where} {version} is below {base}, the API version of the last release"
            f" ({previous}): an API version only goes up"
        )


def _check_client_version(
    release: Release, before: Client, previous: str, where: str, spec_breaks: int
) -> None:
    """The client version is above the last release's, by a major for a break of the contract
    or of the Python API, by a minor at least for anything new in either."""
    now = _parsed(release.version, where)
    last = _parsed(before.version, f"{previous}: the client version")
    about = f"{before.version}, the client version of the last release ({previous})"
    if now <= last:
        raise ReleaseError(f"{where} {release.version} is not above {about}: bump it")
    python_breaks = [str(c) for c in release.client_changes if c.breaking]
    if (spec_breaks or python_breaks) and now.major <= last.major:
        reasons = []
        if python_breaks:
            reasons.append(f"the client's Python API breaks ({len(python_breaks)} change(s) above)")
        if spec_breaks:
            reasons.append(f"the contract breaks ({spec_breaks} breaking change(s) of the spec)")
        raise ReleaseError(
            (_listed(python_breaks) + "\n" if python_breaks else "")
            + f"{where} {release.version} is no major bump of {about}, but {' and '.join(reasons)}:"
            f" bump it to {last.major + 1}.0.0"
        )
    added = [str(c) for c in release.client_changes if not c.breaking]
    if (release.news or added) and (now.major, now.minor) <= (last.major, last.minor):
        reasons = []
        if added:
            reasons.append(f"the client's Python API gained {len(added)} thing(s) (above)")
        if release.news:
            reasons.append(f"the spec changed ({len(release.news)} change(s))")
        raise ReleaseError(
            (_listed(added) + "\n" if added else "")
            + f"{where} {release.version} is only a patch of {about}, but {' and '.join(reasons)}:"
            f" bump it to {last.major}.{last.minor + 1}.0 at least"
        )


def _client_changes(repo: Path, previous: str, before: Client, now: Client) -> list[ApiChange]:
    project = project_in(repo)
    if not (project / now.package / "__init__.py").is_file():
        raise ReleaseError(
            f"{(project / now.package).relative_to(repo)} holds no package: run `make generate`,"
            " whose client the release ships"
        )
    return changes_since(repo, previous, project, before.package, now.package) or []


def plan_release(spec_root: Path, first_release: bool = False) -> Release:
    """The release of the work tree, or a ReleaseError that says why there is none and what
    to bump where. A tag of this client version on HEAD itself is the release being rebuilt,
    not a clash. Without an earlier release tag, only `first_release` says there is none to
    compare with: a clone without tags must not pass for a first release."""
    repo = repository_of(spec_root.resolve().parent)
    if is_shallow(repo):
        raise ReleaseError(
            "this is a shallow clone: earlier releases and their tags may be missing, so the"
            " changes since the last release cannot be known; fetch them first"
            " (git fetch --unshallow --tags)"
        )
    api_version = spec_version(spec_root)
    api_where = f"{display_path(spec_root)}: info.version"
    release_version(api_version, api_where)
    client = work_tree_client(repo)
    config = config_in(repo).relative_to(repo).as_posix()
    where = f"{config}: {VERSION_KEY}"
    parsed = release_version(client.version, where)
    spec_folder = spec_root.resolve().parent.relative_to(repo).as_posix()
    project = project_in(repo).relative_to(repo).as_posix()
    _refuse_taken(repo, parsed, where, [spec_folder, config, project])
    previous = latest_release_tag(repo, exclude=parsed)
    if previous is None:
        if not first_release:
            raise ReleaseError(
                "no release tag (a version such as v1.2.0, or 1.2.0) is merged into HEAD, so"
                " there is nothing to compare with: fetch the tags (git fetch --tags), or, if"
                " this is the first release of the contract, say so (FIRST_RELEASE=1,"
                " --first-release)"
            )
        return Release(client.version, api_version, None, [])
    if first_release:
        raise ReleaseError(f"this is no first release: {previous} was released before")
    ref, report = breaking.check(spec_root, previous)
    _check_api_version(
        api_version, _news(report.changes), report.base_version, previous, api_where, spec_root
    )
    if not report.accepted:
        listed = "\n".join(f"  {change}" for change in report.breaking)
        raise ReleaseError(f"{listed}\n{breaking.summary(ref, report, spec_root)}")
    before = released_client(repo, previous, report.base_version, client.package)
    release = Release(
        client.version,
        api_version,
        previous,
        report.changes,
        _client_changes(repo, previous, before, client),
    )
    _check_client_version(release, before, previous, where, len(report.breaking))
    return release

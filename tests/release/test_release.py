"""What a release may be, on repositories of their own: the changelog entry that `make
changelog` writes from make breaking's classification since the last release tag, and what
`make dist` and `make changelog` refuse (a client version tagged elsewhere, an info.version
below the last release's, a break without a major bump, a shallow clone, a missing tag, a
dirty tree) before they build or write anything. tests/release/test_client_version.py plays
the rules of the client version one by one."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest
from customer_interface_client import API_VERSION

from contract.breaking.changes import Change, Kind, Verdict
from contract.errors import ReleaseError, UsageError
from contract.generate.client_names import client_version
from contract.release import plan_release, source_date_epoch
from contract.release._changelog import render_entry, with_entry
from contract.release._release import Release
from contract.spec.source import read_yaml
from scripts.changelog import main as changelog_main
from scripts.dist import main as dist_main
from tests.conftest import edit_spec_file
from tests.release.client_repo import release, released_repo, set_client_version
from tests.support.scratch_repo import COMMITTED_AT, commit_all, git

SORT_DIRECTION = "shared/schemas/SortDirection.yaml"
LIST = "resources/event_groups/paths/event-groups.yaml"


def set_version(version: str) -> Any:
    return lambda root: root["info"].update(version=version)


def remove_desc(schema: Any) -> None:
    schema["enum"].remove("DESC")


def add_optional_filter(path_item: Any) -> None:
    path_item["get"]["parameters"].append(
        {"name": "state", "in": "query", "required": False, "schema": {"type": "integer"}}
    )


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A repository whose spec, at info.version 1.0.0, and client, at 1.0.0 and as generated,
    are tagged v1.0.0 (annotated, as docs/releases.md says to tag; other tests tag
    lightweight); returns the spec's root."""
    return released_repo(tmp_path / "repo")


def bump(root: Path, api: str | None, client: str) -> None:
    """Set the spec's info.version (None: leave it) and the client's version in the work tree."""
    if api is not None:
        edit_spec_file(root, "openapi.yaml", set_version(api))
    set_client_version(root.parent.parent, client)


def write_changelog(root: Path) -> tuple[int, Path]:
    target = root.parent.parent / "CHANGELOG.md"
    return changelog_main(["--spec", str(root), "--changelog", str(target)]), target


def test_a_compatible_change_gets_an_entry_with_its_pointer_and_reason(
    released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(released, LIST, add_optional_filter)
    bump(released, "1.1.0", "1.1.0")

    code, changelog = write_changelog(released)

    assert code == 0, capsys.readouterr().err
    text = changelog.read_text("utf-8")
    assert text.startswith("# Changelog\n")
    entry = text[text.index("## 1.1.0") :]
    assert entry.startswith(
        "## 1.1.0\n\nClient 1.1.0 for API 1.1.0.\n\n"
        "Since v1.0.0: 0 breaking and 1 compatible change(s).\n"
    )
    assert "### Breaking" not in entry
    assert (
        "### Compatible\n\n- `/paths/~1event-groups/get/parameters/6` (added):"
        " new optional query parameter 'state'" in entry
    )


def test_a_major_bump_lists_the_breaking_changes_first(released: Path) -> None:
    edit_spec_file(released, SORT_DIRECTION, remove_desc)
    edit_spec_file(released, LIST, add_optional_filter)
    bump(released, "2.0.0", "2.0.0")

    release = plan_release(released)
    entry = render_entry(release)

    assert release.previous == "v1.0.0"
    assert entry.index("### Breaking") < entry.index("### Compatible")
    breaking = entry[entry.index("### Breaking") : entry.index("### Compatible")]
    assert "`/paths/~1event-groups/get/parameters/3/schema/enum`" in breaking
    assert "query parameter 'sort_direction': enum values [\"DESC\"] removed" in breaking


def test_writing_the_same_version_again_replaces_its_entry_and_keeps_older_ones() -> None:
    older, _ = with_entry(None, render_entry(Release("1.0.0", "1.0.0", None, [])), "1.0.0")
    first, replaced_first = with_entry(older, "## 1.1.0\n\nFirst draft.\n", "1.1.0")
    second, replaced_second = with_entry(first, "## 1.1.0\n\nSecond draft.\n", "1.1.0")

    assert (replaced_first, replaced_second) == (False, True)
    assert second.count("## 1.1.0") == 1
    assert "Second draft." in second
    assert "First draft." not in second
    assert second.index("## 1.1.0") < second.index("## 1.0.0")
    assert second.endswith(
        "## 1.0.0\n\nClient 1.0.0 for API 1.0.0.\n\n"
        "The first release: there is no earlier release tag to compare with.\n"
    )


HAND_WRITTEN = """\
# Changelog\r
\r
Our own words.\r
\r
## [v1.1.0] - 2026-03-01\r
\r
Hand-written draft.\r
\r
## 1.0.0\r
\r
An example of how to read an entry:\r
\r
```markdown\r
## 1.1.0\r
```\r
\r
The rest of 1.0.0.\r
"""


def test_an_entry_replaces_a_bracketed_heading_and_leaves_headings_in_code_alone() -> None:
    text, replaced = with_entry(HAND_WRITTEN, "## 1.1.0\n\nGenerated.\n", "1.1.0")

    assert replaced
    assert "\r" not in text
    assert text.startswith("# Changelog\n\nOur own words.\n\n## 1.1.0\n\nGenerated.\n\n## 1.0.0")
    assert "Hand-written draft." not in text
    assert text.endswith("```markdown\n## 1.1.0\n```\n\nThe rest of 1.0.0.\n")


WITH_OWN_SECTIONS = """\
# Changelog

Ours.

## 2.0.0

Client 2.0.0 for API 1.0.0.

An older run's text.

### Client

- an older run's line

### Notes

The methods are renamed.

```markdown
### Inside code, part of the notes
```

### Upgrading

Rename your calls.

## 1.0.0

Older.
"""


def test_an_entry_written_again_keeps_the_sections_a_maintainer_added() -> None:
    entry = "## 2.0.0\n\nClient 2.0.0 for API 1.0.0.\n\nNew.\n\n### Client\n\n- a new line\n"

    text, replaced = with_entry(WITH_OWN_SECTIONS, entry, "2.0.0")

    assert replaced
    assert text == (
        "# Changelog\n\nOurs.\n\n"
        "## 2.0.0\n\nClient 2.0.0 for API 1.0.0.\n\nNew.\n\n### Client\n\n- a new line\n\n"
        "### Notes\n\nThe methods are renamed.\n\n"
        "```markdown\n### Inside code, part of the notes\n```\n\n"
        "### Upgrading\n\nRename your calls.\n\n"
        "## 1.0.0\n\nOlder.\n"
    )


def test_a_changelog_without_a_title_gets_one() -> None:
    text, _ = with_entry("## 1.0.0\n\nOld.\n", "## 1.1.0\n\nNew.\n", "1.1.0")

    assert text.startswith("# Changelog\n\nChanges to the contract")
    assert text.endswith("## 1.1.0\n\nNew.\n\n## 1.0.0\n\nOld.\n")


def test_a_break_without_a_major_bump_is_refused_and_nothing_is_written(
    released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(released, SORT_DIRECTION, remove_desc)
    bump(released, "1.1.0", "2.0.0")

    code, changelog = write_changelog(released)
    dist_code = dist_main(["--spec", str(released), "--output", str(tmp_path / "dist")])

    err = capsys.readouterr().err
    assert (code, dist_code) == (1, 1)
    assert "query parameter 'sort_direction': enum values [\"DESC\"] removed" in err
    assert "bump info.version to 2.0.0" in err
    assert "Traceback" not in err
    assert not changelog.exists()
    assert not (tmp_path / "dist").exists()


def test_a_version_tagged_on_another_commit_is_refused(released: Path) -> None:
    edit_spec_file(released, LIST, add_optional_filter)
    commit_all(released.parent.parent, "A new filter, version not bumped")

    with pytest.raises(
        ReleaseError,
        match=r"package_version_override 1\.0\.0 is already released \(tag v1\.0\.0 on commit"
        r" [0-9a-f]{12}\): bump package_version_override for a new release",
    ):
        plan_release(released)


def test_an_api_version_below_the_last_release_is_refused(released: Path) -> None:
    bump(released, "0.9.0", "1.1.0")

    with pytest.raises(
        ReleaseError,
        match=r"info\.version 0\.9\.0 is below 1\.0\.0, the API version of the last release"
        r" \(v1\.0\.0\): an API version only goes up",
    ):
        plan_release(released)


def test_the_tagged_commit_itself_rebuilds_its_release(released: Path) -> None:
    assert plan_release(released, first_release=True) == Release("1.0.0", "1.0.0", None, [])


def test_the_tagged_commit_with_uncommitted_spec_edits_is_refused(released: Path) -> None:
    edit_spec_file(released, LIST, add_optional_filter)

    with pytest.raises(ReleaseError, match=r"uncommitted changes \(openapi/resources/event_groups"):
        plan_release(released)


def test_without_a_release_tag_only_a_declared_first_release_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = released_repo(tmp_path / "repo", tag=None)
    target = root.parent.parent / "CHANGELOG.md"

    refused = changelog_main(["--spec", str(root), "--changelog", str(target)])
    err = capsys.readouterr().err
    declared = changelog_main(["--spec", str(root), "--changelog", str(target), "--first-release"])

    assert (refused, declared) == (1, 0)
    assert "no release tag (a version such as v1.2.0, or 1.2.0) is merged into HEAD" in err
    assert "git fetch --tags" in err
    assert "## 1.0.0\n\nClient 1.0.0 for API 1.0.0.\n\nThe first release" in target.read_text(
        "utf-8"
    )


def test_a_first_release_after_a_release_is_refused(released: Path) -> None:
    bump(released, "1.1.0", "1.1.0")

    with pytest.raises(ReleaseError, match=r"this is no first release: v1\.0\.0 was released"):
        plan_release(released, first_release=True)


def test_a_shallow_clone_is_refused_rather_than_taken_for_a_first_release(
    released: Path, tmp_path: Path
) -> None:
    repo = released.parent.parent
    git(repo, "commit", "--quiet", "--allow-empty", "--message", "After the release")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", repo.as_uri(), str(shallow))

    with pytest.raises(ReleaseError, match="shallow clone"):
        plan_release(shallow / "openapi" / "openapi.yaml", first_release=True)


def test_the_last_release_is_the_highest_version_not_the_nearest_tag(released: Path) -> None:
    """Client 1.1.0 on main, then a maintenance release 1.0.1 merged in later: the next
    release is measured against 1.1.0."""
    repo = released.parent.parent
    release(repo, "1.1.0")
    git(repo, "checkout", "--quiet", "-b", "maintenance", "v1.0.0")
    release(repo, "1.0.1")
    git(repo, "checkout", "--quiet", "main")
    git(repo, "merge", "--quiet", "-s", "ours", "--message", "Merge 1.0.1", "maintenance")
    set_client_version(repo, "1.0.2")

    with pytest.raises(
        ReleaseError,
        match=r"package_version_override 1\.0\.2 is not above 1\.1\.0, the client version of"
        r" the last release \(v1\.1\.0\)",
    ):
        plan_release(released)


@pytest.mark.parametrize("which", ["client", "api"])
@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.1.0-RC1", r"write '1\.1\.0-RC1' as '1\.1\.0rc1'"),
        ("1.1.0+build.7", "has a local part"),
        ("the next one", "not a version a package index accepts"),
    ],
)
def test_a_version_that_is_not_a_release_version_is_refused(
    released: Path, which: str, version: str, message: str
) -> None:
    if which == "client":
        bump(released, None, version)
    else:
        bump(released, version, "1.1.0")
    key = "package_version_override" if which == "client" else "info.version"

    with pytest.raises(ReleaseError, match=rf"{key}: .*{message}"):
        plan_release(released)


def test_a_tag_of_the_same_version_in_another_spelling_counts_as_released(
    released: Path,
) -> None:
    repo = released.parent.parent
    release(repo, "1.1.0", tag="v1.1")
    edit_spec_file(released, LIST, add_optional_filter)
    commit_all(repo, "More, still 1.1.0")

    with pytest.raises(ReleaseError, match=r"1\.1\.0 is already released \(tag v1\.1 on"):
        plan_release(released)


def test_the_build_time_is_the_last_commit_unless_source_date_epoch_says_otherwise(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = released.parent.parent

    assert source_date_epoch(repo) == COMMITTED_AT
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert source_date_epoch(repo) == 1234567890
    for wrong in ("yesterday", "0", str(2**32)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", wrong)
        with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH must be seconds since 1970"):
            source_date_epoch(repo)


def test_a_release_is_built_stamped_with_its_commit_and_replaces_the_last_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole of `make dist` on a tagged commit at the generated client's version: the
    checks, the freshness of generated/, the build, the client's packages named after its own
    version; the older build in the folder goes, files of no build stay refused."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    version = client_version()
    root = released_repo(tmp_path / "repo", version, tag=f"v{version}", api_version=None)
    assert read_yaml(root)["info"]["version"] == API_VERSION  # generated/ as the spec says
    output = tmp_path / "dist"
    output.mkdir()
    (output / "customer_interface_client-0.9.0-py3-none-any.whl").write_bytes(b"old")
    (output / "SHA256SUMS").write_text(
        "0" * 64 + "  customer_interface_client-0.9.0-py3-none-any.whl\n"
    )

    assert dist_main(["--spec", str(root), "--output", str(output), "--first-release"]) == 0

    names = sorted(p.name for p in output.iterdir())
    assert not any("0.9.0" in name for name in names)
    assert f"customer_interface_client-{version}-py3-none-any.whl" in names
    assert f"release {version} of the client, for API {API_VERSION} (first release)" in (
        capsys.readouterr().out
    )
    with tarfile.open(next(output.glob("*.docs.tar.gz"))) as docs:
        assert {member.mtime for member in docs.getmembers()} == {COMMITTED_AT}
    listed = (output / "SHA256SUMS").read_text("utf-8")
    assert sorted(line.split("  ")[1] for line in listed.splitlines()) == sorted(
        set(names) - {"SHA256SUMS"}
    )


def test_a_dirty_work_tree_builds_only_as_a_declared_draft(
    released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (released.parent.parent / "notes.md").write_text("not committed")
    output = tmp_path / "dist"

    refused = dist_main(["--spec", str(released), "--output", str(output), "--first-release"])

    assert refused == 1
    assert "uncommitted changes (notes.md)" in capsys.readouterr().err
    assert not output.exists()


def test_a_bump_alone_says_that_nothing_changed(released: Path) -> None:
    bump(released, "1.0.1", "1.0.1")

    entry = render_entry(plan_release(released))

    assert entry == (
        "## 1.0.1\n\nClient 1.0.1 for API 1.0.1.\n\nNo change to the contract since v1.0.0.\n"
    )


def test_a_deprecation_is_listed_under_deprecated_not_among_the_compatible_changes() -> None:
    deprecated = Change(
        "/paths/~1event-groups/get/deprecated",
        Verdict.COMPATIBLE,
        Kind.CHANGED,
        "operation GET /event-groups: operation deprecated, sunset 2027-06-30",
        "operation-deprecated",
    )
    added = Change(
        "/paths/~1event-groups/get/parameters/6",
        Verdict.COMPATIBLE,
        Kind.ADDED,
        "new optional query parameter 'state'",
        "parameter-added",
    )

    entry = render_entry(Release("1.1.0", "1.1.0", "v1.0.0", [deprecated, added]))

    compatible = entry[entry.index("### Compatible") : entry.index("### Deprecated")]
    assert "new optional query parameter 'state'" in compatible
    assert "sunset 2027-06-30" in entry[entry.index("### Deprecated") :]
    assert "2 compatible change(s)" in entry

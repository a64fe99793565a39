"""What a release may be, on repositories of their own: the changelog entry that `make
changelog` writes from make breaking's classification since the last release tag, and what
`make dist` and `make changelog` refuse (a version tagged elsewhere, a version below the last
release, a break without a major bump) before they build or write anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract.errors import ReleaseError, UsageError
from contract.release import plan_release, source_date_epoch
from contract.release._changelog import render_entry, with_entry
from contract.release._release import Release
from scripts.changelog import main as changelog_main
from scripts.dist import main as dist_main
from tests.conftest import edit_spec_file
from tests.support.scratch_repo import commit_all, committed_spec_in, git

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
    """A repository whose spec, at info.version 1.0.0, is tagged v1.0.0; returns its root."""
    root = committed_spec_in(tmp_path / "repo")
    git(root.parent.parent, "tag", "v1.0.0")
    return root


def write_changelog(root: Path) -> tuple[int, Path]:
    target = root.parent.parent / "CHANGELOG.md"
    return changelog_main(["--spec", str(root), "--changelog", str(target)]), target


def test_a_compatible_change_gets_an_entry_with_its_pointer_and_reason(
    released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(released, LIST, add_optional_filter)
    edit_spec_file(released, "openapi.yaml", set_version("1.1.0"))

    code, changelog = write_changelog(released)

    assert code == 0, capsys.readouterr().err
    text = changelog.read_text("utf-8")
    assert text.startswith("# Changelog\n")
    entry = text[text.index("## 1.1.0") :]
    assert entry.startswith("## 1.1.0\n\nSince v1.0.0: 0 breaking and 1 compatible change(s).\n")
    assert "### Breaking" not in entry
    assert (
        "### Compatible\n\n- `/paths/~1event-groups/get/parameters/6` (added):"
        " new optional query parameter 'state'" in entry
    )


def test_a_major_bump_lists_the_breaking_changes_first(released: Path) -> None:
    edit_spec_file(released, SORT_DIRECTION, remove_desc)
    edit_spec_file(released, LIST, add_optional_filter)
    edit_spec_file(released, "openapi.yaml", set_version("2.0.0"))

    release = plan_release(released)
    entry = render_entry(release)

    assert release.previous == "v1.0.0"
    assert entry.index("### Breaking") < entry.index("### Compatible")
    breaking = entry[entry.index("### Breaking") : entry.index("### Compatible")]
    assert "`/paths/~1event-groups/get/parameters/3`" in breaking
    assert "cannot remove enum option 'DESC'" in breaking


def test_writing_the_same_version_again_replaces_its_entry_and_keeps_older_ones() -> None:
    older = with_entry(None, render_entry(Release("1.0.0", None, [])))
    first = with_entry(older, "## 1.1.0\n\nFirst draft.\n")
    second = with_entry(first, "## 1.1.0\n\nSecond draft.\n")

    assert second.count("## 1.1.0") == 1
    assert "Second draft." in second
    assert "First draft." not in second
    assert second.index("## 1.1.0") < second.index("## 1.0.0")
    assert second.endswith(
        "## 1.0.0\n\nThe first release: there is no earlier release tag to compare with.\n"
    )


def test_a_break_without_a_major_bump_is_refused_and_nothing_is_written(
    released: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(released, SORT_DIRECTION, remove_desc)
    edit_spec_file(released, "openapi.yaml", set_version("1.1.0"))

    code, changelog = write_changelog(released)
    dist_code = dist_main(["--spec", str(released), "--output", str(tmp_path / "dist")])

    err = capsys.readouterr().err
    assert (code, dist_code) == (1, 1)
    assert "cannot remove enum option 'DESC'" in err
    assert "bump info.version to 2.0.0" in err
    assert "Traceback" not in err
    assert not changelog.exists()
    assert not (tmp_path / "dist").exists()


def test_a_version_tagged_on_another_commit_is_refused(released: Path) -> None:
    edit_spec_file(released, LIST, add_optional_filter)
    commit_all(released.parent.parent, "A new filter, version not bumped")

    with pytest.raises(ReleaseError, match=r"1\.0\.0 is already released \(tag v1\.0\.0 on commit"):
        plan_release(released)


def test_a_version_below_the_last_release_is_refused(released: Path) -> None:
    edit_spec_file(released, "openapi.yaml", set_version("0.9.0"))

    with pytest.raises(
        ReleaseError,
        match=r"0\.9\.0 is not above 1\.0\.0, the version of the last release \(v1\.0\.0\)",
    ):
        plan_release(released)


def test_a_version_no_index_accepts_is_refused(released: Path) -> None:
    edit_spec_file(released, "openapi.yaml", set_version("the next one"))

    with pytest.raises(ReleaseError, match="not a version a package index accepts"):
        plan_release(released)


def test_the_tagged_commit_itself_rebuilds_its_release(released: Path) -> None:
    assert plan_release(released) == Release("1.0.0", None, [])


def test_the_tagged_commit_with_uncommitted_spec_edits_is_refused(released: Path) -> None:
    edit_spec_file(released, LIST, add_optional_filter)

    with pytest.raises(ReleaseError, match=r"uncommitted changes \(openapi/resources/event_groups"):
        plan_release(released)


def test_a_repository_without_a_release_tag_makes_the_first_release(tmp_path: Path) -> None:
    root = committed_spec_in(tmp_path / "repo")

    code, changelog = write_changelog(root)

    assert code == 0
    assert "## 1.0.0\n\nThe first release" in changelog.read_text("utf-8")


def test_the_build_time_is_the_last_commit_unless_source_date_epoch_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = committed_spec_in(tmp_path / "repo").parent.parent
    committed = int(git(repo, "log", "-1", "--format=%ct"))

    assert source_date_epoch(repo) == committed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert source_date_epoch(repo) == 1234567890
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH must be seconds since 1970"):
        source_date_epoch(repo)


def test_a_bump_alone_says_that_nothing_changed(released: Path) -> None:
    edit_spec_file(released, "openapi.yaml", set_version("1.0.1"))

    entry = render_entry(plan_release(released))

    assert entry == "## 1.0.1\n\nNo change to the contract since v1.0.0.\n"

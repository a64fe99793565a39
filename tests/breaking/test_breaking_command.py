from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract.breaking._git_spec import default_base, extract_spec
from contract.errors import GitRefError
from contract.layout import BUNDLED_SPEC, SPEC_ROOT
from contract.spec.source import read_yaml
from scripts.breaking import main
from tests.conftest import edit_spec_file
from tests.support.scratch_repo import committed_spec_in, git

SORT_DIRECTION = "shared/schemas/SortDirection.yaml"
LIST = "resources/event_groups/paths/event-groups.yaml"
NAME = "resources/event_groups/parameters/name.yaml"
VERSION = read_yaml(SPEC_ROOT)["info"]["version"]  # the committed spec's, which the tests copy


@pytest.fixture
def committed_spec(tmp_path: Path) -> Path:
    """A git repository whose only commit, on main, holds a copy of our spec; returns the
    spec's root file in the work tree."""
    return committed_spec_in(tmp_path / "repo")


def remove_desc(schema: Any) -> None:
    schema["enum"].remove("DESC")


def add_optional_filter(path_item: Any) -> None:
    path_item["get"]["parameters"].append(
        {"name": "state", "in": "query", "required": False, "schema": {"type": "integer"}}
    )


def test_a_breaking_edit_of_the_work_tree_fails_and_names_the_change(
    committed_spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(committed_spec, SORT_DIRECTION, remove_desc)

    assert main(["--spec", str(committed_spec), "--base", "HEAD"]) == 1

    out, err = capsys.readouterr()
    assert "breaking    /paths/~1event-groups/get/parameters/3/schema/enum  " in out
    assert "query parameter 'sort_direction': enum values [\"DESC\"] removed" in out
    assert "error: 1 breaking, 0 compatible change(s)" in err
    assert f"without a major version bump (info.version {VERSION} -> {VERSION})" in err
    assert "bump info.version to 2.0.0" in err
    assert "Traceback" not in err


def test_a_compatible_edit_of_the_work_tree_passes(
    committed_spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(committed_spec, LIST, lambda item: item["get"].update(summary="List groups"))

    assert main(["--spec", str(committed_spec), "--base", "HEAD"]) == 0

    out = capsys.readouterr().out
    assert "compatible  /paths/~1event-groups/get/summary  " in out
    assert "0 breaking, 1 compatible change(s)" in out
    assert "make lint" not in out


def test_a_compatible_edit_that_the_lint_rejects_fails_with_the_problem_beside_the_change(
    committed_spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A query parameter without a declared meaning breaks no client, but CI's `make lint`
    rejects it: the author learns it from the same command, at the same line."""
    edit_spec_file(committed_spec, LIST, add_optional_filter)

    assert main(["--spec", str(committed_spec), "--base", "HEAD"]) == 1

    out, err = capsys.readouterr()
    change, _, linted = out.partition("\n\n`make lint` of the new side: 1 problem(s)\n")
    assert "compatible  /paths/~1event-groups/get/parameters/6  " in change
    assert "new optional query parameter 'state'" in change
    assert f"{LIST}:25 #/get/parameters/6 [x-declaration-missing] query parameter 'state'" in linted
    assert f"nothing breaks (info.version {VERSION} -> {VERSION}); but `make lint` finds 1" in err


def test_a_major_bump_accepts_the_break_and_says_so(
    committed_spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec_file(committed_spec, NAME, lambda parameter: parameter["schema"].update(maxLength=99))
    edit_spec_file(
        committed_spec, "openapi.yaml", lambda root: root["info"].update(version="2.0.0")
    )

    assert main(["--spec", str(committed_spec), "--base", "HEAD"]) == 0

    out = capsys.readouterr().out
    assert "breaking    /paths/~1event-groups/get/parameters/4/schema/maxLength  " in out
    assert f"accepted by the major bump (info.version {VERSION} -> 2.0.0)" in out


def test_the_default_base_is_main_without_a_release_tag(committed_spec: Path) -> None:
    assert default_base(committed_spec.parent) == "main"


def test_the_default_base_is_the_latest_release_tag(committed_spec: Path) -> None:
    folder = committed_spec.parent.parent
    git(folder, "tag", "v1.0.0")
    git(folder, "commit", "--quiet", "--allow-empty", "--message", "Work after the release")
    git(folder, "tag", "not-a-release")

    assert default_base(committed_spec.parent) == "v1.0.0"


def test_the_spec_is_taken_from_the_reference_not_the_work_tree(
    committed_spec: Path, tmp_path: Path
) -> None:
    edit_spec_file(committed_spec, SORT_DIRECTION, remove_desc)

    released = extract_spec("main", committed_spec, tmp_path / "released")

    assert "DESC" in (released.parent / SORT_DIRECTION).read_text("utf-8")


def test_an_unknown_reference_is_a_one_line_error(
    committed_spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--spec", str(committed_spec), "--base", "no-such-branch"]) == 2

    err = capsys.readouterr().err
    assert err == "error: 'no-such-branch' names no commit, branch or tag of this repository\n"


def test_a_reference_without_the_spec_folder_is_an_error(
    committed_spec: Path, tmp_path: Path
) -> None:
    folder = committed_spec.parent.parent
    git(folder, "checkout", "--quiet", "--orphan", "empty")
    git(folder, "rm", "-r", "--quiet", "--cached", "openapi")
    git(folder, "commit", "--quiet", "--allow-empty", "--message", "Nothing yet")

    with pytest.raises(GitRefError, match="empty has no openapi/ folder"):
        extract_spec("empty", committed_spec, tmp_path / "released")


def test_two_files_compare_a_published_single_file_with_a_split_spec(
    committed_spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OLD and NEW need no git: the bundled spec a client was built from against a provider's
    edited split spec, and the other way round."""
    edit_spec_file(committed_spec, SORT_DIRECTION, remove_desc)
    published = BUNDLED_SPEC

    assert main(["--old", str(published), "--new", str(committed_spec)]) == 1
    out, err = capsys.readouterr()
    assert "query parameter 'sort_direction': enum values [\"DESC\"] removed" in out
    assert f"against {published}" in err
    assert "make lint" not in out + err  # the house rules are this repository's, not NEW's

    assert main(["--old", str(committed_spec), "--new", str(published)]) == 0
    assert 'enum values ["DESC"] added' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--old", "missing.yaml", "--new", "missing.yaml"], "missing.yaml: no such file"),
        (["--old", "a.yaml"], "--old and --new (OLD and NEW) go together"),
        (["--old", "a.yaml", "--new", "b.yaml", "--base", "HEAD"], "not both"),
    ],
)
def test_two_files_given_wrongly_are_usage_errors(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own exit
        code = int(str(exc.code))

    assert code == 2
    assert says in capsys.readouterr().err

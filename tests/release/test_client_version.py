"""The rules of the client's own version, each played both ways on a repository of its own
whose release v1.0.0 shipped a small client package: what breaks them is refused with a
message that says what to bump, and to what, and the bump that keeps them passes.

- the client version is above the last release's, read from the tag's settings, or its
  info.version for a tag made before the client had a version of its own;
- info.version is above the last release's when the spec changed;
- a breaking change of the spec needs a major of info.version and of the client;
- a break of the client's Python API needs a major of the client;
- any other change of the spec, or an addition to the Python API, a minor at least."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from contract.errors import ReleaseError
from contract.release import plan_release
from contract.release._changelog import render_entry
from scripts.changelog import main as changelog_main
from tests.conftest import edit_spec_file
from tests.release.client_repo import (
    CONFIG,
    PACKAGE,
    PROJECT,
    released_repo,
    set_client_version,
    write_package,
)
from tests.support.scratch_repo import commit_all, git

SORT_DIRECTION = "shared/schemas/SortDirection.yaml"
LIST = "resources/event_groups/paths/event-groups.yaml"
FILTER_POINTER = "/paths/~1event-groups/get/parameters/6"

API = '''
    """A client."""

    __all__ = ["Api"]


    class Api:
        def list(self, *, count: int = 10) -> list[int]:
            return []

        def retrieve(self, key: str) -> int:
            return 0
'''
# What each edit of API does to code written against it, as the changelog lists it.
BREAKS = {
    "renamed": (
        API.replace("def list(", "def list_all("),
        f"`{PACKAGE}.Api.list` (breaking): public object was removed",
    ),
    "default": (
        API.replace("count: int = 10", "count: int = 20"),
        f"`{PACKAGE}.Api.list(count)` (breaking): parameter default was changed: 10 -> 20",
    ),
    "required": (
        API.replace("count: int = 10", "count: int"),
        f"`{PACKAGE}.Api.list(count)` (breaking): parameter is now required",
    ),
    "removed parameter": (
        API.replace("self, *, count: int = 10", "self"),
        f"`{PACKAGE}.Api.list(count)` (breaking): parameter was removed",
    ),
}
ADDITIONS = {
    "method": (
        API + "\n        def count(self) -> int:\n            return 0\n",
        f"`{PACKAGE}.Api.count` (added): new public function",
    ),
    "parameter": (
        API.replace("count: int = 10)", "count: int = 10, name: str = '')"),
        f"`{PACKAGE}.Api.list(name)` (added): new optional parameter",
    ),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Release v1.0.0: the spec at info.version 1.0.0, the client at 1.0.0 with API."""
    return released_repo(tmp_path / "repo", "1.0.0", {"__init__.py": API})


def plan(root: Path, client: str, api: str | None = None, python: str | None = None) -> Any:
    """The release of the work tree with the client at `client`, info.version at `api` (None:
    as released) and the package's source `python` (None: as released)."""
    repo = root.parent.parent
    set_client_version(repo, client)
    if api is not None:
        edit_spec_file(root, "openapi.yaml", lambda document: document["info"].update(version=api))
    if python is not None:
        write_package(repo, {"__init__.py": python})
    return plan_release(root)


def remove_desc(schema: Any) -> None:
    schema["enum"].remove("DESC")


def add_optional_filter(path_item: Any) -> None:
    path_item["get"]["parameters"].append(
        {"name": "state", "in": "query", "required": False, "schema": {"type": "integer"}}
    )


def test_a_client_version_not_above_the_last_releases_is_refused(root: Path) -> None:
    with pytest.raises(
        ReleaseError,
        match=r"openapi-python-client\.yaml: package_version_override 0\.9\.0 is not above 1\.0\.0,"
        r" the client version of the last release \(v1\.0\.0\): bump it",
    ):
        plan(root, "0.9.0")


def test_a_patch_of_the_client_passes_when_nothing_changed(root: Path) -> None:
    release = plan(root, "1.0.1")

    assert (release.version, release.api_version, release.previous) == ("1.0.1", "1.0.0", "v1.0.0")
    assert release.news == []
    assert release.client_changes == []


def test_the_client_version_of_a_release_is_its_settings_not_its_info_version(
    tmp_path: Path,
) -> None:
    """Release v2.0.0 is client 2.0.0 for API 1.0.0: client 1.5.0 comes after it only if the
    API version were read, and 2.0.1 does."""
    root = released_repo(tmp_path / "repo", "2.0.0", {"__init__.py": API}, tag="v2.0.0")

    with pytest.raises(ReleaseError, match=r"1\.5\.0 is not above 2\.0\.0, the client version"):
        plan(root, "1.5.0")
    assert plan(root, "2.0.1").api_version == "1.0.0"


@pytest.mark.parametrize(("client", "passes"), [("1.1.0", False), ("1.2.1", True)])
def test_a_release_made_before_the_client_had_its_own_version_shipped_it_at_info_version(
    tmp_path: Path, client: str, passes: bool
) -> None:
    """Its settings have no package_version_override: the generator gave the package the
    spec's info.version, 1.2.0 here, which is what the next client version must be above."""
    repo = tmp_path / "repo"
    root = released_repo(repo, None, {"__init__.py": API}, tag=None)
    edit_spec_file(root, "openapi.yaml", lambda document: document["info"].update(version="1.2.0"))
    commit_all(repo, "Contract 1.2.0")
    git(repo, "tag", "v1.2.0")
    assert "package_version_override" not in (repo / CONFIG).read_text("utf-8")

    if passes:
        assert plan(root, client).previous == "v1.2.0"
    else:
        with pytest.raises(
            ReleaseError, match=r"1\.1\.0 is not above 1\.2\.0, the client version of the last"
        ):
            plan(root, client)


@pytest.mark.parametrize(("api", "passes"), [(None, False), ("1.1.0", True)])
def test_a_changed_spec_needs_a_higher_info_version(
    root: Path, api: str | None, passes: bool
) -> None:
    edit_spec_file(root, LIST, add_optional_filter)

    if passes:
        release = plan(root, "1.1.0", api)
        assert [change.pointer for change in release.news] == [FILTER_POINTER]
    else:
        with pytest.raises(
            ReleaseError,
            match=r"the spec changed since v1\.0\.0 \(1 change\(s\), the first at"
            rf" `{FILTER_POINTER}`\), but .*openapi\.yaml: info\.version is still 1\.0\.0: bump"
            r" info\.version in",
        ):
            plan(root, "1.1.0", api)


@pytest.mark.parametrize(
    ("api", "client", "message"),
    [
        ("1.1.0", "2.0.0", r"enum values \[\"DESC\"\] removed.*bump info\.version to 2\.0\.0"),
        (
            "2.0.0",
            "1.1.0",
            r"package_version_override 1\.1\.0 is no major bump of 1\.0\.0, the client version of"
            r" the last release \(v1\.0\.0\), but the contract breaks \(1 breaking change\(s\) of"
            r" the spec\): bump it to 2\.0\.0",
        ),
        ("2.0.0", "2.0.0", None),
    ],
)
def test_a_breaking_change_of_the_spec_needs_a_major_of_both_versions(
    root: Path, api: str, client: str, message: str | None
) -> None:
    edit_spec_file(root, SORT_DIRECTION, remove_desc)

    if message is None:
        release = plan(root, client, api)
        assert [change.verdict.value for change in release.news] == ["breaking"]
    else:
        with pytest.raises(ReleaseError, match=f"(?s){message}"):
            plan(root, client, api)


@pytest.mark.parametrize("edit", sorted(BREAKS))
def test_a_break_of_the_python_api_needs_a_major_of_the_client(root: Path, edit: str) -> None:
    source, line = BREAKS[edit]

    with pytest.raises(ReleaseError) as refused:
        plan(root, "1.1.0", python=source)
    release = plan(root, "2.0.0")

    message = str(refused.value)
    assert message.startswith(f"  {line}\n")
    assert message.endswith(
        "package_version_override 1.1.0 is no major bump of 1.0.0, the client version of the last"
        " release (v1.0.0), but the client's Python API breaks (1 change(s) above): bump it to"
        " 2.0.0"
    )
    assert line in [str(change) for change in release.client_changes if change.breaking]


@pytest.mark.parametrize("edit", sorted(ADDITIONS))
def test_an_addition_to_the_python_api_needs_a_minor_of_the_client(root: Path, edit: str) -> None:
    source, line = ADDITIONS[edit]

    with pytest.raises(ReleaseError) as refused:
        plan(root, "1.0.1", python=source)
    release = plan(root, "1.1.0")

    assert str(refused.value) == (
        f"  {line}\n"
        "openapi-python-client.yaml: package_version_override 1.0.1 is only a patch of 1.0.0,"
        " the client version of the last release (v1.0.0), but the client's Python API gained"
        " 1 thing(s) (above): bump it to 1.1.0 at least"
    ).replace("openapi-python-client.yaml", f"{CONFIG.as_posix()}")
    assert [str(change) for change in release.client_changes] == [line]


@pytest.mark.parametrize(("client", "passes"), [("1.0.1", False), ("1.1.0", True)])
def test_a_compatible_change_of_the_spec_needs_a_minor_of_the_client(
    root: Path, client: str, passes: bool
) -> None:
    edit_spec_file(root, LIST, add_optional_filter)

    if passes:
        assert plan(root, client, "1.0.1").version == "1.1.0"
    else:
        with pytest.raises(
            ReleaseError,
            match=r"1\.0\.1 is only a patch of 1\.0\.0, the client version of the last release"
            r" \(v1\.0\.0\), but the spec changed \(1 change\(s\)\): bump it to 1\.1\.0 at least",
        ):
            plan(root, client, "1.0.1")


def test_a_renamed_package_is_a_break_of_the_python_api(root: Path) -> None:
    repo = root.parent.parent
    set_client_version(repo, "1.1.0")
    settings = yaml.safe_load((repo / CONFIG).read_text("utf-8"))
    settings["package_name_override"] = "other_client"
    (repo / CONFIG).write_text(yaml.safe_dump(settings), "utf-8")
    write_package(repo, {"__init__.py": API}, package="other_client")

    with pytest.raises(ReleaseError, match=rf"`{PACKAGE}` \(breaking\): the package is imported"):
        plan_release(root)


def test_a_work_tree_without_the_generated_package_is_refused(root: Path) -> None:
    repo = root.parent.parent
    for module in (repo / PROJECT / PACKAGE).iterdir():
        module.unlink()

    with pytest.raises(ReleaseError, match=r"holds no package: run `make generate`"):
        plan(root, "1.0.1")


def test_a_work_tree_without_a_client_version_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = root.parent.parent
    set_client_version(repo, None)

    code = changelog_main(["--spec", str(root), "--changelog", str(repo / "CHANGELOG.md")])

    assert code == 1
    assert "package_version_override is missing" in capsys.readouterr().err
    assert not (repo / "CHANGELOG.md").exists()


def test_the_changelog_names_both_versions_lists_the_python_api_and_keeps_own_sections(
    root: Path,
) -> None:
    repo = root.parent.parent
    target = repo / "CHANGELOG.md"
    source = BREAKS["renamed"][0] + "\n        def count(self) -> int:\n            return 0\n"
    plan(root, "2.0.0", python=source)
    arguments = ["--spec", str(root), "--changelog", str(target)]

    assert changelog_main(arguments) == 0
    target.write_text(
        target.read_text("utf-8") + "\n### Notes\n\n`list` is `list_all` now.\n", "utf-8"
    )
    assert changelog_main(arguments) == 0

    entry = target.read_text("utf-8").split("## 2.0.0\n\n", 1)[1]
    assert entry == (
        "Client 2.0.0 for API 1.0.0.\n\n"
        "No change to the contract since v1.0.0.\n\n"
        "### Client\n\n"
        "The Python API since v1.0.0, as griffe compares it:\n\n"
        f"- `{PACKAGE}.Api.list` (breaking): public object was removed\n"
        f"- `{PACKAGE}.Api.count` (added): new public function\n"
        f"- `{PACKAGE}.Api.list_all` (added): new public function\n\n"
        "### Notes\n\n`list` is `list_all` now.\n"
    )
    assert render_entry(plan_release(root)) in target.read_text("utf-8")

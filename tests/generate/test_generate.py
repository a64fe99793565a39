from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contract.errors import LintError, StaleOutputError
from contract.generate import check, check_against, compare_trees, generate, sync_tree
from contract.layout import GENERATED_DIR, SPEC_ROOT
from tests.conftest import SpecEditor


@pytest.fixture(scope="module")
def fresh_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generation run from the contract, shared by the tests that only read its output."""
    output = tmp_path_factory.mktemp("fresh") / "generated"
    generate(SPEC_ROOT, output)
    return output


def test_committed_output_matches_the_spec(fresh_output: Path) -> None:
    """What `make check-generated` checks, against the shared run instead of a run of its own."""
    check_against(fresh_output, GENERATED_DIR)


def test_generation_is_byte_identical_across_runs_and_folders(fresh_output: Path) -> None:
    """`check` regenerates in a temporary folder of its own, so this is a second run made
    elsewhere; it must not differ from the shared one in any byte."""
    check(SPEC_ROOT, fresh_output)


def test_output_carries_no_absolute_paths(fresh_output: Path) -> None:
    for path in fresh_output.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            assert str(Path.cwd()) not in text, path
            assert "/tmp/" not in text, path


def test_a_spec_change_without_regenerating_names_the_stale_file_with_a_diff(
    fresh_output: Path, two_resources: Path, tmp_path: Path
) -> None:
    """The session's run of the two-resource fixture stands for the contract after a change
    (a resource added); the shared run stands for the output committed before it."""
    committed = tmp_path / "committed"
    shutil.copytree(fresh_output, committed)

    with pytest.raises(StaleOutputError) as raised:
        check_against(two_resources, committed)

    message = str(raised.value)
    assert "stale: " in message
    assert "openapi.yaml" in message
    assert "+  /segments:" in message
    assert "run `make generate`" in message


def test_leftover_and_missing_files_are_reported(fresh_output: Path, tmp_path: Path) -> None:
    committed = tmp_path / "committed"
    shutil.copytree(fresh_output, committed)
    (committed / "openapi.json").unlink()
    (committed / "orphan.py").write_text("x = 1\n", "utf-8")

    report = compare_trees(fresh_output, committed, "generated")

    assert "missing from generated: openapi.json" in report
    assert "not produced by the spec, but in generated: orphan.py" in report


def test_generation_refuses_a_spec_that_fails_lint(
    spec_copy: Path, edit_spec: SpecEditor, tmp_path: Path
) -> None:
    edit_spec("shared/parameters/count.yaml", lambda doc: doc.update(example=-1))

    with pytest.raises(LintError, match="no-invalid-parameter-examples"):
        generate(spec_copy, tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_regenerating_rewrites_only_what_changed_and_removes_leftovers(
    fresh_output: Path, tmp_path: Path
) -> None:
    """A run over committed output replaces changed files and leaves the others untouched, so
    a server or test that imports generated/ while `make generate` runs never finds it gone."""
    committed = tmp_path / "committed"
    shutil.copytree(fresh_output, committed)
    (committed / "openapi.json").write_text("{}", "utf-8")
    (committed / "orphans" / "deep").mkdir(parents=True)
    (committed / "orphans" / "deep" / "orphan.py").write_text("x = 1\n", "utf-8")
    (committed / "client" / "__pycache__").mkdir(exist_ok=True)
    (committed / "client" / "__pycache__" / "kept.pyc").write_bytes(b"cache")
    untouched = committed / "openapi.yaml"
    before = untouched.stat().st_ino, untouched.stat().st_mtime_ns

    sync_tree(fresh_output, committed)

    assert compare_trees(fresh_output, committed, "generated") == []
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == before
    assert not (committed / "orphans").exists()
    assert (committed / "client" / "__pycache__" / "kept.pyc").exists()


def test_a_generation_that_fails_midway_leaves_the_committed_output_whole(
    fresh_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = tmp_path / "committed"
    shutil.copytree(fresh_output, committed)

    def fail(*_: object) -> None:
        raise RuntimeError("the client generator stopped")

    monkeypatch.setattr("contract.generate.generate_client", fail)
    with pytest.raises(RuntimeError, match="client generator stopped"):
        generate(SPEC_ROOT, committed)

    assert compare_trees(fresh_output, committed, "generated") == []

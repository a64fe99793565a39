"""The `run:` steps of every job of every workflow pass, in order, in a fresh clone of this
repository, as GitHub's runner would run them there: so the commands in the workflows are
commands that work. A step that only GitHub can run is named below with the reason; the clone
shares this checkout's installed .venv, .tools and node_modules (the workflows' caches)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract.generate.client_names import client_version
from contract.layout import REPO_ROOT
from contract.spec.source import read_yaml
from tests.ci.actions import run_step
from tests.support.scratch_repo import git

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
INSTALLED = (".venv", ".tools", "node_modules")
STAMPS = (".venv/.synced", "node_modules/.installed")  # what make checks the installs by
# (workflow, step name) -> why it runs on GitHub alone
GITHUB_ONLY = {
    ("pull-request.yml", "make test, then the conformance run"): "it is `bash .ci/run`, which CI"
    " runs on this commit, around this very test",
    ("pull-request.yml", "Install git, which the checkout needs for a work tree with history"): (
        "apt-get as root in the job's container; the clone here has git"
    ),
    (
        "pull-request.yml",
        "Trust the work tree, which the runner's user owns, for git run as root",
    ): ("it writes the global git configuration, which here is a developer's own"),
    ("release.yml", "Attach them to the release"): "it calls GitHub's API with the job's token",
}
# What the github context holds in each workflow's run here: a pull request into main, a push
# of the tag of the client's version.
GITHUB = {"base_ref": "main", "ref_name": f"v{client_version()}", "token": "unused"}
PREVIOUS_RELEASE = ("v2.0.0", "d9fd4902f7ad0786e8e1e3757f92177aed58cb34")


def workflow_steps() -> Iterator[object]:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        definition: Any = read_yaml(path)
        for job_name, job in definition["jobs"].items():
            steps = [step for step in job.get("steps", []) if "run" in step]
            if any((path.name, step.get("name")) not in GITHUB_ONLY for step in steps):
                yield pytest.param(path.name, steps, id=f"{path.stem}-{job_name}")


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh clone of this checkout's commit, as a pull request into main sees it (origin/main
    at that commit), with the client version's tag on it and the release before it tagged
    where history has it, and the installs linked in."""
    folder = tmp_path / "clone"
    head = git(REPO_ROOT, "rev-parse", "HEAD")
    git(REPO_ROOT.parent, "clone", "-q", "--no-checkout", str(REPO_ROOT), str(folder))
    git(folder, "checkout", "-q", head)
    git(folder, "update-ref", "refs/remotes/origin/main", head)
    for name in INSTALLED:
        (folder / name).symlink_to(REPO_ROOT / name)
    with (folder / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("".join(f"/{name}\n" for name in INSTALLED))  # links, not folders
    for stamp in STAMPS:  # what the workflows' step after a cache hit does
        os.utime(REPO_ROOT / stamp)
    git(folder, "tag", "-f", GITHUB["ref_name"])  # the tag pushed, on this commit
    previous, commit = PREVIOUS_RELEASE
    has = subprocess.run(["git", "cat-file", "-e", commit], cwd=folder, check=False)
    taken = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", previous], cwd=folder, check=False
    )
    if has.returncode == 0 and taken.returncode != 0:
        git(folder, "tag", previous, commit)
    return folder


@pytest.mark.parametrize(("workflow", "steps"), list(workflow_steps()))
def test_the_run_steps_of_the_job_pass_in_a_fresh_clone(
    workflow: str, steps: list[dict[str, Any]], clone: Path, tmp_path: Path
) -> None:
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    files = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    ran = []
    for step in steps:
        name = step.get("name", step["run"].splitlines()[0])
        if (workflow, name) in GITHUB_ONLY:
            continue
        result = run_step(step, str(clone), {}, GITHUB, files)
        assert result.returncode == 0, f"{workflow}: {name}\n{result.stdout}{result.stderr}"
        ran.append(name)

    assert ran, f"{workflow}: no step ran here"
    if "Breaking changes against the base branch" in ran:
        assert summary.read_text("utf-8").strip(), "make breaking wrote no job summary"
    if "The release notes, the tag's entry of CHANGELOG.md" in ran:
        assert (clone / "dist" / "NOTES.md").read_text("utf-8").strip()


def step_named(workflow: str, name: str) -> dict[str, Any]:
    definition: Any = read_yaml(WORKFLOWS / workflow)
    steps = [s for job in definition["jobs"].values() for s in job.get("steps", [])]
    (step,) = [s for s in steps if s.get("name") == name]
    return dict(step)


def test_the_breaking_step_fails_on_a_break_and_still_writes_the_summary(
    clone: Path, tmp_path: Path
) -> None:
    step = step_named("pull-request.yml", "Breaking changes against the base branch")
    parameter = clone / "openapi" / "resources" / "event_groups" / "parameters" / "text_id.yaml"
    text = parameter.read_text("utf-8")
    assert "required: false" in text
    parameter.write_text(text.replace("required: false", "required: true"), "utf-8")
    git(clone, "commit", "-qam", "text_id required")
    summary = tmp_path / "summary.md"

    result = run_step(step, str(clone), {}, GITHUB, {"GITHUB_STEP_SUMMARY": str(summary)})

    assert result.returncode != 0, result.stdout + result.stderr
    assert summary.exists(), result.stdout + result.stderr
    assert "text_id" in summary.read_text("utf-8")
    assert "::error" in result.stdout  # the annotations of FORMAT=github


def test_a_tag_that_is_not_the_clients_version_is_refused(clone: Path) -> None:
    step = step_named("release.yml", "The tag names the client's version")

    result = run_step(step, str(clone), {}, {**GITHUB, "ref_name": "v0.0.1"}, {})

    assert result.returncode == 1
    assert f"tag v0.0.1 is not v{client_version()}" in result.stdout

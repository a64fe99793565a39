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


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh clone of this repository's main branch, with origin/main, the client version's
    tag on it and the release before it tagged, and the installs linked in."""
    folder = tmp_path / "clone"
    git(REPO_ROOT.parent, "clone", "-q", "--branch", "main", str(REPO_ROOT), str(folder))
    for name in INSTALLED:
        (folder / name).symlink_to(REPO_ROOT / name)
    with (folder / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("".join(f"/{name}\n" for name in INSTALLED))  # links, not folders
    for stamp in STAMPS:  # newer than the clone's lock files: make installs nothing again
        os.utime(REPO_ROOT / stamp)
    git(folder, "tag", GITHUB["ref_name"])
    previous, commit = PREVIOUS_RELEASE
    if subprocess.run(["git", "cat-file", "-e", commit], cwd=folder).returncode == 0:
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
    if workflow == "pull-request.yml" and "Breaking changes against the base branch" in ran:
        assert summary.read_text("utf-8").strip(), "make breaking wrote no job summary"

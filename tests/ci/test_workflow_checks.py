"""`make ci-lint` passes on .github/ as committed, and each of its two checkers fails on a copy
of it with a fault planted: an action pinned by tag (zizmor), an untrusted value expanded into
a script (both), a step output that no step writes (actionlint)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from contract.layout import REPO_ROOT
from contract.spec.source import read_yaml

TOOLS = REPO_ROOT / ".venv" / "bin"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"


def zizmor(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [str(TOOLS / "zizmor"), "--offline", "--no-progress", "--quiet", ".github"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def actionlint(folder: Path) -> subprocess.CompletedProcess[str]:
    workflows = sorted(str(p) for p in (folder / ".github" / "workflows").glob("*.yml"))
    command = [str(TOOLS / "actionlint"), "-no-color", *workflows]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def test_the_committed_workflows_and_action_pass_both() -> None:
    assert zizmor(REPO_ROOT).returncode == 0
    assert actionlint(REPO_ROOT).returncode == 0


def pinned_by_tag(text: str) -> str:
    assert CHECKOUT in text
    return text.replace(CHECKOUT, "actions/checkout@v7")


def untrusted_title(text: str) -> str:
    return text + '      - run: echo "${{ github.event.pull_request.title }}"\n'


def unknown_step_output(text: str) -> str:
    return text + '      - run: echo "$X"\n        env:\n          X: ${{ steps.nope.outputs.x }}\n'


Checker = Callable[[Path], subprocess.CompletedProcess[str]]


@pytest.mark.parametrize(
    ("fault", "checker", "reported"),
    [
        (pinned_by_tag, zizmor, "unpinned-uses"),
        (untrusted_title, zizmor, "template-injection"),
        (untrusted_title, actionlint, "potentially untrusted"),
        (unknown_step_output, actionlint, 'property "nope" is not defined'),
    ],
    ids=["zizmor-tag-pin", "zizmor-injection", "actionlint-injection", "actionlint-output"],
)
def test_a_planted_fault_fails_its_checker(
    fault: Callable[[str], str], checker: Checker, reported: str, tmp_path: Path
) -> None:
    shutil.copytree(REPO_ROOT / ".github", tmp_path / ".github")
    workflow = tmp_path / ".github" / "workflows" / "pull-request.yml"
    workflow.write_text(fault(workflow.read_text("utf-8")), "utf-8")

    result = checker(tmp_path)

    assert result.returncode != 0
    assert reported in result.stdout + result.stderr


def test_the_pre_commit_hooks_are_valid_and_run_make_targets_that_exist() -> None:
    config = REPO_ROOT / ".pre-commit-config.yaml"
    validated = subprocess.run(
        [str(TOOLS / "pre-commit"), "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    targets = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.split()

    assert validated.returncode == 0, validated.stdout + validated.stderr
    entries = [hook["entry"] for repo in read_yaml(config)["repos"] for hook in repo["hooks"]]
    assert entries == ["make lint", "make check-generated", "make ci-lint"]
    assert all(entry.split()[1] in targets for entry in entries)


def test_the_providers_sample_workflow_in_the_docs_passes_both(tmp_path: Path) -> None:
    page = (REPO_ROOT / "docs" / "ci.md").read_text("utf-8")
    (sample,) = re.findall(r"```yaml\n(# \.github/workflows/conformance\.yml.*?)```", page, re.S)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "conformance.yml").write_text(sample.replace("<full commit SHA>", "a" * 40), "utf-8")

    linted, audited = actionlint(tmp_path), zizmor(tmp_path)

    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert audited.returncode == 0, audited.stdout + audited.stderr

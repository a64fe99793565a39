"""Run the `run:` steps of a GitHub Actions composite action here, as the runner would: in
order, each with bash (`-eo pipefail`), its `env:` and `working-directory:`, the `${{ }}`
expressions the steps use filled in, and $GITHUB_OUTPUT a file. A `uses:` step (an action of
GitHub's, such as upload-artifact) is left to GitHub."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.spec.source import read_yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
# Variables of the caller's shell that the action reads: a test sets them itself.
ACTION_VARIABLES = ("BASE_URL", "AUTH", "AUTH_FILE", "MAX_EXAMPLES", "MIN_COVERAGE", "REPORTS")


@dataclass(frozen=True)
class StepsRun:
    exit_code: int
    outputs: dict[str, str]
    output: str  # what the steps printed, stdout and stderr


def evaluate(text: str, inputs: Mapping[str, str], github: Mapping[str, str]) -> str:
    """`text` with each `${{ inputs.x }}` and `${{ github.x }}` replaced; any other expression
    is refused, so a step this runner cannot reproduce fails the test instead of passing."""

    def value(match: re.Match[str]) -> str:
        context, _, name = match[1].partition(".")
        found = {"inputs": inputs, "github": github}.get(context, {})
        if name not in found:
            raise ValueError(f"no value for the expression {match[0]}")
        return found[name]

    return EXPRESSION.sub(value, text)


def run_step(
    step: Mapping[str, Any],
    folder: str,
    inputs: Mapping[str, str],
    github: Mapping[str, str],
    files: Mapping[str, str],
) -> subprocess.CompletedProcess[str]:
    """One `run:` step with bash as the runner calls it, its `env:` evaluated, and `files`
    (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) in its environment."""
    env = {name: evaluate(str(v), inputs, github) for name, v in (step.get("env") or {}).items()}
    base = {k: v for k, v in os.environ.items() if k not in ACTION_VARIABLES}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=folder,
        env={**base, **env, **files},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def run_action_steps(action: Path, given: Mapping[str, str], workspace: Path) -> StepsRun:
    definition: Any = read_yaml(action)
    github = {"action_path": str(action.parent), "workspace": str(workspace), "job": "test"}
    inputs = {
        name: evaluate(str(spec.get("default", "")), {}, github)
        for name, spec in definition["inputs"].items()
    }
    unknown = set(given) - set(inputs)
    if unknown:
        raise ValueError(f"{action} has no inputs {sorted(unknown)}")
    inputs |= given
    outputs_file = workspace / "github-output"
    outputs_file.touch()
    variables = {
        "GITHUB_OUTPUT": str(outputs_file),
        "GITHUB_ACTION_PATH": github["action_path"],
        "GITHUB_WORKSPACE": github["workspace"],
    }
    printed, code = "", 0
    for step in definition["runs"]["steps"]:
        if "run" not in step:
            continue
        folder = evaluate(step.get("working-directory", str(workspace)), inputs, github)
        result = run_step(step, folder, inputs, github, variables)
        printed += result.stdout + result.stderr
        if result.returncode != 0:
            code = result.returncode
            break
    pairs = (line.partition("=") for line in outputs_file.read_text("utf-8").splitlines())
    return StepsRun(code, {name: value for name, _, value in pairs}, printed)

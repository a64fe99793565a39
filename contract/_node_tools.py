"""Run the Node tools that package.json pins (Redocly CLI, Prism) from node_modules."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from contract.errors import ToolError
from contract.layout import NODE_BIN, REPO_ROOT


def run_node_tool(
    tool: str, *args: str, cwd: Path = REPO_ROOT, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `tool` from node_modules/.bin (in the repository root unless `cwd` says otherwise,
    with `env` added to the environment) and return its output; the caller decides what a
    non-zero exit means (a lint failure is not a tool failure)."""
    executable = NODE_BIN / tool
    if not executable.exists():
        raise ToolError(f"{tool} is not installed; run `make node_modules` (npm ci) first")
    return _run(tool, [str(executable), *args], cwd=cwd, env=env)


def _run(
    name: str,
    command: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"{name} could not run: {exc}") from exc

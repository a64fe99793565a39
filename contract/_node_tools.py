"""Run the Node tools that package.json pins (Redocly CLI, Optic, Prism) from node_modules."""

from __future__ import annotations

import os
import shutil
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


def run_node_script(
    script: Path, stdin: str, *, cwd: Path = REPO_ROOT, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one of our Node scripts, which load their modules from node_modules, with `stdin`
    as its input."""
    node = shutil.which("node")
    if node is None:
        raise ToolError("node is not installed; the contract tools need Node.js 20 or later")
    if not NODE_BIN.exists():
        raise ToolError(f"{script.name} needs node_modules; run `make node_modules` first")
    return _run(script.name, [node, str(script)], cwd=cwd, env=env, stdin=stdin)


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

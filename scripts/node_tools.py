"""Run the Node tools that package.json pins (Redocly CLI) from the repository's node_modules."""

from __future__ import annotations

import subprocess

from scripts.errors import ToolError
from scripts.layout import NODE_BIN, REPO_ROOT


def run_node_tool(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tool` from node_modules/.bin in the repository root and return its output; the
    caller decides what a non-zero exit means (a lint failure is not a tool failure)."""
    executable = NODE_BIN / tool
    if not executable.exists():
        raise ToolError(f"{tool} is not installed; run `make node_modules` (npm ci) first")
    env_args = [str(executable), *args]
    try:
        return subprocess.run(
            env_args, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"{tool} could not run: {exc}") from exc

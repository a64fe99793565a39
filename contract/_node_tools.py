"""Run the Node tools that package.json pins (Redocly CLI, Prism) from node_modules."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

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


def bundle_documents(roots: Sequence[Path]) -> list[Any]:
    """Each spec bundled and parsed, in one Redocly process per root run side by side (two
    roots of one name cannot share a run, and a large spec takes seconds each): what `make
    breaking` compares. JSON, because parsing 3 MB of YAML in Python takes longer than
    bundling it."""

    def one(root: Path) -> Any:
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "bundled.json"
            result = run_node_tool(
                "redocly", "bundle", str(root), "--ext", "json", "--output", str(target)
            )
            if result.returncode != 0 or not target.exists():
                raise ToolError(f"redocly bundle failed:\n{result.stderr.strip()}")
            return json.loads(target.read_text("utf-8"))

    with ThreadPoolExecutor(max_workers=max(1, len(roots))) as pool:
        return list(pool.map(one, roots))

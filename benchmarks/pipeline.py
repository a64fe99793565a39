"""`make generate` cold and with nothing to do, in a scratch copy of the work tree, beside each
tool it runs alone on the same spec: the difference is the pipeline's own overhead. The
bootstrap of a fresh clone (a virtualenv from uv.lock, node_modules from package-lock.json) is
timed too, from the local caches, because on a first run it costs more than generating."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from benchmarks.measure import Timing, time_runs
from benchmarks.report import Section
from contract.errors import BenchmarkError
from contract.generate import bundle, generate_client
from contract.layout import REPO_ROOT, SPEC_ROOT
from contract.lint import house_problems, redocly_problems, validator_problems
from contract.spec import assumptions
from contract.spec.source import load_inlined, read_yaml

# Never copied into the scratch tree: history, installs, build output and caches.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "node_modules", "build", "reports", "__pycache__",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", ".schemathesis",
)  # fmt: skip
# The installs are linked into the scratch tree, and make is told they are up to date, so a
# cold run regenerates everything and reinstalls nothing.
LINKED = (".venv", "node_modules")
MAKE_GENERATE = ("make", "--no-print-directory", "-o", ".venv/.synced", "-o",
                 "node_modules/.installed", "generate")  # fmt: skip
COMMAND_TIMEOUT = 300


@dataclass(frozen=True)
class Step:
    name: str
    timing: Timing | None  # None: could not run, `note` says why
    note: str = ""


@dataclass
class PipelineResults:
    cold: Step
    no_op: Step
    tools: list[Step]
    bootstrap: list[Step]


def scratch_copy(folder: Path) -> Path:
    """The work tree as it is (uncommitted changes included), without generated state."""
    tree = folder / "repo"
    shutil.copytree(REPO_ROOT, tree, ignore=NOT_COPIED, symlinks=True)
    for name in LINKED:
        (tree / name).symlink_to(REPO_ROOT / name, target_is_directory=True)
    return tree


def run_command(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
            timeout=COMMAND_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchmarkError(f"{' '.join(command)} could not run: {exc}") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise BenchmarkError(f"{' '.join(command)} failed (exit {result.returncode}):\n{output}")


def make_generate(tree: Path) -> None:
    run_command(list(MAKE_GENERATE), tree)


def time_make_generate(repeats: int) -> tuple[Step, Step]:
    """Cold: a fresh scratch copy each time. No-op: again in the last copy, nothing changed."""
    cold: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as scratch:
        trees = [scratch_copy(Path(scratch) / str(index)) for index in range(repeats)]
        for tree in trees:
            cold += time_runs(partial(make_generate, tree), 1).seconds
        no_op = time_runs(partial(make_generate, trees[-1]), repeats * 2)
    return (
        Step("`make generate`, cold", Timing(cold)),
        Step("`make generate`, nothing changed", no_op),
    )


def python_checks() -> None:
    document, source_map = load_inlined(SPEC_ROOT)
    validator_problems(document, source_map)
    house_problems(document, source_map)


def time_tools(repeats: int) -> list[Step]:
    """Each tool that `make generate` runs, called as the pipeline calls it, on the same spec."""
    with tempfile.TemporaryDirectory(prefix="bench-tools-") as scratch:
        out = Path(scratch)
        bundled, _ = bundle(SPEC_ROOT, out / "bundle")
        tools: list[tuple[str, Callable[[], object]]] = [
            ("Redocly CLI `lint`", lambda: redocly_problems(SPEC_ROOT)),
            ("openapi-spec-validator and house rules (in-process)", python_checks),
            ("Redocly CLI `bundle`", lambda: bundle(SPEC_ROOT, out / "bundle")),
            (
                "openapi-python-client, then datamodel-codegen (the client and its models)",
                lambda: generate_client(bundled, out / "client"),
            ),
            (
                "assumptions table (in-process)",
                lambda: assumptions.render_table(read_yaml(bundled)),
            ),
        ]
        return [Step(name, time_runs(action, repeats)) for name, action in tools]


def time_bootstrap() -> list[Step]:
    """What a fresh clone installs before its first generation, from the local caches only
    (offline), once each: the uv and npm downloads are not timed."""
    steps: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="bench-bootstrap-") as scratch:
        folder = Path(scratch)
        for name in ("pyproject.toml", "uv.lock", "package.json", "package-lock.json"):
            shutil.copyfile(REPO_ROOT / name, folder / name)
        uv = REPO_ROOT / ".tools" / "bin" / "uv"
        commands = [
            (
                "uv sync into a new .venv (offline, from uv's cache)",
                [str(uv), "sync", "--locked", "--offline", "--quiet", "--python", "python3"],
                {"UV_PROJECT_ENVIRONMENT": str(folder / ".venv")},
            ),
            (
                "npm ci into a new node_modules (offline, from npm's cache)",
                ["npm", "ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"],
                {},
            ),
        ]
        steps += [bootstrap_step(name, command, env, folder) for name, command, env in commands]
    return steps


def bootstrap_step(name: str, command: list[str], env: dict[str, str], folder: Path) -> Step:
    try:
        return Step(name, time_runs(lambda: run_command(command, folder, env), 1))
    except BenchmarkError as exc:
        return Step(name, None, f"not timed: {str(exc).splitlines()[0]}")


def run(repeats: int) -> PipelineResults:
    cold, no_op = time_make_generate(repeats)
    return PipelineResults(cold, no_op, time_tools(repeats), time_bootstrap())


def section(results: PipelineResults) -> Section:
    table = Section("pipeline", "Generate", ["Step", "Median s", "Runs"])
    timed_tools = [step.timing.median for step in results.tools if step.timing is not None]
    for step in [results.cold, results.no_op, *results.tools]:
        table.add(step.name, None if step.timing is None else step.timing.median,
                  0 if step.timing is None else step.timing.runs)  # fmt: skip
    total = sum(timed_tools)
    table.add("the tools above, together", total, "")
    if results.cold.timing is not None:
        table.add("pipeline's own overhead (cold run minus the tools)",
                  results.cold.timing.median - total, "")  # fmt: skip
    for step in results.bootstrap:
        table.add(step.name, None if step.timing is None else step.timing.median,
                  0 if step.timing is None else step.timing.runs)  # fmt: skip
        if step.note:
            table.notes.append(f"{step.name}: {step.note}")
    table.notes.append(
        "Cold: `make generate` in a fresh copy of the work tree with the installed .venv and "
        "node_modules linked in (lint, bundle, models, client, assumptions table). The tools run "
        "alone as the pipeline calls them. The installs are what a fresh clone adds to its "
        "first `make generate`."
    )
    return table

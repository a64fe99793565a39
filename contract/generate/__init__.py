"""`make generate`: lint the spec, then write everything derived from it into generated/
(the bundled spec, Pydantic models, the client package) and the generated tables of the docs
pages (docs/assumptions.md, docs/breaking-changes.md). `--check` regenerates into a temporary
folder and fails with a diff when the committed output is stale."""

from __future__ import annotations

import difflib
import filecmp
import shutil
import tempfile
from pathlib import Path

from contract.errors import LintError, StaleOutputError
from contract.generate._bundle import bundle, bundle_each
from contract.generate._codegen import generate_client, generate_models
from contract.layout import ASSUMPTIONS_PAGE, BREAKING_PAGE, display_path
from contract.lint import lint
from contract.spec import assumptions, change_rules
from contract.spec.source import read_yaml

__all__ = [
    "CACHE_DIRS",
    "bundle",
    "bundle_each",
    "check",
    "check_against",
    "generate",
    "generate_client",
    "generate_models",
    "refresh_doc_tables",
]


def generate(root: Path, output_dir: Path) -> None:
    """Lint, then rebuild `output_dir` from scratch so removed outputs do not linger."""
    problems = lint(root)
    if problems:
        raise LintError("\n".join(map(str, problems)) + f"\n{len(problems)} problem(s)")
    if output_dir.exists():
        shutil.rmtree(output_dir)
    bundled, _ = bundle(root, output_dir)
    generate_models(bundled, output_dir / "models")
    generate_client(bundled, output_dir / "client")


def doc_tables(bundled: Path) -> list[tuple[Path, str]]:
    """Each docs page that holds a generated table, with its text as the contract makes it:
    the documented-vs-assumed table of `bundled`, and the rules of behaviour changes."""
    pages = []
    for page, replace_block, table in (
        (ASSUMPTIONS_PAGE, assumptions.replace_block, assumptions.render_table(read_yaml(bundled))),
        (BREAKING_PAGE, change_rules.replace_block, change_rules.rules_table()),
    ):
        pages.append((page, replace_block(page.read_text("utf-8"), table, page)))
    return pages


def refresh_doc_tables(output_dir: Path) -> None:
    """Write the generated tables of the docs pages (doc_tables) from the bundle in
    `output_dir`: call it for the contract's own output, not a fixture's."""
    for page, text in doc_tables(output_dir / "openapi.yaml"):
        page.write_text(text, "utf-8")


# Caches that tools and imports leave beside generated code; git ignores them too.
CACHE_DIRS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"})


def tree_files(top: Path) -> set[str]:
    return {
        p.relative_to(top).as_posix()
        for p in top.rglob("*")
        if p.is_file() and not CACHE_DIRS.intersection(p.relative_to(top).parts)
    }


def compare_trees(expected: Path, actual: Path, label: str) -> list[str]:
    """Human-readable differences between the fresh output and the committed one."""
    fresh, committed = tree_files(expected), tree_files(actual)
    report = [f"missing from {label}: {name}" for name in sorted(fresh - committed)]
    report += [
        f"not produced by the spec, but in {label}: {name}" for name in sorted(committed - fresh)
    ]
    for name in sorted(fresh & committed):
        if filecmp.cmp(expected / name, actual / name, shallow=False):
            continue
        try:
            new = (expected / name).read_text("utf-8").splitlines(keepends=True)
            old = (actual / name).read_text("utf-8").splitlines(keepends=True)
        except UnicodeDecodeError:
            report.append(f"stale (binary): {label}/{name}")
            continue
        diff = difflib.unified_diff(
            old, new, f"{label}/{name} (committed)", f"{label}/{name} (from spec)"
        )
        report.append(f"stale: {label}/{name}\n" + "".join(diff))
    return report


def check(root: Path, committed: Path) -> None:
    """Regenerate from `root` into a temporary folder and compare with `committed`."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        generate(root, fresh)
        check_against(fresh, committed)


def check_against(fresh: Path, committed: Path) -> None:
    """Fail with a diff when `committed` or a generated table of the docs pages differs from
    `fresh`, the output of a generation run."""
    report = compare_trees(fresh, committed, display_path(committed))
    for page, text in doc_tables(fresh / "openapi.yaml"):
        if page.read_text("utf-8") != text:
            report.append(f"stale: {display_path(page)} (its generated table)")
    if report:
        raise StaleOutputError(
            "\n".join(report) + "\ngenerated output is stale: run `make generate` and commit it"
        )

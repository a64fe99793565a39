"""`make generate`: lint the spec, then write everything derived from it into generated/
(the bundled spec, the client package with its Pydantic models) and the generated tables of the docs
pages (docs/assumptions.md, docs/breaking-changes.md). `--check` regenerates into a temporary
folder and fails with a diff when the committed output is stale."""

from __future__ import annotations

import difflib
import filecmp
import shutil
import tempfile
from pathlib import Path

from contract import breaking
from contract.errors import LintError, StaleOutputError
from contract.generate._bundle import bundle, bundle_each
from contract.generate._client_checks import client_problems
from contract.generate._codegen import generate_client
from contract.generate.client_names import client_version
from contract.layout import ASSUMPTIONS_PAGE, BREAKING_PAGE, CLIENT_CONFIG, display_path
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
    "refresh_doc_tables",
    "sync_tree",
]


def generate(root: Path, output_dir: Path, config: Path | None = None) -> None:
    """Lint, refuse what would stop the client generator (_client_checks), build the whole
    output in a temporary folder, then bring `output_dir` in line with it: a failed run leaves
    the committed output whole, an unchanged spec rewrites no file, and a test or server
    reading `output_dir` meanwhile never finds it half deleted. `config` is
    openapi-python-client's settings (CLIENT_CONFIG); one without a valid client version of
    its own is refused before anything runs, as the generator would quietly give the client
    the spec's info.version."""
    config = config or CLIENT_CONFIG
    client_version(path=config)
    # Each problem as `file:line #/pointer [rule] message`, before any generator runs.
    problems = lint(root) or client_problems(root)
    if problems:
        raise LintError("\n".join(map(str, problems)) + f"\n{len(problems)} problem(s)")
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "generated"
        bundled, _ = bundle(root, fresh)
        generate_client(bundled, fresh / "client", config)
        sync_tree(fresh, output_dir)


def sync_tree(fresh: Path, target: Path) -> None:
    """Make `target` hold exactly the files of `fresh`: each changed file replaced in one rename,
    files `fresh` lacks removed (so removed outputs do not linger), identical ones left alone."""
    wanted, present = tree_files(fresh), tree_files(target) if target.exists() else set()
    for name in sorted(wanted):
        source, destination = fresh / name, target / name
        if name in present and filecmp.cmp(source, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.partial")
        shutil.copyfile(source, partial)
        partial.replace(destination)
    for name in sorted(present - wanted):
        (target / name).unlink()
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not CACHE_DIRS.intersection(folder.relative_to(target).parts) and not any(
            folder.iterdir()
        ):
            folder.rmdir()


def doc_tables(bundled: Path) -> list[tuple[Path, str]]:
    """Each docs page that holds generated tables, with its text as the contract makes it:
    the documented-vs-assumed table of `bundled`, the rules of `make breaking` and those of
    behaviour changes."""
    blocks = (
        (ASSUMPTIONS_PAGE, assumptions.replace_block, assumptions.render_table(read_yaml(bundled))),
        (BREAKING_PAGE, breaking.replace_rules_block, breaking.rules_table()),
        (BREAKING_PAGE, change_rules.replace_block, change_rules.rules_table()),
    )
    texts: dict[Path, str] = {}
    for page, replace_block, table in blocks:
        texts[page] = replace_block(texts.get(page) or page.read_text("utf-8"), table, page)
    return list(texts.items())


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

"""`make breaking`: compare the spec in the work tree with the spec at a git reference
(BASE, default: the latest release tag, else main), or any two spec files (OLD and NEW: the
spec a client was built from and the one a provider just published), print each change as
breaking, compatible or to review with its JSON pointer and a reason, and fail when a change
breaks clients without a major bump of info.version. A generated client of the old spec must
keep working."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from contract._node_tools import bundle_documents
from contract.breaking._catalog import DEPRECATIONS, rules_table
from contract.breaking._catalog import replace_block as replace_rules_block
from contract.breaking._compare import Report, classify, compare, compare_all, major
from contract.breaking._formats import FORMATS, render
from contract.breaking._git_spec import default_base, extract_spec
from contract.breaking._sources import with_sources
from contract.errors import SpecLoadError
from contract.layout import display_path
from contract.lint import lint
from contract.spec.source import read_yaml

__all__ = [
    "DEPRECATIONS",
    "FORMATS",
    "Report",
    "check",
    "check_files",
    "classify",
    "compare",
    "compare_all",
    "render",
    "replace_rules_block",
    "rules_table",
    "summary",
]


def check(spec_root: Path, base_ref: str | None, *, lint_head: bool = False) -> tuple[str, Report]:
    """Bundle the spec at `base_ref` and the one at `spec_root` (side by side, with Redocly)
    and compare the two bundles; with `lint_head`, the report also holds what `make lint`
    finds in `spec_root` (a compatible change that CI would still reject)."""
    ref = base_ref or default_base(spec_root.resolve().parent)
    with tempfile.TemporaryDirectory() as scratch:
        extracted = Path(scratch) / "base"
        base_root = extract_spec(ref, spec_root, extracted)

        def name(path: Path) -> str:  # a file of the extracted base as the repository has it
            resolved, folder = path.resolve(), extracted.resolve()
            if resolved.is_relative_to(folder):
                return resolved.relative_to(folder).as_posix()
            return display_path(path)

        base, head = bundle_documents([base_root, spec_root])
        report = with_sources(classify(base, head), base_root, spec_root, name)
    if not lint_head:
        return ref, report
    return ref, dataclasses.replace(report, lint=tuple(lint(spec_root)))


def check_files(old: Path, new: Path) -> Report:
    """Bundle two spec files (a split spec's root or a single file, YAML or JSON) and compare
    them; a file that is missing or no spec is a SpecLoadError naming it."""
    for path in (old, new):
        if not path.is_file():
            raise SpecLoadError(f"{path}: no such file (OLD and NEW name two spec files)")
        read_yaml(path)  # a clear error for what is no YAML or JSON before Redocly sees it
    base, head = bundle_documents([old.resolve(), new.resolve()])
    return with_sources(classify(base, head), old, new, display_path)


def summary(ref: str, report: Report, spec_root: Path) -> str:
    """The closing line: what was compared, how many changes of each kind, and the verdict."""
    versions = f"info.version {report.base_version} -> {report.head_version}"
    counted = f"{len(report.breaking)} breaking, {len(report.compatible)} compatible change(s)"
    if report.review:
        counted += f", {len(report.review)} to review"
    against = f"{display_path(spec_root)} against {ref}"
    linted = ""
    if report.lint:
        linted = (
            f"; but `make lint` finds {len(report.lint)} problem(s) in {display_path(spec_root)}, "
            "listed with the changes: CI rejects the change until they are fixed"
        )
    if not report.changes:
        return f"no changes to the contract: {against} ({versions}){linted}"
    if not report.breaking:
        return f"{counted}: {against}; nothing breaks ({versions}){linted}"
    if report.major_bump:
        return (
            f"{counted}: {against}; the breaking ones are accepted by the major bump "
            f"({versions}){linted}"
        )
    old_major = major(report.base_version)
    bump = f"to {old_major + 1}.0.0" if old_major is not None else "to a new major version"
    return (
        f"{counted}: {against}; breaking change(s) without a major version bump ({versions}): "
        f"undo the change(s) marked breaking, or bump info.version {bump} if the break is "
        f"intended{linted}"
    )

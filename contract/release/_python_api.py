"""The generated client's Python API at a release tag against the work tree's, as griffe reads
both without importing them: what breaks code written against the release (a removed method,
a removed or moved parameter, one that became required, a changed default, ...), which asks
for a major version of the client, and what is new (a public object or parameter), which
asks for a minor one.

Griffe compares signatures, not types: it does not see a parameter, attribute or return type
narrowed, nor any change of behaviour; docs/releases.md lists what it leaves to a reviewer."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import griffe

from contract._git import extract_folder

BREAKING, ADDED = "breaking", "added"


@dataclass(frozen=True, order=True)
class ApiChange:
    """One change of the client's public Python API: `path` is the dotted path of what
    changed (with the parameter in brackets), `kind` BREAKING or ADDED."""

    path: str
    kind: str
    detail: str

    @property
    def breaking(self) -> bool:
        return self.kind == BREAKING

    def __str__(self) -> str:
        return f"`{self.path}` ({self.kind}): {self.detail}"


def _load(project: Path, package: str) -> griffe.Object | griffe.Alias:
    """The package from `project` alone (not from the installed one), read, never imported:
    the code at a tag is not run."""
    return griffe.load(package, search_paths=[project], allow_inspection=False)


def _values(breakage: griffe.Breakage) -> str:
    old, new = breakage.old_value, breakage.new_value
    kind = breakage.kind
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
        return f": {old.default} -> {new.default}"
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_KIND:
        return f": {old.kind.value} -> {new.kind.value}"
    if kind is griffe.BreakageKind.PARAMETER_MOVED:
        return f" ({breakage.details})"
    if kind is griffe.BreakageKind.OBJECT_CHANGED_KIND:
        return f": {old.value} -> {new.value}"
    if kind is griffe.BreakageKind.RETURN_CHANGED_TYPE:
        return f": {old} -> {new}"
    if kind is griffe.BreakageKind.CLASS_REMOVED_BASE:
        return f": {', '.join(map(str, old))} -> {', '.join(map(str, new)) or 'none'}"
    return ""


def _breaking(breakage: griffe.Breakage) -> ApiChange:
    parameter = next(
        (v for v in (breakage.old_value, breakage.new_value) if isinstance(v, griffe.Parameter)),
        None,
    )
    path = breakage.obj.path + (f"({parameter.name})" if parameter is not None else "")
    what = breakage.kind.value
    return ApiChange(path, BREAKING, what[0].lower() + what[1:] + _values(breakage))


def _target(member: griffe.Object | griffe.Alias) -> griffe.Object | griffe.Alias | None:
    """What an alias (an import) stands for, or None when griffe cannot resolve it (an
    import from outside the package)."""
    try:
        return member.final_target if isinstance(member, griffe.Alias) else member
    except griffe.AliasResolutionError:
        return None


def _additions(
    old: griffe.Object | griffe.Alias, new: griffe.Object | griffe.Alias, seen: set[str]
) -> Iterator[ApiChange]:
    """Public objects of `new` that `old` lacks, and new parameters of functions both have
    (a required one is a break, which griffe reports)."""
    before = old.all_members
    for name, member in new.all_members.items():
        if not member.is_public:
            continue
        now = _target(member)
        if name not in before:
            kind = now.kind.value if now is not None else "object"
            yield ApiChange(member.path, ADDED, f"new public {kind}")
            continue
        then = _target(before[name])
        if now is None or then is None or now.path in seen or now.kind is not then.kind:
            continue
        seen.add(now.path)
        if now.is_module or now.is_class:
            yield from _additions(then, now, seen)
        elif isinstance(now, griffe.Function) and isinstance(then, griffe.Function):
            known = {parameter.name for parameter in then.parameters}
            yield from (
                ApiChange(f"{now.path}({parameter.name})", ADDED, "new optional parameter")
                for parameter in now.parameters
                if parameter.name not in known and not parameter.required
            )


def compare(
    old_project: Path, old_package: str, new_project: Path, new_package: str
) -> list[ApiChange]:
    """The changes from the package `old_package` in the folder `old_project` to
    `new_package` in `new_project`: breaking ones first, each group by path."""
    if old_package != new_package:
        return [ApiChange(old_package, BREAKING, f"the package is imported as {new_package} now")]
    old, new = _load(old_project, old_package), _load(new_project, new_package)
    breaking = {_breaking(breakage) for breakage in griffe.find_breaking_changes(old, new)}
    return sorted(breaking) + sorted(set(_additions(old, new, set())))


def changes_since(
    repo: Path, ref: str, project: Path, old_package: str, new_package: str
) -> list[ApiChange] | None:
    """The changes of the client's package since `ref`, where `project` (inside `repo`) is the
    client's project in the work tree; None when `ref` holds no such package, which then had
    no Python API to break."""
    inside = (project / old_package).relative_to(repo).as_posix()
    with tempfile.TemporaryDirectory(prefix="client-api-") as scratch:
        if extract_folder(repo, ref, inside, Path(scratch)) is None:
            return None
        old_project = Path(scratch) / project.relative_to(repo)
        return compare(old_project, old_package, project, new_package)

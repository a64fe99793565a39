"""The handwritten packages depend on each other in one direction only: the contract library
knows none of the others, the command lines (scripts) and the reference server build on it,
benchmarks measure all of them. A cycle would make a package impossible to read, test or
ship on its own."""

from __future__ import annotations

import ast
from pathlib import Path

from contract.layout import REPO_ROOT

PACKAGES = ("contract", "scripts", "reference_server", "benchmarks")
# What each package may import of the others.
ALLOWED = {
    "contract": set(),
    "scripts": {"contract"},
    "reference_server": {"contract"},
    "benchmarks": {"contract", "reference_server"},
}


def imported_packages(package: str) -> dict[str, set[str]]:
    """Each other package `package` imports -> the files that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, set()).add(path.relative_to(REPO_ROOT).as_posix())
    return found


def test_no_package_imports_one_it_must_not() -> None:
    wrong = {
        f"{package} -> {other}": sorted(files)
        for package in PACKAGES
        for other, files in imported_packages(package).items()
        if other not in ALLOWED[package]
    }

    assert wrong == {}


def test_no_two_packages_import_each_other() -> None:
    edges = {(p, other) for p in PACKAGES for other in imported_packages(p)}

    assert sorted((a, b) for a, b in edges if (b, a) in edges) == []


def private_imports() -> dict[str, str]:
    """`file -> module` for each import of a private (`_`) module from outside the package
    that holds it: the private modules are that package's plumbing, free to change."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            importer = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                modules = []
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                for module in modules:
                    parts = module.split(".")
                    for index, part in enumerate(parts):
                        owner = ".".join(parts[:index])
                        if part.startswith("_") and not part.startswith("__"):
                            if not (importer + ".").startswith(owner + "."):
                                found[path.relative_to(REPO_ROOT).as_posix()] = module
                            break
    return found


def test_private_modules_are_imported_only_inside_their_package() -> None:
    assert private_imports() == {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of the nodes under `if TYPE_CHECKING:`, which run for type checkers only."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            found |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return found


def module_imports(package: str) -> dict[str, set[str]]:
    """Each module of `package` -> the modules of `package` it imports, at any depth of its
    code (an import inside a function is a dependency too)."""
    paths = sorted((REPO_ROOT / package).rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        tree = ast.parse(path.read_text("utf-8"))
        skipped = type_checking_only(tree)
        found = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [
                    f"{node.module}.{a.name}"
                    if f"{node.module}.{a.name}" in modules
                    else node.module
                    for a in node.names
                ]
            found |= {name for name in names if name in modules}
        graph[module_name(path)] = found - {module_name(path)}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each reported once, from where it was met)."""
    found: list[list[str]] = []
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        path.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target)
        path.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    return found


def test_the_modules_of_the_contract_library_import_each_other_in_one_direction_only() -> None:
    """A cycle, even through an import inside a function, makes a module impossible to read
    or test on its own: the conformance checks reach the run only through their registry."""
    graph = module_imports("contract")

    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles(graph) == []
    assert "contract.conformance._runner" not in graph["contract.conformance.checks.auth"]

"""The handwritten packages depend on each other in one direction only: the contract library
knows none of the others, the command lines (scripts) and the reference server build on it,
benchmarks measure all of them. A cycle would make a package impossible to read, test or
ship on its own."""

from __future__ import annotations

import ast

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

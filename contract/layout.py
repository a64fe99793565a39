"""Where things live in the repository: the one place tools and tests learn paths from."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO_ROOT / "openapi"
SPEC_ROOT = SPEC_DIR / "openapi.yaml"
GENERATED_DIR = REPO_ROOT / "generated"
BUNDLED_SPEC = GENERATED_DIR / "openapi.yaml"
BUNDLED_SPEC_JSON = GENERATED_DIR / "openapi.json"
CLIENT_PROJECT = GENERATED_DIR / "client"  # the generated client's project: pyproject.toml, package
# openapi-python-client's settings, the client's own version (package_version_override) among them
CLIENT_CONFIG = REPO_ROOT / "contract" / "generate" / "openapi-python-client.yaml"
REDOCLY_CONFIG = REPO_ROOT / "redocly.yaml"
BUILD_DIR = REPO_ROOT / "build"
SITE_DIR = BUILD_DIR / "site"
README = REPO_ROOT / "README.md"
DOCS_DIR = REPO_ROOT / "docs"  # the task pages that README.md links to
ASSUMPTIONS_PAGE = DOCS_DIR / "assumptions.md"  # its table: make generate
BENCHMARKS_PAGE = DOCS_DIR / "benchmarks.md"  # its results: make bench
BREAKING_PAGE = DOCS_DIR / "breaking-changes.md"  # its table of behaviour rules: make generate
LICENSE = REPO_ROOT / "LICENSE"
PYPROJECT = REPO_ROOT / "pyproject.toml"
UV_LOCK = REPO_ROOT / "uv.lock"
CHANGELOG = REPO_ROOT / "CHANGELOG.md"
DIST_DIR = REPO_ROOT / "dist"
UV = REPO_ROOT / ".tools" / "bin" / "uv"
NODE_BIN = REPO_ROOT / "node_modules" / ".bin"


def display_path(path: Path) -> str:
    """A path relative to the repository when it lies inside it, so messages and generated
    files never carry a machine's absolute paths."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)

"""The generated client as a release sees it: its version and package name in the work tree,
and as a release tag holds them. The repository that holds the spec keeps the client's
settings and project where this one does (contract.layout), so a release reads them there.

A tag made before the client had a version of its own (its settings without
package_version_override, or without the file) released the client at the spec's
info.version, which the generator then used: that is the version it shipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract._git import file_at
from contract.errors import LintError, ReleaseError, SpecLoadError
from contract.generate.client_names import (
    PACKAGE_KEY,
    VERSION_KEY,
    client_config,
    client_version,
)
from contract.layout import CLIENT_CONFIG, CLIENT_PROJECT, REPO_ROOT


@dataclass(frozen=True)
class Client:
    """The client's version (the wheel's, the tag's) and the name its package is imported by."""

    version: str
    package: str


def config_in(repo: Path) -> Path:
    """Where `repo` keeps openapi-python-client's settings."""
    return repo / CLIENT_CONFIG.relative_to(REPO_ROOT)


def project_in(repo: Path) -> Path:
    """Where `repo` keeps the generated client's project (pyproject.toml and the package)."""
    return repo / CLIENT_PROJECT.relative_to(REPO_ROOT)


def _package(config: dict[str, Any], where: str) -> str:
    package = config.get(PACKAGE_KEY)
    if not isinstance(package, str) or not package.isidentifier():
        raise ReleaseError(
            f"{where}: {PACKAGE_KEY} must name the client's package (a Python identifier),"
            f" not {package!r}"
        )
    return package


def work_tree_client(repo: Path) -> Client:
    """The client the work tree would release, from its settings: a missing or malformed
    version is the same error `make generate` gives, as a release error."""
    path = config_in(repo)
    try:
        config = client_config(path)
        version = client_version(config, path)
    except (LintError, SpecLoadError) as exc:
        raise ReleaseError(str(exc)) from exc
    return Client(version, _package(config, f"{path.relative_to(repo)}"))


def released_client(repo: Path, tag: str, api_version: str, package: str) -> Client:
    """The client that release `tag` shipped: the version and package of its settings, else
    its info.version (`api_version`) and the work tree's `package`, as the generator did."""
    inside = config_in(repo).relative_to(repo).as_posix()
    text = file_at(repo, tag, inside)
    try:
        loaded = yaml.safe_load(text) if text is not None else None
    except yaml.YAMLError as exc:
        raise ReleaseError(f"{tag}:{inside} is no YAML, so its client version is unknown") from exc
    config = loaded if isinstance(loaded, dict) else {}
    version = config.get(VERSION_KEY) or api_version
    return Client(str(version), str(config.get(PACKAGE_KEY) or package))

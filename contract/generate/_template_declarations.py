"""The client templates cannot see a spec's `x-` extensions, so the declarations they need are
written as a Jinja file beside them, keyed by `method path`: PAGING, which the facade
(api_init.py.jinja) pages with, BEHAVIOUR, the rules the client's README shows, QUICK_START,
what that README's example calls, PROJECT, the package metadata pyproject.toml carries, and
METHODS, each operation's client method. Paging names come from the spec alone, never from a
template."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator
from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

from contract.docs import behaviour_rules
from contract.errors import LintError, ToolError
from contract.generate.client_names import RETRIEVE, client_methods
from contract.layout import PYPROJECT, UV_LOCK
from contract.spec.declarations import ListResource, list_operations

DECLARATIONS_TEMPLATE: Final = "declarations.jinja"
EXAMPLE_PAGE_SIZE: Final = 2
MISSING_TEXT: Final = "no-such-id"
MISSING_NUMBER: Final = 2**31 - 1
BUILD_BACKEND: Final = "uv-build"  # its name in uv.lock


def declared_paging(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`method path` of each paged list operation -> the query parameters that set how many
    matches to skip and the page size, and the JSON member paths of its items and total."""
    return {
        f"{method} {path}": {
            "skip": resource.paging.offset,
            "step": resource.paging.step,
            "results": list(resource.paging.results),
            "total": list(resource.paging.total),
        }
        for (method, path), resource in list_operations(document).items()
    }


def declared_methods(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`method path` of every operation -> the name of its client method (client_names.py)
    and its role, `list` or `retrieve` (with where the 200 body holds the item), left out for
    an operation the declarations do not cover (JSON's null is no Jinja literal)."""
    found: dict[str, dict[str, Any]] = {}
    for key, called in client_methods(document).items():
        found[key] = {"name": called.name}
        if called.role is not None:
            found[key]["role"] = called.role
        if called.role == RETRIEVE and called.resource is not None:
            found[key]["item"] = list(called.resource.detail.item)
    return found


def _page_size(resource: ListResource) -> int:
    """The example's page size, within the bounds of the page-size parameter."""
    schema = resource.parameters[resource.paging.step]
    size = EXAMPLE_PAGE_SIZE
    if isinstance(schema.get("maximum"), int):
        size = min(size, schema["maximum"])
    if isinstance(schema.get("minimum"), int):
        size = max(size, schema["minimum"])
    return size


def _missing_key(schema: Mapping[str, Any]) -> str | int | None:
    """A value the path parameter of `schema` accepts that is unlikely to name an item: a
    text for a string, the largest allowed number for an integer, else None (no example of a
    miss). A `format` is not checked by the validator, so it gets no example either."""
    candidate: str | int
    if schema.get("type") == "string":
        candidate = MISSING_TEXT
    elif schema.get("type") == "integer":
        candidate = MISSING_NUMBER
        if isinstance(schema.get("maximum"), int):
            candidate = min(candidate, schema["maximum"])
        if isinstance(schema.get("exclusiveMaximum"), int):
            candidate = min(candidate, schema["exclusiveMaximum"] - 1)
    else:
        return None
    try:
        valid = Draft202012Validator(schema).is_valid(candidate)
    except re.error:  # an ECMA-262 pattern Python cannot read: no example of a miss
        return None
    return candidate if valid and "format" not in schema else None


def quick_start(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`method path` of each paged list operation -> what the client README's example needs: the
    page size to ask for, the `method path` of the detail operation, the item property that
    fills its path parameter, where its 200 body holds the item, and a key that names no item
    (left out when the parameter's schema suggests none: JSON's null is no Jinja literal)."""
    found: dict[str, dict[str, Any]] = {}
    for (method, path), resource in list_operations(document).items():
        detail = resource.detail
        found[f"{method} {path}"] = {
            "page_size": _page_size(resource),
            "detail": f"get {detail.path}",
            "key": detail.key,
            "item": list(detail.item),
        }
        missing = _missing_key(detail.key_schema)
        if missing is not None:
            found[f"{method} {path}"]["missing_key"] = missing
    return found


def project_metadata(document: Mapping[str, Any]) -> dict[str, Any]:
    """The client package's metadata from the spec's info: a one-line summary that names the
    API version the client is for (its own version is another), the licence's SPDX identifier
    and the project URLs (info.contact.url, externalDocs.url), and the build requirement: a
    uv_build range that plain pip can fetch and the pinned uv falls in."""
    info = document.get("info") or {}
    words = f"Python client of the {info.get('title') or 'API'}. {info.get('summary') or ''}"
    if info.get("version"):
        words += f" For API version {info['version']}."
    summary = " ".join(words.split())
    repository = tomllib.loads(PYPROJECT.read_text("utf-8"))
    urls = {}
    if (info.get("contact") or {}).get("url"):
        urls["Homepage"] = info["contact"]["url"]
    if (document.get("externalDocs") or {}).get("url"):
        urls["Documentation"] = document["externalDocs"]["url"]
    return {
        "summary": summary,
        "license": shipped_licence((info.get("license") or {}).get("identifier"), repository),
        "urls": urls,
        "build_requirement": build_requirement(
            str(
                locked_package(tomllib.loads(UV_LOCK.read_text("utf-8")), BUILD_BACKEND)["version"]
            ),
            pinned_uv(repository),
        ),
    }


def shipped_licence(identifier: Any, repository: Mapping[str, Any]) -> str:
    """The spec's licence, which must be the repository's (`repository`: its pyproject.toml):
    the client ships its LICENSE."""
    mismatch = licence_mismatch(identifier, repository)
    if mismatch is not None:
        raise LintError(mismatch)
    return str(repository.get("project", {}).get("license", "")) if identifier is not None else ""


def licence_mismatch(identifier: Any, repository: Mapping[str, Any]) -> str | None:
    """Why the spec's licence `identifier` cannot be the client's, or None when it can: no
    identifier, or the licence of the repository (`repository`: its pyproject.toml)."""
    ours = str(repository.get("project", {}).get("license", ""))
    if identifier is None or str(identifier) == ours:
        return None
    return (
        f"info.license.identifier is {identifier!r}, but the repository's licence is"
        f" {ours!r} (pyproject.toml), and its LICENSE is what the client ships: make them agree"
    )


def pinned_uv(repository: Mapping[str, Any]) -> str:
    """The exact uv version of pyproject.toml's `[tool.uv] required-version`."""
    pinned = repository.get("tool", {}).get("uv", {})
    version = str(pinned.get("required-version", ""))
    if not re.fullmatch(r"==\d+\.\d+\.\d+", version):
        raise ToolError(
            f"pyproject.toml: [tool.uv] required-version must pin one uv (==X.Y.Z), not {version!r}"
        )
    return version.removeprefix("==")


def locked_package(lock: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The entry of `name` in uv.lock (`lock`, parsed): its version and where it came from."""
    found: list[Mapping[str, Any]] = [
        entry for entry in lock.get("package", []) if entry.get("name") == name
    ]
    if len(found) != 1:
        raise ToolError(
            f"uv.lock holds {len(found)} versions of {name}, not one: add {name}==X.Y.Z to the"
            " dev group of pyproject.toml and run `.tools/bin/uv lock`"
        )
    return found[0]


def build_requirement(locked: str, pinned: str) -> str:
    """The client's build-system requirement: uv_build from the `locked` version, which the
    package index serves (plain pip installs it), to the next minor, as uv's docs advise. The
    pinned uv must lie in it, else `uv build` would fetch that uv_build instead of using its
    own backend, offline and byte for byte the same (make dist)."""
    try:
        major, minor = (*Version(locked).release, 0)[:2]
    except InvalidVersion as exc:
        raise ToolError(f"uv.lock: {BUILD_BACKEND} {locked!r} is no version") from exc
    requirement = f"uv_build>={locked},<{major}.{minor + 1}"
    if not Requirement(requirement).specifier.contains(pinned):
        raise ToolError(
            f"the client's build requirement {requirement} (from {BUILD_BACKEND} {locked} in"
            f" uv.lock) leaves out uv {pinned}, which pyproject.toml's [tool.uv] required-version"
            f" pins: lock a {BUILD_BACKEND} of uv {pinned}'s minor version, not above it"
            " (pyproject.toml's dev group, then `.tools/bin/uv lock`)"
        )
    return requirement


def declarations_template(document: Mapping[str, Any]) -> str:
    # JSON of strings, numbers and lists is also a Jinja literal (escapes included).
    paging = json.dumps(declared_paging(document), indent=2, sort_keys=True)
    behaviour = json.dumps(
        {
            f"{method} {path}": behaviour_rules(resource)
            for (method, path), resource in list_operations(document).items()
        },
        indent=2,
        sort_keys=True,
    )
    example = json.dumps(quick_start(document), indent=2, sort_keys=True)
    project = json.dumps(project_metadata(document), indent=2, sort_keys=True)
    methods = json.dumps(declared_methods(document), indent=2, sort_keys=True)
    return (
        "{# Written from the spec's declarations by contract.generate._template_declarations. #}\n"
        f"{{% set PAGING = {paging} %}}\n"
        f"{{% set BEHAVIOUR = {behaviour} %}}\n"
        f"{{% set QUICK_START = {example} %}}\n"
        f"{{% set PROJECT = {project} %}}\n"
        f"{{% set METHODS = {methods} %}}\n"
    )


def templates_with_declarations(templates: Path, document: Mapping[str, Any], folder: Path) -> Path:
    """A copy of `templates` in `folder`, with the declarations of `document` beside them."""
    target = folder / templates.name
    shutil.copytree(templates, target)
    (target / DECLARATIONS_TEMPLATE).write_text(declarations_template(document), "utf-8")
    return target

"""The names a user types to call an operation through the generated client, worked out once
from the spec: the client's templates, its README and the docs' code samples all read them here.

A declared paged list is `list` and the detail operation its link names is `retrieve`, the
names Stripe's and Stainless-generated SDKs use; every other operation keeps openapi-python-
client's name of its operationId. Operations are grouped by their first tag, as the generator
does, and two operations of one group may not end up with the same name.

The client's own version lives beside its names, in openapi-python-client's settings
(`package_version_override`): its Python API moves apart from the spec's info.version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from openapi_python_client.strings import ClassName, PythonIdentifier

from contract._versions import release_version
from contract.errors import LintError
from contract.layout import CLIENT_CONFIG, display_path
from contract.spec.client_view import client_view
from contract.spec.declarations import ListResource, list_operations
from contract.spec.source import operations, read_yaml

# The client's own version: it moves apart from the spec's info.version (docs/releases.md).
VERSION_KEY: Final = "package_version_override"
PACKAGE_KEY: Final = "package_name_override"  # the name the client's package is imported by
LIST: Final = "list"
RETRIEVE: Final = "retrieve"
DEFAULT_TAG: Final = "default"  # openapi-python-client's group of untagged operations


@dataclass(frozen=True)
class ClientMethod:
    """How the client reaches one operation: `api.<group>.<name>(...)`. `role` is `list`,
    `retrieve` or None (an operation the declarations do not cover); `resource` is the list
    resource the operation belongs to, if any."""

    method: str
    path: str
    operation_id: str
    group: str
    name: str
    role: str | None
    resource: ListResource | None

    @property
    def key(self) -> str:
        """`method path`, how the client templates look an operation up."""
        return f"{self.method} {self.path}"


def client_config(path: Path = CLIENT_CONFIG) -> dict[str, Any]:
    """openapi-python-client's settings: the package's name, its version, the field prefix."""
    config = read_yaml(path)
    return config if isinstance(config, dict) else {}


def client_version(config: Mapping[str, Any] | None = None, path: Path = CLIENT_CONFIG) -> str:
    """The client's version, `package_version_override` of `config` (read from `path` when
    not given), which the wheel, the release tag and the changelog carry. Without it the
    generator would fall back to info.version, the API's, so a missing one is an error too."""
    settings = client_config(path) if config is None else config
    version = settings.get(VERSION_KEY)
    where = f"{display_path(path)}: {VERSION_KEY}"
    if version is None or version == "":
        raise LintError(
            f'{where} is missing: set it to the client\'s own version (e.g. "2.0.0"), which'
            " moves apart from the spec's info.version"
        )
    if not isinstance(version, str):
        raise LintError(f'{where} is {version!r}, not a string: quote it ("{version}")')
    try:
        release_version(version)
    except ValueError as exc:
        raise LintError(f"{where}: {exc}") from exc
    return version


def _field_prefix() -> str:
    return str(client_config().get("field_prefix", "field_"))


def python_name(name: str) -> str:
    """The Python name openapi-python-client gives a parameter or an operationId."""
    return str(PythonIdentifier(name, prefix=_field_prefix()))


def client_package(config: Mapping[str, Any] | None = None) -> str:
    """The name the client's package is imported by (`customer_interface_client`)."""
    return str((client_config() if config is None else config)[PACKAGE_KEY])


def client_class_name() -> str:
    """The class a user opens the client with (`CustomerInterface`): the package's name less
    `_client`, by openapi-python-client's class-name rule, as the facade template names it."""
    package = client_package()
    return str(ClassName(package.removesuffix("_client"), _field_prefix()))


def group_name(tag: str) -> str:
    """The attribute of the client that holds a tag's operations (`api.event_groups`)."""
    return str(PythonIdentifier(tag, prefix="tag"))


def client_methods(document: Mapping[str, Any]) -> dict[str, ClientMethod]:
    """`method path` -> how the client calls it, for every operation of `document` (bundled).
    Raises LintError when two operations of one group would share a name."""
    found = every_client_method(document)
    clashes = name_clashes(found.values())
    if clashes:
        raise LintError("\n".join(message for _, message in clashes))
    return found


def every_client_method(document: Mapping[str, Any]) -> dict[str, ClientMethod]:
    """client_methods() without refusing a name two operations share (name_clashes())."""
    lists = list_operations(document)
    details = {("get", resource.detail.path): resource for resource in lists.values()}
    found: dict[str, ClientMethod] = {}
    for path, method, _, operation in operations(client_view(document)):
        operation_id = str(operation.get("operationId") or "")
        tags = operation.get("tags") or [DEFAULT_TAG]
        role, resource = None, None
        if (method, path) in lists:
            role, resource = LIST, lists[(method, path)]
        elif (method, path) in details:
            role, resource = RETRIEVE, details[(method, path)]
        called = ClientMethod(
            method=method,
            path=path,
            operation_id=operation_id,
            group=group_name(str(tags[0])),
            name=role or python_name(operation_id),
            role=role,
            resource=resource,
        )
        found[called.key] = called
    return found


def name_clashes(methods: Iterable[ClientMethod]) -> list[tuple[ClientMethod, str]]:
    """Each of `methods` whose `api.<group>.<name>` one before it already takes, with the
    message that says so."""
    seen: dict[tuple[str, str], ClientMethod] = {}
    clashes = []
    for called in methods:
        other = seen.setdefault((called.group, called.name), called)
        if other is not called:
            message = (
                f"{other.operation_id} ({other.key}) and {called.operation_id} ({called.key})"
                f" would both be the client's `api.{called.group}.{called.name}`: give one of"
                " them another tag, or another operationId"
            )
            clashes.append((called, message))
    return clashes

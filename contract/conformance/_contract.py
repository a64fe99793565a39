"""The contract a conformance run tests, read once: the bundled document and its client view,
every list resource with its two operations (the subjects of the property checks), the
routing of a request to its operation, and where the spec states each assumption. Every phase
of a run (the preflight, schemathesis's findings, the property checks, the coverage map, the
verdicts, the traffic judge) is handed this object instead of reading the spec file again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from contract.spec.assumptions import ids_on, iter_assumptions
from contract.spec.client_view import client_view
from contract.spec.declarations import ListResource, list_resources, response_schema
from contract.spec.source import read_yaml, server_prefix


@dataclass(frozen=True)
class Subject:
    """One list resource under test, with its list and detail operations as a client sees
    them (references inlined)."""

    resource: ListResource
    list_operation: Mapping[str, Any] = field(default_factory=dict)
    detail_operation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key_schema(self) -> Mapping[str, Any]:
        """The schema of the detail path parameter: an unknown key must stay within it to be
        answered with 404 rather than 400."""
        return self.resource.detail.key_schema

    def label(self, check: str) -> str:
        """How a check of this resource is named in reports: `<check> <Resource>`."""
        return f"{check} {self.resource.name}"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: Mapping[str, Any]  # the operation, as a client sees it (references inlined)
    subject: Subject | None
    kind: str  # list | detail | other
    secured: bool  # whether the operation requires credentials (its own or the document's)

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"

    @cached_property
    def by_location(self) -> dict[str, dict[str, Mapping[str, Any]]]:
        """The operation's parameters by location and name, worked out once (the proxy asks
        for every exchange)."""
        found: dict[str, dict[str, Mapping[str, Any]]] = {"query": {}, "path": {}}
        for parameter in self.spec.get("parameters") or []:
            if isinstance(parameter, dict):
                location = found.setdefault(str(parameter.get("in")), {})
                location[str(parameter["name"])] = parameter
        return found

    def parameters(self, location: str) -> dict[str, Mapping[str, Any]]:
        return self.by_location.get(location, {})


def template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "".join(
            f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
            for part in parts
        )
        + "$"
    )


def requires_credentials(requirements: Any) -> bool:
    """Whether security requirements demand credentials: some are listed and none is the
    empty one (`{}`), which lets a request in without any."""
    return isinstance(requirements, list) and bool(requirements) and all(requirements)


def below(prefix: str, path: str) -> str | None:
    """`path` relative to the API's `prefix` ("/" for the prefix itself), or None when the
    request went elsewhere."""
    if not (path == prefix or path.startswith(prefix + "/")):
        return None
    return path[len(prefix) :] or "/"


# -- where the spec states its assumptions -------------------------------------------------


def own_id(node: Any) -> set[str]:
    """The ids of the assumptions written on `node` itself."""
    return ids_on(dict(node) if isinstance(node, Mapping) else None)


def parameter_ids(operation: Mapping[str, Any], names: Iterable[str] | None = None) -> set[str]:
    """The assumptions of the operation's parameters (of those named, when `names` is given)."""
    wanted = None if names is None else set(names)
    return {
        ident
        for parameter in operation.get("parameters") or []
        if wanted is None or parameter.get("name") in wanted
        for ident in own_id(parameter)
    }


def response_ids(operation: Mapping[str, Any], status: int | str) -> set[str]:
    """The assumption of the operation's response for `status` (that it is given)."""
    return own_id((operation.get("responses") or {}).get(str(status)) or {})


def header_ids(
    operation: Mapping[str, Any], status: int | str, name: str | None = None
) -> set[str]:
    """The assumptions of the headers of that response (of the one `name`d, if given)."""
    response = (operation.get("responses") or {}).get(str(status)) or {}
    headers = response.get("headers") or {}
    chosen = headers.values() if name is None else [headers.get(name) or {}]
    return {ident for header in chosen for ident in own_id(header)}


def body_ids(operation: Mapping[str, Any], status: int | str) -> set[str]:
    """The assumption of the JSON body schema of that response (what it holds)."""
    return own_id(response_schema(operation, status))


def schema_member_ids(schema: Mapping[str, Any], path: Sequence[str]) -> set[str]:
    """The assumption written on the property at `path` of an object schema."""
    node: Any = schema
    for name in path:
        node = ((node or {}).get("properties") or {}).get(name)
    return own_id(node)


# -- the contract ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Contract:
    path: Path
    document: Mapping[str, Any] = field(repr=False)
    view: Mapping[str, Any] = field(repr=False)  # every reference inlined
    prefix: str  # the path of the spec's server URL
    subjects: tuple[Subject, ...]
    operations: tuple[Operation, ...]
    assumptions: tuple[str, ...]  # the id of every assumption, in the order the spec states them

    def route(self, method: str, local: str) -> tuple[Operation | None, dict[str, str], bool]:
        """The operation of `method` at the (percent-encoded) path `local`, with the decoded
        values of its path parameters, and whether any operation has that path at all."""
        matched = [(o, hit) for o in self.operations if (hit := o.pattern.match(local))]
        for operation, hit in matched:
            if operation.method == method:
                return operation, {k: unquote(v) for k, v in hit.groupdict().items()}, True
        return None, {}, bool(matched)

    def operation_at(self, local: str) -> Operation | None:
        """The GET operation whose path template matches `local` (a path below the prefix)."""
        return self.route("GET", local)[0]


def operation_of(view: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    return dict((view.get("paths") or {}).get(path, {}).get("get") or {})


@lru_cache(maxsize=16)
def _load(path: Path, _stamp: tuple[int, int]) -> Contract:
    document = read_yaml(path)
    view = client_view(document)
    subjects = tuple(
        Subject(
            resource, operation_of(view, resource.path), operation_of(view, resource.detail.path)
        )
        for resource in list_resources(document)
    )
    by_path: dict[str, tuple[Subject | None, str]] = {}
    for served in subjects:
        by_path[served.resource.path] = (served, "list")
        by_path[served.resource.detail.path] = (served, "detail")
    operations = []
    for template, item in (view.get("paths") or {}).items():
        for method, operation in (item or {}).items():
            if not isinstance(operation, dict) or method.startswith("x-"):
                continue
            subject, kind = by_path.get(template, (None, "other"))
            secured = requires_credentials(operation.get("security", view.get("security")))
            operations.append(
                Operation(
                    method.upper(),
                    template,
                    template_pattern(template),
                    operation,
                    subject,
                    kind,
                    secured,
                )
            )
    ids = dict.fromkeys(
        value["id"]
        for _, value in iter_assumptions(document)
        if isinstance(value, dict) and isinstance(value.get("id"), str)
    )
    return Contract(
        path, document, view, server_prefix(document).rstrip("/"), subjects, tuple(operations),
        tuple(ids),
    )  # fmt: skip


def load_contract(spec: Path) -> Contract:
    """The contract of the bundled spec at `spec` (DeclarationError if its declarations are
    invalid, SpecLoadError if it cannot be read). Read once per version of the file."""
    resolved = spec.resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return _load(resolved, (0, 0))  # read_yaml names the file it cannot read
    return _load(resolved, (stat.st_mtime_ns, stat.st_size))

"""Request rules read from the bundled spec at startup: the path prefix of the server URL, each
operation's method, path and parameters (types, defaults, bounds, allowed values), the
WWW-Authenticate challenge, the titles of error bodies and the declared list resources.
Nothing here restates the spec, so a change to the spec is a change to the server."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from contract.errors import DeclarationError, SpecLoadError
from contract.layout import BUNDLED_SPEC
from contract.spec.declarations import ListResource, list_resources
from contract.spec.source import (
    deref,
    inline,
    operations,
    parameters,
    read_yaml,
    server_prefix,
)
from reference_server.errors import SpecRulesError
from reference_server.parameters import InvalidParametersError, ParameterRule, Rejection

REQUEST_LOCATIONS = frozenset({"query", "path"})
JSON_MEDIA_TYPE = "application/json"
ERROR_STATUS = re.compile(r"[45][0-9][0-9]")
PATH_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class OperationRule:
    """One operation: where it lives, and how to read the parameters of a request to it."""

    operation_id: str
    method: str
    path: str
    parameters: tuple[ParameterRule, ...]

    def parameter(self, name: str) -> ParameterRule:
        for rule in self.parameters:
            if rule.name == name:
                return rule
        raise KeyError(f"{self.operation_id} has no parameter {name!r}")

    def names(self, location: str) -> list[str]:
        return [rule.name for rule in self.parameters if rule.location == location]

    def parse_request(
        self,
        query: Sequence[tuple[str, str]],
        path_params: Mapping[str, str],
        *,
        reject_unknown: bool = False,
    ) -> dict[str, Any]:
        """Every defined parameter's value (its default when absent). Query parameters the
        operation does not define are ignored, or rejected when `reject_unknown`; a defined one
        given twice is rejected. Raises InvalidParametersError naming every rejected parameter
        at once."""
        values: dict[str, Any] = {}
        rejections: list[Rejection] = []
        for rule in self.parameters:
            if rule.location == "query":
                raws = [value for name, value in query if name == rule.name]
            else:
                raws = [path_params[rule.name]] if rule.name in path_params else []
            if len(raws) > 1:
                rejections.append(Rejection(rule.name, "must be given at most once"))
            elif not raws and rule.required:
                rejections.append(Rejection(rule.name, "is required"))
            elif not raws:
                values[rule.name] = rule.default
            else:
                try:
                    values[rule.name] = rule.parse(raws[0])
                except InvalidParametersError as exc:
                    rejections.extend(exc.rejections)
        if reject_unknown:
            defined = set(self.names("query"))
            unknown = dict.fromkeys(name for name, _ in query if name not in defined)
            rejections += [
                Rejection(name, "is not a parameter of this operation") for name in unknown
            ]
        if rejections:
            raise InvalidParametersError(rejections)
        return values


@dataclass(frozen=True)
class SpecRules:
    """Everything the server takes from the spec."""

    title: str
    version: str
    prefix: str
    operations: tuple[OperationRule, ...]
    challenge: str
    error_titles: Mapping[int, str]
    document: Mapping[str, Any]
    resources: tuple[ListResource, ...]  # the declared list resources, with their details

    def operation(self, operation_id: str) -> OperationRule:
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise SpecRulesError(f"the spec has no operation {operation_id!r}")


def parameter_rules(
    operation_id: str, path: str, merged: Sequence[Any], document: Mapping[str, Any]
) -> tuple[ParameterRule, ...]:
    """Rules for an operation's parameters (its own and its path item's, merged)."""
    rules = []
    for parameter in merged:
        name, location = parameter["name"], parameter["in"]
        where = f"{operation_id}: parameter {name!r}"
        if location not in REQUEST_LOCATIONS:
            raise SpecRulesError(f"{where}: parameters in {location} are not supported")
        if "schema" not in parameter:
            raise SpecRulesError(f"{where}: only parameters with a schema are supported")
        schema = inline(parameter["schema"], document)
        required = bool(parameter.get("required", False)) or location == "path"
        rules.append(ParameterRule(name, location, required, schema))
    declared = {rule.name for rule in rules if rule.location == "path"}
    in_template = set(PATH_TEMPLATE_NAME.findall(path))
    if declared != in_template:
        raise SpecRulesError(
            f"{operation_id}: path parameters {sorted(declared)} do not match {path}"
        )
    return tuple(rules)


def check_basic_security(
    operation_id: str, operation: Mapping[str, Any], document: Mapping[str, Any]
) -> None:
    """This server authenticates every request with HTTP Basic: refuse a spec that asks for
    anything else, rather than silently serving it wrongly."""
    requirements = operation.get("security", document.get("security")) or []
    schemes = document.get("components", {}).get("securitySchemes", {})
    names = {name for requirement in requirements for name in requirement} or {"(none)"}
    for name in names:
        scheme = deref(schemes.get(name, {}), document)
        if scheme.get("type") != "http" or str(scheme.get("scheme", "")).lower() != "basic":
            raise SpecRulesError(f"{operation_id}: security {name!r} is not HTTP Basic")


def error_responses(document: Mapping[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for _, _, _, operation in operations(document):
        for status, response in (operation.get("responses") or {}).items():
            if ERROR_STATUS.fullmatch(str(status)):
                yield int(status), deref(response, document)


def error_titles(document: Mapping[str, Any]) -> dict[int, str]:
    """The `title` of each error status, as the spec's error examples give it (RFC 9457: the
    same for every occurrence)."""
    titles: dict[int, str] = {}
    for status, response in error_responses(document):
        media = deref((response.get("content") or {}).get(JSON_MEDIA_TYPE, {}), document)
        values = [deref(e, document).get("value") for e in (media.get("examples") or {}).values()]
        values += [media["example"]] if "example" in media else []
        for value in values:
            title = value.get("title") if isinstance(value, dict) else None
            if isinstance(title, str) and titles.setdefault(status, title) != title:
                raise SpecRulesError(f"the {status} examples disagree on the title")
    return titles


def challenge(document: Mapping[str, Any]) -> str:
    """The WWW-Authenticate value the spec's 401 responses show."""
    values = set()
    for status, response in error_responses(document):
        for name, header in (response.get("headers") or {}).items():
            if status == 401 and name.lower() == "www-authenticate":
                header = deref(header, document)
                example = header.get(
                    "example", deref(header.get("schema", {}), document).get("example")
                )
                if isinstance(example, str):
                    values.add(example)
    if len(values) != 1 or not next(iter(values)).lower().startswith("basic "):
        raise SpecRulesError(
            "the 401 responses should show one Basic WWW-Authenticate example, found "
            + (", ".join(sorted(values)) or "none")
        )
    return values.pop()


def declared_resources(document: Mapping[str, Any]) -> tuple[ListResource, ...]:
    try:
        return list_resources(document)
    except DeclarationError as exc:
        raise SpecRulesError(str(exc)) from exc


def rules_from_document(document: Mapping[str, Any]) -> SpecRules:
    rules = []
    for path, method, item, operation in operations(document):
        operation_id = str(operation.get("operationId") or f"{method.upper()} {path}")
        check_basic_security(operation_id, operation, document)
        merged = parameter_rules(
            operation_id, path, parameters(item, operation, document), document
        )
        rules.append(OperationRule(operation_id, method.upper(), path, merged))
    info = document.get("info") or {}
    return SpecRules(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        prefix=server_prefix(document),
        operations=tuple(rules),
        challenge=challenge(document),
        error_titles=error_titles(document),
        document=document,
        resources=declared_resources(document),
    )


@cache
def load_rules(spec: Path = BUNDLED_SPEC) -> SpecRules:
    """The rules of a bundled spec (by default the contract's), read once per process."""
    try:
        document = read_yaml(spec)
    except SpecLoadError as exc:
        raise SpecRulesError(str(exc)) from exc
    if not isinstance(document, dict):
        raise SpecRulesError(f"{spec}: not an OpenAPI document")
    try:
        return rules_from_document(document)
    except SpecLoadError as exc:
        raise SpecRulesError(f"{spec}: {exc}") from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise SpecRulesError(
            f"{spec}: not an OpenAPI document this server can read ({exc!r})"
        ) from exc

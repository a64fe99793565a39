"""What stops the client's generation on a spec the lint has passed, found before any generator
runs and reported as the lint reports a problem, `file:line #/json/pointer [rule] message`: a
licence other than the repository's, two operations the client would call by one name, an
array schema without `items` (valid JSON Schema that openapi-python-client refuses), a
parameter named like a per-call option of the client's methods, a success the facade cannot
return as a model, and behaviour declarations the client's templates cannot read."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from contract.errors import ContractError
from contract.generate._template_declarations import declarations_template, licence_mismatch
from contract.generate.client_names import every_client_method, name_clashes, python_name
from contract.generate.client_runtime.runtime import RequestOptions
from contract.layout import PYPROJECT
from contract.lint import Problem, at_line
from contract.spec.declarations import JSON_MEDIA_TYPE
from contract.spec.source import (
    PathKey,
    SourceMap,
    deref,
    load_inlined,
    operations,
    unescape_pointer_token,
)


def client_problems(root: Path) -> list[Problem]:
    """The problems of the spec at `root` (which the lint passed) that would stop the client's
    generation, each at its source file and pointer, sorted by place."""
    document, source_map = load_inlined(root)
    problems = licence_problems(document, source_map) + array_problems(document, source_map)
    problems += option_problems(document, source_map) + success_problems(document, source_map)
    try:
        methods = every_client_method(document)
        problems += [
            at_line(
                source_map.locate(("paths", called.path, called.method, "operationId")),
                "client-method-name",
                message,
            )
            for called, message in name_clashes(methods.values())
        ]
        if not problems:
            declarations_template(document)  # all the client's templates read of the spec
    except ContractError:
        raise
    except Exception as exc:  # a spec the lint passed, but the declarations' reader did not
        # The lint's declaration checks missed what is wrong: say so at the root, never with a
        # traceback, and name the error so the missing check can be written.
        message = (
            "the client's templates could not read the behaviour declarations of this spec"
            f" ({type(exc).__name__}: {' '.join(str(exc).split())}), although the lint passed"
            " them"
        )
        problems.append(at_line(source_map.locate(()), "client-declarations/crash", message))
    return sorted(set(problems))


def licence_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """info.license.identifier, when it is not the repository's licence (the client ships the
    repository's LICENSE)."""
    licence = ((document.get("info") or {}) if isinstance(document, dict) else {}).get("license")
    identifier = licence.get("identifier") if isinstance(licence, dict) else None
    repository = tomllib.loads(PYPROJECT.read_text("utf-8"))
    mismatch = licence_mismatch(identifier, repository)
    if mismatch is None:
        return []
    where = source_map.locate(("info", "license", "identifier"))
    return [at_line(where, "client-license", mismatch)]


# What every facade method takes beside the API's parameters (the runtime's per-call options).
OPTIONS = frozenset(field.name for field in dataclasses.fields(RequestOptions))
FACADE_PARAMETERS = frozenset({"path", "query"})  # those a facade method takes


def option_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """Each path or query parameter whose Python name is one of the per-call options
    (`timeout`, ...): the facade method would take two arguments of that name. The problem is
    placed where the parameter is written, a shared one in components/parameters."""
    found = []
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths or {}).items():
        if not isinstance(item, dict):
            continue
        holders = [((), item)] + [((k,), v) for k, v in item.items() if isinstance(v, dict)]
        for at, holder in holders:
            for index, written in enumerate(holder.get("parameters") or []):
                parameter = deref(written, document)
                if not isinstance(parameter, dict) or parameter.get("in") not in FACADE_PARAMETERS:
                    continue
                name = parameter.get("name")
                if not isinstance(name, str) or python_name(name) not in OPTIONS:
                    continue
                ref = written.get("$ref") if isinstance(written, dict) else None
                place = (
                    tuple(map(unescape_pointer_token, ref[2:].split("/")))
                    if isinstance(ref, str) and ref.startswith("#/")
                    else ("paths", path, *at, "parameters", index)
                )
                message = (
                    f"the parameter `{name}` would be `{python_name(name)}` in the client,"
                    " which every method takes as a per-call option already: rename it"
                )
                problem = at_line(
                    source_map.locate((*place, "name")), "client-parameter-name", message
                )
                if problem not in found:
                    found.append(problem)
    return found


def success_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """Each operation whose success the facade cannot return as a model: it reads one
    documented 2xx status, whose JSON body is an object with properties (a model of the
    package). A list, a scalar, no body (204) or several success statuses are refused here,
    by name, rather than generated into code that fails."""
    found = []
    for path, method, _, operation in operations(document):
        responses = operation.get("responses") or {}
        success = [str(code) for code in responses if str(code).startswith("2")]
        place: PathKey = ("paths", path, method, "responses")
        if len(success) != 1:
            message = (
                f"the client returns one success model, but this operation documents"
                f" {len(success)} success statuses ({', '.join(success) or 'none'})"
            )
        else:
            place = (*place, success[0])
            response = deref(responses.get(success[0]) or responses.get(int(success[0])), document)
            media = (
                ((response or {}).get("content") or {}).get(JSON_MEDIA_TYPE)
                if isinstance(response, dict)
                else None
            )
            schema = (
                deref((media or {}).get("schema"), document) if isinstance(media, dict) else None
            )
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
                continue
            message = (
                f"the client returns the success body as a model, but this {success[0]}"
                f" response has no {JSON_MEDIA_TYPE} body whose schema is an object with properties"
            )
        found.append(at_line(source_map.locate(place), "client-success-body", message))
    return found


# Keywords whose value is a schema, a list of schemas or a map of names to schemas.
SUBSCHEMA = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"}
    | {"unevaluatedItems", "unevaluatedProperties"}
)
SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SUBSCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
# Parts of the document whose schemas the client generator never reads, or that hold values.
UNREAD = frozenset({"example", "examples", "headers", "links"})


def array_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """Each array schema the client generator reads that has neither `items` nor
    `prefixItems`: JSON Schema allows it, openapi-python-client refuses the spec for it."""
    return [
        at_line(
            source_map.locate(path),
            "client-array-items",
            "an array schema needs `items` (or `prefixItems`): the client generator refuses"
            " an array whose elements it cannot type",
        )
        for path, schema in schemas(document)
        if _is_array(schema) and schema.get("items") is None and not schema.get("prefixItems")
    ]


def _is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def schemas(node: Any, at: PathKey = ()) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    """Each schema of the OpenAPI document `node` that the client generator reads, with its
    path: those of components/schemas, and each `schema` of a parameter or a media type,
    down through their subschemas (header schemas, examples and extensions left out)."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from schemas(value, (*at, index))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if at == ("components", "schemas") or key == "schema":
            yield from subschemas(value, (*at, key))
        elif key not in UNREAD and not str(key).startswith("x-"):
            yield from schemas(value, (*at, key))


def subschemas(schema: Any, at: PathKey) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    """`schema` (at path `at`) and every schema inside it."""
    if not isinstance(schema, dict):
        return
    yield at, schema
    for key, value in schema.items():
        if key in SUBSCHEMA:
            yield from subschemas(value, (*at, key))
        elif key in SUBSCHEMA_LISTS and isinstance(value, list):
            for index, item in enumerate(value):
                yield from subschemas(item, (*at, key, index))
        elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
            for name, item in value.items():
                yield from subschemas(item, (*at, key, name))

"""The behaviour declarations of the spec: how each list operation pages, sorts, filters and
treats its query, and which item property fills its detail operation's path. Every tool that
needs a rule reads it here (the reference server, the client generator, the docs and the
conformance harness), so a rule changed in the spec changes all of them.

`declaration_problems()` is the lint: the JSON Schema of declarations.schema.yaml, then what a
schema cannot check (named parameters, response members, item properties and assumptions
exist). `list_resources()` reads a valid document into plain dataclasses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import jsonschema

from contract.errors import DeclarationError
from contract.spec.assumptions import EXTENSION as ASSUMPTION
from contract.spec.assumptions import iter_assumptions
from contract.spec.client_view import client_view
from contract.spec.source import (
    HTTP_METHODS,
    PathKey,
    deref,
    escape_pointer_token,
    operations,
    read_yaml,
)

SCHEMA_FILE: Final = Path(__file__).resolve().parent / "declarations.schema.yaml"
PAGINATION, SORTING, FILTERING, UNIQUE = ("x-pagination", "x-sorting", "x-filtering", "x-unique")
QUERY_POLICY, QUERY_VALUES, ERROR_REPORTING = (
    "x-query-policy",
    "x-query-values",
    "x-error-reporting",
)
FILTER: Final = "x-filter"
# The declarations any operation carries; the others belong to list operations.
EVERY_OPERATION: Final = (QUERY_POLICY, QUERY_VALUES, ERROR_REPORTING)
OPERATION_DECLARATIONS: Final = (PAGINATION, SORTING, FILTERING, UNIQUE, *EVERY_OPERATION)
# The item property types each collation orders.
COLLATED_TYPES: Final = {"code-point": {"string"}, "numeric": {"integer", "number"}}
DECLARATIONS: Final = (*OPERATION_DECLARATIONS, FILTER)
JSON_MEDIA_TYPE: Final = "application/json"
REQUEST: Final = re.compile(r"\$request\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
RESPONSE_PREFIX: Final = "$response."
LINK_INTO_ITEM: Final = re.compile(r"\$response\.body#(?P<results>(/[^/]+)+)/0/(?P<property>[^/]+)")

Problem = tuple[PathKey, str, str]  # (where in the document, rule, message)
Item = Mapping[str, Any]


@dataclass(frozen=True)
class Paging:
    """Offset paging: `offset` and `step` (the page size) are query parameters; `results` and
    `total` are member paths of the 200 body."""

    offset: str
    step: str
    results: tuple[str, ...]
    total: tuple[str, ...]
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class Sorting:
    field: str  # the sort-field parameter
    direction: str  # the direction parameter
    fields: Mapping[str, str]  # allowed sort-field value -> item property
    ascending: str
    descending: str
    collation: Mapping[str, str]  # sort-field value -> code-point | numeric
    tie_breaker: str
    descending_order: str  # exact-reverse | ties-ascending
    default_order: str  # insertion | tie-breaker
    direction_without_field: str  # ignored | reverses-default
    assumptions: tuple[str, ...]

    def order(
        self, items: Sequence[Item], field_value: str | None, direction_value: str | None
    ) -> list[Item]:
        """`items` (given in insertion order) in the order this declaration promises, for the
        effective values of the two parameters (a direction left out takes its schema's
        default: pass that). The field's collation decides: code-point compares the values
        as text (by code point, as Python compares strings), numeric by value."""
        descending = direction_value == self.descending
        tie = self.tie_breaker
        if field_value is None:
            ordered = list(items)
            if self.default_order == "tie-breaker":
                ordered.sort(key=lambda item: item[tie])
            if descending and self.direction_without_field == "reverses-default":
                ordered.reverse()
            return ordered
        prop = self.fields[field_value]
        # code-point: as text (Python compares strings by code point); numeric: by value
        as_text = self.collation.get(field_value) == "code-point"

        def value(item: Item) -> Any:
            return str(item[prop]) if as_text else item[prop]

        if self.descending_order == "exact-reverse":
            return sorted(items, key=lambda item: (value(item), item[tie]), reverse=descending)
        by_tie = sorted(items, key=lambda item: item[tie])
        return sorted(by_tie, key=value, reverse=descending)  # stable


@dataclass(frozen=True)
class Filter:
    parameter: str
    property_name: str  # the item property compared
    match: str  # equals | contains | prefix
    case: str  # sensitive | unicode-casefold
    normalization: str  # none | canonical
    assumptions: tuple[str, ...]

    @property
    def casefolds(self) -> bool:
        return self.case == "unicode-casefold"

    @property
    def compares_as_is(self) -> bool:
        """Whether both sides compare code point by code point, as they are."""
        return not self.casefolds and self.normalization == "none"

    def key(self, text: str) -> str:
        """What of `text` the filter compares: NFC(casefold(NFD(text))) when it folds case up
        to canonical equivalence (Unicode's canonical caseless match, read in NFC), NFC(text)
        when it only normalises, casefold(text) when it only folds, else `text` itself."""
        canonical = self.normalization == "canonical"
        if self.casefolds:
            folded = unicodedata.normalize("NFD", text) if canonical else text
            text = folded.casefold()
        return unicodedata.normalize("NFC", text) if canonical else text

    def matches(self, value: str, candidate: str) -> bool:
        """Whether an item whose property is `candidate` passes this filter set to `value`.
        No character of `value` is a wildcard."""
        if not self.compares_as_is:
            value, candidate = self.key(value), self.key(candidate)
        if self.match == "equals":
            return candidate == value
        if self.match == "prefix":
            return candidate.startswith(value)
        return value in candidate


@dataclass(frozen=True)
class QueryPolicy:
    unknown: str  # ignore | reject
    repeated: str  # reject
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class QueryValues:
    """How a parameter's value is read before its schema judges it."""

    empty: str  # given: the empty string is the value its schema judges
    integers: str  # ascii-decimal, the one value allowed: what parameter_values.py implements
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class ErrorReporting:
    """How a request with several problems is answered: the status of the first problem in
    `order`; `invalid` says which rejected parameters a 400 lists."""

    order: tuple[int, ...]
    invalid: str  # report-all
    assumptions: tuple[str, ...]

    def first(self, statuses: Sequence[int]) -> int:
        """The status due for a request whose problems would each get one of `statuses`."""
        return min(statuses, key=self.order.index)


@dataclass(frozen=True)
class Detail:
    """The detail operation a list links to: its path parameter takes the item's `key`."""

    operation_id: str
    path: str
    parameter: str
    key: str
    item: tuple[str, ...]  # where the 200 body of the detail operation holds the item
    key_schema: Mapping[str, Any] = field(default_factory=dict)  # of the path parameter
    policy: QueryPolicy | None = None
    values: QueryValues | None = None
    reporting: ErrorReporting | None = None


@dataclass(frozen=True)
class ListResource:
    """A read-only resource: a paged list operation and the detail operation it links to."""

    name: str
    operation_id: str
    path: str
    parameters: Mapping[str, Mapping[str, Any]]  # query parameter -> its schema, inlined
    item_schema: Mapping[str, Any]
    paging: Paging
    sorting: Sorting | None
    filters: tuple[Filter, ...]
    combine: str | None
    policy: QueryPolicy
    detail: Detail
    unique: tuple[str, ...] = ()  # item properties no two items share a value of
    unique_assumptions: tuple[str, ...] = ()
    values: QueryValues | None = None
    reporting: ErrorReporting | None = None

    def default(self, parameter: str) -> Any:
        return self.parameters[parameter].get("default")

    @property
    def max_page_size(self) -> int | None:
        maximum = self.parameters[self.paging.step].get("maximum")
        return maximum if isinstance(maximum, int) else None

    def matches(self, filters: Mapping[str, str], item: Item) -> bool:
        """Whether `item` passes every filter given (parameter -> value); filters combine
        with AND, the one combination the schema allows."""
        return all(
            each.matches(filters[each.parameter], str(item[each.property_name]))
            for each in self.filters
            if each.parameter in filters
        )

    def promised(
        self, everything: Sequence[Item], query: Mapping[str, str]
    ) -> tuple[list[Any], int]:
        """The keys of the page and the total that the declarations promise for a list query
        (parameter -> value), computed from the whole collection in default order."""
        given = [(f, query[f.parameter]) for f in self.filters if f.parameter in query]
        matched = [
            item
            for item in everything
            if all(f.matches(value, str(item[f.property_name])) for f, value in given)
        ]
        if self.sorting is not None:
            direction = query.get(self.sorting.direction, self.default(self.sorting.direction))
            matched = self.sorting.order(matched, query.get(self.sorting.field), direction)
        start = int(query.get(self.paging.offset, self.default(self.paging.offset) or 0))
        size = int(query.get(self.paging.step, self.default(self.paging.step) or 0))
        return [item[self.detail.key] for item in matched[start : start + size]], len(matched)


def member(body: Any, path: Sequence[str]) -> Any:
    """The member of a JSON body at `path` (KeyError or TypeError when it is not there)."""
    for name in path:
        body = body[name]
    return body


def with_member(body: dict[str, Any], path: Sequence[str], value: Any) -> dict[str, Any]:
    """`body` with `value` set at `path`, creating the objects on the way."""
    node = body
    for name in path[:-1]:
        node = node.setdefault(name, {})
    node[path[-1]] = value
    return body


def pointer(path: PathKey) -> str:
    return "#" + "".join("/" + escape_pointer_token(token) for token in path)


@cache
def _validators() -> dict[str, jsonschema.Draft202012Validator]:
    schema = read_yaml(SCHEMA_FILE)
    return {
        name: jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{name}"})
        for name in DECLARATIONS
    }


def _request_name(expression: str) -> str:
    found = REQUEST.fullmatch(expression)
    return found["name"] if found else ""


def _response_path(expression: str) -> tuple[str, ...]:
    return tuple(expression.removeprefix(RESPONSE_PREFIX).split("."))


def response_schema(operation: Mapping[str, Any], status: int | str) -> Mapping[str, Any] | None:
    """The schema of the operation's JSON body for `status`, if it declares one."""
    response = (operation.get("responses") or {}).get(str(status)) or {}
    content = response.get("content") or {}
    schema = (content.get(JSON_MEDIA_TYPE) or {}).get("schema")
    return schema if isinstance(schema, dict) else None


def documented_results(document: Mapping[str, Any], resource: ListResource) -> list[Any]:
    """The list operation's documented 200 JSON examples (its `examples`, then its `example`),
    in order, each the whole body: the reference server serves their items by default, and the
    docs' samples fetch one of those."""
    path_item = deref(document["paths"][resource.path], document)
    operation = next(
        deref(candidate, document)
        for method, candidate in path_item.items()
        if method in HTTP_METHODS
        and deref(candidate, document).get("operationId") == resource.operation_id
    )
    response = deref((operation.get("responses") or {}).get("200") or {}, document)
    media = deref((response.get("content") or {}).get(JSON_MEDIA_TYPE) or {}, document)
    values = [deref(e, document).get("value") for e in (media.get("examples") or {}).values()]
    return values + ([media["example"]] if "example" in media else [])


def _ok_json(operation: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema of the 200 JSON body, or {}."""
    return response_schema(operation, 200) or {}


def _schema_at(schema: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any] | None:
    for name in path:
        properties = schema.get("properties") or {}
        if name not in properties or name not in (schema.get("required") or []):
            return None
        schema = properties[name]
    return schema


def _find_schema(
    schema: Mapping[str, Any], wanted: Mapping[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Member paths of required object properties whose schema is `wanted`."""
    if schema == wanted:
        yield path
        return
    for name, sub in (schema.get("properties") or {}).items():
        if name in (schema.get("required") or []) and isinstance(sub, dict):
            yield from _find_schema(sub, wanted, (*path, name))


@dataclass
class _Operation:
    path: str
    method: str
    node: Mapping[str, Any]
    where: PathKey

    @property
    def operation_id(self) -> str:
        return str(self.node.get("operationId") or f"{self.method.upper()} {self.path}")

    def parameters(self, location: str) -> dict[str, tuple[int, Mapping[str, Any]]]:
        return {
            str(p.get("name")): (index, p)
            for index, p in enumerate(self.node.get("parameters") or [])
            if isinstance(p, dict) and p.get("in") == location
        }


def _operations(view: Mapping[str, Any]) -> Iterator[_Operation]:
    for path, method, _, node in operations(view):
        yield _Operation(path, method, node, ("paths", path, method))


def declaration_problems(document: Mapping[str, Any]) -> Iterator[Problem]:
    """Every problem of the declarations in `document` (a spec with or without local refs).
    Paths are those of `document`, so a source map can name the file."""
    view = client_view(document)
    known_assumptions = {
        value.get("id")
        for _, value in iter_assumptions(view)
        if isinstance(value, dict) and isinstance(value.get("id"), str)
    }
    yield from _misplaced(document)
    operations = list(_operations(view))
    for operation in operations:
        yield from _operation_problems(operation, operations, known_assumptions)


def _misplaced(node: Any, path: PathKey = ()) -> Iterator[Problem]:
    """A declaration where no tool reads it: only operations and their parameters hold them."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _misplaced(item, (*path, index))
        return
    if not isinstance(node, dict):
        return
    is_operation = len(path) == 3 and path[0] == "paths" and path[2] in HTTP_METHODS
    is_parameter = (
        (len(path) == 5 and path[0] == "paths" and path[3] == "parameters")
        or (len(path) == 4 and path[0] == "paths" and path[2] == "parameters")
        or (len(path) == 3 and path[:2] == ("components", "parameters"))
    )
    is_parameter = is_parameter and node.get("in") == "query"
    for key, value in node.items():
        if key in DECLARATIONS and not (
            (is_operation and key in OPERATION_DECLARATIONS) or (is_parameter and key == FILTER)
        ):
            place = "a query parameter of an operation" if key == FILTER else "an operation"
            yield (*path, key), "x-declaration-placement", f"{key} belongs on {place}"
        elif key != ASSUMPTION:
            yield from _misplaced(value, (*path, key))


def _operation_problems(
    operation: _Operation, operations: Sequence[_Operation], known_assumptions: set[Any]
) -> Iterator[Problem]:
    where = operation.where
    query = operation.parameters("query")
    found: dict[PathKey, tuple[str, Any]] = {
        (*where, key): (key, operation.node[key])
        for key in OPERATION_DECLARATIONS
        if key in operation.node
    }
    for _name, (index, parameter) in query.items():
        if FILTER in parameter:
            found[(*where, "parameters", index, FILTER)] = (FILTER, parameter[FILTER])
    shaped_well = True
    for path, (key, value) in found.items():
        for error in _validators()[key].iter_errors(value):
            shaped_well = False
            yield (*path, *error.absolute_path), "x-declaration-shape", error.message
        for index, ident in enumerate(
            value.get("assumptions") or [] if isinstance(value, dict) else []
        ):
            if isinstance(ident, str) and ident not in known_assumptions:  # else: shape
                yield (
                    (*path, "assumptions", index),
                    "x-declaration-assumption",
                    f"names the assumption {ident!r}, which no x-assumptions list defines",
                )
    if not shaped_well:
        return
    yield from _every_operation_problems(operation)
    if PAGINATION not in operation.node:
        for path in found:
            if path[-1] not in EVERY_OPERATION:
                yield (
                    path,
                    "x-declaration-placement",
                    f"{path[-1]} needs x-pagination on the same operation",
                )
        return
    yield from _list_problems(operation, operations, query)


def _client_errors(operation: _Operation) -> set[str]:
    """The operation's 4xx response statuses."""
    return {
        str(status)
        for status in operation.node.get("responses") or {}
        if re.fullmatch(r"4[0-9][0-9]", str(status))
    }


def _every_operation_problems(operation: _Operation) -> Iterator[Problem]:
    """Every operation states how it treats its query, how it reads values and how it
    reports a request with several problems (of its 4xx statuses, which answers first)."""
    where, node = operation.where, operation.node
    statuses = _client_errors(operation)
    for key in EVERY_OPERATION:
        if key not in node and (statuses or key != ERROR_REPORTING):
            yield (*where,), "x-declaration-missing", f"an operation needs {key}"
    reporting = node.get(ERROR_REPORTING)
    if reporting is not None and set(reporting["order"]) != statuses:
        yield (
            (*where, ERROR_REPORTING, "order"),
            "x-declaration-values",
            f"orders {reporting['order']}, the operation's 4xx responses are {sorted(statuses)}",
        )


def _mismatched_key(key: str, sorting: Mapping[str, Any], enum: object) -> str:
    """The member of x-sorting a parameter's enum no longer fits: `ascending` or `descending`
    when the enum lost just that value, `fields` for the field's enum, else `direction`."""
    if key == "field":
        return "fields"
    values = (
        set(enum) if isinstance(enum, list) and all(isinstance(v, str) for v in enum) else set()
    )
    lost = [side for side in ("ascending", "descending") if sorting[side] not in values]
    return lost[0] if len(lost) == 1 else "direction"


def _list_problems(
    operation: _Operation,
    operations: Sequence[_Operation],
    query: Mapping[str, tuple[int, Mapping[str, Any]]],
) -> Iterator[Problem]:
    where = operation.where
    node = operation.node
    body = _ok_json(node)
    paging = node[PAGINATION]
    meaning: dict[str, str] = {}

    def parameter(path: PathKey, expression: str, kind: str, types: set[str]) -> Iterator[Problem]:
        name = _request_name(expression)
        if name not in query:
            yield (
                path,
                "x-declaration-parameter",
                f"{expression} names no query parameter of {operation.operation_id}",
            )
            return
        schema_type = (query[name][1].get("schema") or {}).get("type")
        if schema_type not in types:
            yield (
                path,
                "x-declaration-parameter",
                f"{expression} should be of type {' or '.join(sorted(types))}, not {schema_type}",
            )
        meaning[name] = kind

    for key, kind in (("offset", "paging offset"), ("step", "page size")):
        path = (*where, PAGINATION, key)
        yield from parameter(path, paging[key], kind, {"integer"})
        paged_by = query.get(_request_name(paging[key]), (0, {}))[1]
        if paged_by and (
            paged_by.get("required") or "default" not in (paged_by.get("schema") or {})
        ):
            yield (
                path,
                "x-declaration-parameter",
                f"{paging[key]} should be optional with a default: a request without it pages",
            )
    results = _schema_at(body, _response_path(paging["results"]))
    item: Mapping[str, Any] = {}
    if (
        results is None
        or results.get("type") != "array"
        or not isinstance(results.get("items"), dict)
    ):
        yield (
            (*where, PAGINATION, "results"),
            "x-declaration-response",
            f"{paging['results']} is no required array member of the 200 JSON body",
        )
    else:
        item = results["items"]
    total = _schema_at(body, _response_path(paging["total"]))
    if total is None or total.get("type") != "integer":
        yield (
            (*where, PAGINATION, "total"),
            "x-declaration-response",
            f"{paging['total']} is no required integer member of the 200 JSON body",
        )
    properties = item.get("properties") or {}

    def item_property(path: PathKey, name: str, types: set[str] | None = None) -> Iterator[Problem]:
        if not item:
            return
        if name not in properties or name not in (item.get("required") or []):
            yield (
                path,
                "x-declaration-property",
                f"the item schema has no required property {name!r}",
            )
        elif types and properties[name].get("type") not in types:
            yield (
                path,
                "x-declaration-property",
                f"property {name!r} should be of type {' or '.join(sorted(types))}",
            )

    unique = set((node.get(UNIQUE) or {}).get("properties") or [])
    if UNIQUE not in node:
        yield (
            (*where,),
            "x-declaration-missing",
            "a list operation needs x-unique (its detail key at least)",
        )
    for index, name in enumerate((node.get(UNIQUE) or {}).get("properties") or []):
        yield from item_property((*where, UNIQUE, "properties", index), name)
    sorting = node.get(SORTING)
    if sorting is not None:
        path = (*where, SORTING)
        yield from parameter((*path, "field"), sorting["field"], "sort field", {"string"})
        yield from parameter(
            (*path, "direction"), sorting["direction"], "sort direction", {"string"}
        )
        comparable = {"string", "integer"}
        for value, prop in sorting["fields"].items():
            yield from item_property((*path, "fields", value), prop, comparable)
            collation = sorting["collation"].get(value)
            if collation is not None:
                yield from item_property(
                    (*path, "collation", value), prop, COLLATED_TYPES[collation]
                )
        if set(sorting["collation"]) != set(sorting["fields"]):
            yield (
                (*path, "collation"),
                "x-declaration-values",
                f"collation covers {sorted(sorting['collation'])}, fields are "
                f"{sorted(sorting['fields'])}: one collation for each sort-field value",
            )
        yield from item_property((*path, "tie-breaker"), sorting["tie-breaker"], comparable)
        if UNIQUE in node and sorting["tie-breaker"] not in unique:
            yield (
                (*path, "tie-breaker"),
                "x-declaration-values",
                f"the tie-breaker {sorting['tie-breaker']!r} is not among the x-unique "
                "properties: equal tie-breakers would leave the order open",
            )
        for key, wanted in (
            ("field", set(sorting["fields"])),
            ("direction", {sorting["ascending"], sorting["descending"]}),
        ):
            name = _request_name(sorting[key])
            enum = (query[name][1].get("schema") or {}).get("enum") if name in query else None
            if name in query and (
                not isinstance(enum, list)
                or not all(isinstance(value, str) for value in enum)
                or set(enum) != wanted
                or len(enum) != len(wanted)
            ):
                yield (
                    (*path, _mismatched_key(key, sorting, enum)),
                    "x-declaration-values",
                    f"{sorting[key]} allows {enum}, the declaration {sorted(wanted)}",
                )
    for name, (index, parameter_node) in query.items():
        declared = parameter_node.get(FILTER)
        if declared is not None:
            path = (*where, "parameters", index, FILTER)
            yield from parameter(path, f"$request.{name}", "filter", {"string"})
            if "default" in (parameter_node.get("schema") or {}) or parameter_node.get("required"):
                yield (
                    path,
                    "x-declaration-parameter",
                    f"filter {name!r} should be optional without a default: absent, it keeps all",
                )
            yield from item_property((*path, "property"), declared["property"], {"string"})
    if any(FILTER in p for _, p in query.values()) and FILTERING not in node:
        yield (
            (*where,),
            "x-declaration-missing",
            "an operation with filters needs x-filtering (how they combine)",
        )
    for name, (index, _) in query.items():
        if name not in meaning:
            yield (
                (*where, "parameters", index),
                "x-declaration-missing",
                f"query parameter {name!r} has no declared meaning (paging, sorting or x-filter)",
            )
    yield from _link_problems(operation, operations, paging, item)


def _detail_link(
    operation: _Operation, operations: Sequence[_Operation], results: str
) -> tuple[_Operation, str, str] | None:
    """(detail operation, its path parameter, item property) from the 200 response's links."""
    links = ((operation.node.get("responses") or {}).get("200") or {}).get("links") or {}
    by_id = {op.operation_id: op for op in operations}
    for link in links.values():
        target = by_id.get(str(link.get("operationId")))
        if target is None or target.method != "get":
            continue
        path_parameters = target.parameters("path")
        for name, expression in (link.get("parameters") or {}).items():
            found = LINK_INTO_ITEM.fullmatch(str(expression))
            if (
                name in path_parameters
                and len(path_parameters) == 1
                and found
                and found["results"] == results
            ):
                return target, name, found["property"]
    return None


def _link_problems(
    operation: _Operation,
    operations: Sequence[_Operation],
    paging: Mapping[str, Any],
    item: Mapping[str, Any],
) -> Iterator[Problem]:
    results = "/" + "/".join(_response_path(paging["results"]))
    found = _detail_link(operation, operations, results)
    where = (*operation.where, "responses", "200")
    if found is None:
        yield (
            where,
            "x-declaration-detail-link",
            f"no link of the 200 response fills a detail operation's path parameter from "
            f"$response.body#{results}/0/<property>",
        )
        return
    target, _, key = found
    if item and (key not in (item.get("properties") or {}) or key not in item.get("required", [])):
        yield (
            (*where, "links"),
            "x-declaration-detail-link",
            f"the link names {key!r}, which is no required property of the item schema",
        )
    if UNIQUE in operation.node and key not in operation.node[UNIQUE]["properties"]:
        yield (
            (*operation.where, UNIQUE, "properties"),
            "x-declaration-values",
            f"the detail key {key!r} is not among the x-unique properties: one key must "
            "name one item",
        )
    if len(list(_find_schema(_ok_json(target.node), item))) != 1:
        yield (
            (*target.where, "responses", "200"),
            "x-declaration-detail-link",
            f"the 200 body of {target.operation_id} should hold the list's item schema once",
        )


def _problem_text(problems: Sequence[Problem]) -> str:
    return "\n".join(f"{pointer(path)} [{rule}] {message}" for path, rule, message in problems)


def list_resources(document: Mapping[str, Any]) -> tuple[ListResource, ...]:
    """Every list resource of a spec whose declarations are valid (else DeclarationError)."""
    problems = list(declaration_problems(document))
    if problems:
        raise DeclarationError(
            "the spec's behaviour declarations are invalid:\n" + _problem_text(problems)
        )
    view = client_view(document)
    operations = list(_operations(view))
    return tuple(
        _resource(operation, operations) for operation in operations if PAGINATION in operation.node
    )


def _assumptions(node: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(node["assumptions"])


def _resource(operation: _Operation, operations: Sequence[_Operation]) -> ListResource:
    node = operation.node
    raw = node[PAGINATION]
    paging = Paging(
        offset=_request_name(raw["offset"]),
        step=_request_name(raw["step"]),
        results=_response_path(raw["results"]),
        total=_response_path(raw["total"]),
        assumptions=_assumptions(raw),
    )
    results = _schema_at(_ok_json(node), paging.results) or {}
    item = results["items"]
    found = _detail_link(operation, operations, "/" + "/".join(paging.results))
    assert found is not None  # declaration_problems() said so
    target, parameter, key = found
    (item_path,) = _find_schema(_ok_json(target.node), item)
    (_, path_parameter) = target.parameters("path")[parameter]
    key_schema = dict(path_parameter.get("schema") or {})
    detail = Detail(
        target.operation_id, target.path, parameter, key, item_path, key_schema,
        _policy(target.node), _values(target.node), _reporting(target.node),
    )  # fmt: skip
    query = operation.parameters("query")
    filters = tuple(
        Filter(
            parameter=name,
            property_name=p[FILTER]["property"],
            match=p[FILTER]["match"],
            case=p[FILTER]["case"],
            normalization=p[FILTER]["normalization"],
            assumptions=_assumptions(p[FILTER]),
        )
        for name, (_, p) in query.items()
        if FILTER in p
    )
    raw_sorting = node.get(SORTING)
    sorting = None
    if raw_sorting is not None:
        sorting = Sorting(
            field=_request_name(raw_sorting["field"]),
            direction=_request_name(raw_sorting["direction"]),
            fields=dict(raw_sorting["fields"]),
            ascending=raw_sorting["ascending"],
            descending=raw_sorting["descending"],
            collation=dict(raw_sorting["collation"]),
            tie_breaker=raw_sorting["tie-breaker"],
            descending_order=raw_sorting["descending-order"],
            default_order=raw_sorting["default-order"],
            direction_without_field=raw_sorting["direction-without-field"],
            assumptions=_assumptions(raw_sorting),
        )
    policy = _policy(node)
    assert policy is not None  # declaration_problems() said so
    return ListResource(
        name=str(item.get("title") or operation.operation_id),
        operation_id=operation.operation_id,
        path=operation.path,
        parameters={name: dict(p.get("schema") or {}) for name, (_, p) in query.items()},
        item_schema=item,
        paging=paging,
        sorting=sorting,
        filters=filters,
        combine=(node.get(FILTERING) or {}).get("combine"),
        policy=policy,
        detail=detail,
        unique=tuple(node[UNIQUE]["properties"]),
        unique_assumptions=_assumptions(node[UNIQUE]),
        values=_values(node),
        reporting=_reporting(node),
    )


def _policy(node: Mapping[str, Any]) -> QueryPolicy | None:
    raw = node.get(QUERY_POLICY)
    if raw is None:
        return None
    return QueryPolicy(raw["unknown"], raw["repeated"], _assumptions(raw))


def _values(node: Mapping[str, Any]) -> QueryValues | None:
    raw = node.get(QUERY_VALUES)
    if raw is None:
        return None
    return QueryValues(raw["empty"], raw["integers"], _assumptions(raw))


def _reporting(node: Mapping[str, Any]) -> ErrorReporting | None:
    raw = node.get(ERROR_REPORTING)
    if raw is None:
        return None
    order = tuple(int(status) for status in raw["order"])
    return ErrorReporting(order, raw["invalid"], _assumptions(raw))


def list_operations(document: Mapping[str, Any]) -> dict[tuple[str, str], ListResource]:
    """Each list resource of `document` by the (method, path) of its list operation, for the
    tools that must find that operation again (the client templates, the docs)."""
    resources = {(r.path, r.operation_id): r for r in list_resources(document)}
    found: dict[tuple[str, str], ListResource] = {}
    for operation in _operations(client_view(document)):
        resource = resources.get((operation.path, operation.operation_id))
        if resource is not None:
            found[(operation.method, operation.path)] = resource
    return found


def page_parameters(paging: Paging) -> tuple[str, str]:
    """(start, size): the names of the query parameters that pick a page, for tools that
    build page queries without naming the fields of Paging."""
    return paging.offset, paging.step

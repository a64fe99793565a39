"""Rules that judge one answer on its own, shared by the property checks (which send their own
requests) and the traffic checks (which read requests others sent): a rule written twice is a
rule that drifts. Each yields (check, what is wrong); the check names are those of
properties.CHECKS, so a finding falls to the assumptions that check speaks for."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import jsonschema
import jsonschema_rs

from contract.spec.declarations import Item, ListResource
from contract.spec.parameter_values import read_parameter

Problem = tuple[str, str]  # (check, what is wrong)


# Compiled validators by the identity of their schema, which is kept alive beside them.
_COMPILED: dict[int, tuple[Mapping[str, Any], Any]] = {}


def compiled(schema: Mapping[str, Any]) -> Any:
    """A compiled (jsonschema-rs) validator of `schema`, made once per schema object."""
    found = _COMPILED.get(id(schema))
    if found is None or found[0] is not schema:
        found = _COMPILED[id(schema)] = (schema, jsonschema_rs.validator_for(dict(schema)))
    return found[1]


def schema_error(schema: Mapping[str, Any], instance: Any) -> str | None:
    """Why `instance` breaks `schema` (jsonschema's best match, with where), or None. The
    compiled validator decides, so a valid instance costs little."""
    if compiled(schema).is_valid(instance):
        return None
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(instance)
    )
    if error is None:  # the two validators disagree: trust the one that gives a reason
        return None
    return f"{error.message[:200]} at /" + "/".join(map(str, error.absolute_path))


def parameter_allows(schema: Mapping[str, Any], raw: str) -> bool:
    """Whether the parameter's schema allows the string `raw`."""
    try:
        value = read_parameter(schema, raw)
    except ValueError:
        return False
    return bool(compiled(schema).is_valid(value))


def effective(resource: ListResource, query: Mapping[str, str], name: str) -> Any:
    """The value of a list parameter a request gave, else its default."""
    return query.get(name, resource.default(name))


def page_problems(
    resource: ListResource, query: Mapping[str, str], items: Sequence[Item], total: int
) -> Iterator[Problem]:
    """What one page of a list answer breaks of the declarations, on its own: its length given
    the total, the offset and the page size; its items against the filters; its order
    against the sort declaration. `query` holds the request's (valid) parameters."""
    offset = int(effective(resource, query, resource.paging.offset) or 0)
    size = effective(resource, query, resource.paging.step)
    if size is not None:
        wanted = max(0, min(int(size), total - offset))
        if len(items) != wanted:
            yield (
                "paging",
                f"{len(items)} items on a page of {resource.paging.step}={size} at "
                f"{resource.paging.offset}={offset} with a total of {total}; {wanted} expected",
            )
    filters = {f.parameter: query[f.parameter] for f in resource.filters if f.parameter in query}
    key = resource.detail.key
    for item in items:
        if not resource.matches(filters, item):
            given = ", ".join(f"{name}={value!r}" for name, value in filters.items())
            rules = ", ".join(
                f"{f.match}, {f.case}" for f in resource.filters if f.parameter in filters
            )
            yield "filters", f"item {item.get(key)!r} does not match {given} (declared: {rules})"
            break
    sorting = resource.sorting
    if sorting is None:
        return
    field = query.get(sorting.field)
    if field is None and sorting.default_order != "tie-breaker":
        return  # the insertion order cannot be seen on one page
    if field is not None and field not in sorting.fields:
        return
    direction = effective(resource, query, sorting.direction)
    ordered = sorting.order(items, field, direction)
    if [item.get(key) for item in ordered] != [item.get(key) for item in items]:
        yield (
            "sorting",
            f"the page is not in the declared order of {sorting.field}={field}, "
            f"{sorting.direction}={direction} (ties by {sorting.tie_breaker}, descending "
            f"{sorting.descending_order})",
        )


def detail_problems(
    resource: ListResource, asked: str, item: Any, listed: Item | None
) -> Iterator[str]:
    """What a 200 answer of the detail operation breaks: its item is the one the path asked
    for (keys compare exactly), and it agrees with that key's list entry, when one is known,
    on every property of the item schema (others may be added)."""
    if not isinstance(item, dict):
        yield "no item where the declaration says"
        return
    found = item.get(resource.detail.key)
    if str(found) != asked:
        yield f"the item {found!r} for the key {asked!r}"
    if listed is not None:
        properties = resource.item_schema.get("properties") or {}
        differs = [name for name in properties if item.get(name, ...) != listed.get(name, ...)]
        if differs:
            yield f"differs from its list entry in {differs}"


def declared_headers(response: Mapping[str, Any]) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """(name, schema) of each header a documented response declares required or with a
    schema: what every answer of that status holds (a required one is present)."""
    found = []
    for name, header in (response.get("headers") or {}).items():
        if not isinstance(header, Mapping):
            continue
        schema = header.get("schema")
        if isinstance(schema, Mapping) or header.get("required"):
            found.append((str(name), dict(schema) if isinstance(schema, Mapping) else {}))
    return tuple(found)


def required_headers(response: Mapping[str, Any]) -> tuple[str, ...]:
    """The headers a documented response declares required."""
    return tuple(
        str(name)
        for name, header in (response.get("headers") or {}).items()
        if isinstance(header, Mapping) and header.get("required")
    )


def header_problems(
    response: Mapping[str, Any], values: Callable[[str], Sequence[str]]
) -> Iterator[tuple[str, str]]:
    """(header, what is wrong) for each header of an answer that breaks what its documented
    `response` declares: a required header missing, a value outside the header's schema.
    `values` gives the values an answer sent under a header name (any case)."""
    for name, schema in declared_headers(response):
        sent = values(name)
        header = (response.get("headers") or {})[name]
        if not sent:
            if header.get("required"):
                yield name, "is missing"
            continue
        for value in sent:
            error = schema_error(schema, value) if schema else None
            if error is not None:
                yield name, f"{value[:80]!r} breaks its schema: {error}"
                break

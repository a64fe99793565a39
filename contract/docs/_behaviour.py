"""The "Behaviour" section of a list operation's docs, written from its declarations (paging,
filters, sorting, query policy, detail link), so the page says what the spec declares and
never drifts from it. Each rule names the assumption ids that decided it."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Final

from contract.spec.declarations import Filter, ListResource, Sorting, list_operations

HEADING: Final = "#### Behaviour"
MATCHES: Final = {
    "equals": "equals the value",
    "contains": "contains the value",
    "prefix": "starts with the value",
}
CASES: Final = {
    "sensitive": "case-sensitive",
    "unicode-casefold": "ignoring case (Unicode full case folding: `ß` matches `SS`)",
}
COLLATIONS: Final = {
    "code-point": "by Unicode code point (case-sensitive: `B` sorts before `a`)",
    "numeric": "by value (2 before 10)",
}
NORMALIZATIONS: Final = {
    "none": "code point by code point (a decomposed `é` is not a precomposed one)",
    "canonical": "up to canonical equivalence (a decomposed `é` matches a precomposed one)",
}
COMBINES: Final = {"and": "combined with AND (an item is listed only if it matches each)"}
UNKNOWN: Final = {
    "ignore": "a query parameter the operation does not define is ignored",
    "reject": "a query parameter the operation does not define is rejected with 400",
}
REPEATED: Final = {"reject": "a defined one given more than once is rejected with 400"}
EMPTY: Final = {
    "given": "an empty value (`name=`) is a value, checked like any other",
}
INTEGERS: Final = {
    "ascii-decimal": (
        "an integer is written as an optional `-` and ASCII digits only (`+5`, ` 5` and `\u0665`"
        " are no integers)"
    )
}
INVALID: Final = {"report-all": "a 400 lists every rejected parameter in `invalid_params`"}


def code(name: str) -> str:
    return f"`{name}`"


def member(path: Sequence[str]) -> str:
    return code(".".join(path))


def decided_by(ids: Sequence[str]) -> str:
    return f" (assumption {', '.join(map(code, ids))})"


def bounds(schema: Mapping[str, Any]) -> str:
    """What a parameter's schema allows, e.g. "1 to 1000, default 100"."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        parts = [f"{low} to {high}"]
    elif low is not None:
        parts = [f"at least {low}"]
    elif high is not None:
        parts = [f"at most {high}"]
    else:
        parts = []
    if "default" in schema:
        parts.append(f"default {schema['default']}")
    return f" ({', '.join(parts)})" if parts else ""


def paging_rule(resource: ListResource) -> str:
    paging = resource.paging
    return (
        f"- Paging: {code(paging.offset)} skips that many matches"
        f"{bounds(resource.parameters[paging.offset])}; {code(paging.step)} sets the page size"
        f"{bounds(resource.parameters[paging.step])}. The items are in {member(paging.results)};"
        f" {member(paging.total)} counts every match, on every page."
        f"{decided_by(paging.assumptions)}"
    )


def filter_rule(found: Filter) -> str:
    property_name = code(found.property_name)
    return (
        f"  - {code(found.parameter)} keeps the items whose {property_name}"
        f" {MATCHES[found.match]}, {CASES[found.case]}, compared"
        f" {NORMALIZATIONS[found.normalization]}; no character is a wildcard"
        f" (`%` and `_` match themselves).{decided_by(found.assumptions)}"
    )


def filter_rules(resource: ListResource) -> list[str]:
    if not resource.filters:
        return []
    combine = COMBINES.get(resource.combine or "", "")
    return [
        f"- Filters, {combine}:" if combine else "- Filters:",
        *map(filter_rule, resource.filters),
    ]


def sorting_rules(sorting: Sorting, parameters: Mapping[str, Mapping[str, Any]]) -> list[str]:
    field, direction = code(sorting.field), code(sorting.direction)
    fields = ", ".join(
        f"{code(value)} → {code(prop)}, {COLLATIONS[sorting.collation[value]]}"
        for value, prop in sorting.fields.items()
    )
    default_direction = parameters[sorting.direction].get("default")
    directions = (
        f"{direction} is {code(sorting.ascending)} (ascending) or {code(sorting.descending)}"
        f" (descending)"
        + ("" if default_direction is None else f", default {code(str(default_direction))}")
    )
    tie = code(sorting.tie_breaker)
    reverse = (
        f"{code(sorting.descending)} is the exact reverse of {code(sorting.ascending)}, ties"
        " included"
        if sorting.descending_order == "exact-reverse"
        else f"ties stay in ascending {tie} order in both directions"
    )
    default_order = (
        "in the order they were created"
        if sorting.default_order == "insertion"
        else f"by {tie}, ascending"
    )
    without_field = (
        f"{direction} alone is ignored"
        if sorting.direction_without_field == "ignored"
        else f"{code(sorting.direction + '=' + sorting.descending)} alone reverses that order"
    )
    return [
        f"- Sorting: {field} orders by an item property ({fields}); {directions}."
        f" Ties are broken by {tie}; {reverse}. Without {field} the items come"
        f" {default_order}, and {without_field} (a value the direction does not allow is"
        " still rejected with 400)."
        f"{decided_by(sorting.assumptions)}"
    ]


def policy_rule(resource: ListResource) -> str:
    policy = resource.policy
    return (
        f"- Query: {UNKNOWN[policy.unknown]}; {REPEATED[policy.repeated]}."
        f"{decided_by(policy.assumptions)}"
    )


def values_rule(resource: ListResource) -> list[str]:
    values = resource.values
    if values is None:
        return []
    return [
        f"- Values: {EMPTY[values.empty]}; {INTEGERS[values.integers]}."
        f"{decided_by(values.assumptions)}"
    ]


def unique_rule(resource: ListResource) -> str:
    names = " and ".join(map(code, resource.unique))
    return (
        f"- Unique: no two items share a value of {names}.{decided_by(resource.unique_assumptions)}"
    )


def reporting_rule(resource: ListResource) -> list[str]:
    reporting = resource.reporting
    if reporting is None:
        return []
    order = ", then ".join(map(str, reporting.order))
    return [
        f"- Errors: a request with several problems gets the first status of {order};"
        f" {INVALID[reporting.invalid]}.{decided_by(reporting.assumptions)}"
    ]


def detail_rule(resource: ListResource) -> str:
    detail = resource.detail
    rule = (
        f"- Details: an item's {code(detail.key)} fills {code('{' + detail.parameter + '}')}"
        f" of {code('GET ' + detail.path)} ({code(detail.operation_id)})"
    )
    if detail.policy is not None:
        rule += f", where {UNKNOWN[detail.policy.unknown]}"
    if detail.reporting is not None:
        order = ", then ".join(map(str, detail.reporting.order))
        rule += f"; a request with several problems gets the first status of {order}"
    return rule + "."


def behaviour_rules(resource: ListResource) -> str:
    """The rules as Markdown bullets, one per rule."""
    sorting = (
        [] if resource.sorting is None else sorting_rules(resource.sorting, resource.parameters)
    )
    lines = [
        paging_rule(resource),
        *filter_rules(resource),
        *sorting,
        policy_rule(resource),
        *values_rule(resource),
        unique_rule(resource),
        *reporting_rule(resource),
        detail_rule(resource),
    ]
    return "\n".join(lines) + "\n"


def behaviour_section(resource: ListResource) -> str:
    return f"{HEADING}\n\n{behaviour_rules(resource)}"


def with_behaviour(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a bundled spec in which each list operation's description ends with its
    Behaviour section: for the docs page only, never for the published contract."""
    shown = copy.deepcopy(dict(document))
    for (method, path), resource in list_operations(document).items():
        operation = shown["paths"][path][method]
        description = str(operation.get("description") or "").rstrip()
        operation["description"] = f"{description}\n\n{behaviour_section(resource)}".lstrip()
    return shown

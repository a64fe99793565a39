"""Which declared rule explains a wrong list answer. Charging a finding of the oracle or of the
sorting check to every assumption its request touched blames rules that hold: a server whose
only fault is its default direction would contradict the paging and sort-field assumptions
too. So each single change of the declarations is tried on the query, and only the changes
that promise exactly what the server sent name the assumptions the finding contradicts.
A finding no single change explains is unattributed rather than charged to a guess.

The changes come from the declarations themselves (every other value their schema allows,
every other item property that fits), and their assumptions from the spec: the ids of the
parameter a changed field is about, and the declaration's own `assumptions`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final

from contract.conformance._verdicts import parameter_ids
from contract.conformance.properties import Attribution, Subject
from contract.spec.declarations import FILTER, SCHEMA_FILE, SORTING, Item, ListResource
from contract.spec.source import read_yaml

UNATTRIBUTED: Final = "no single change of a declared rule gives this answer"
AMBIGUOUS: Final = "changes of different rules give this answer, so none is charged"
Answer = tuple[list[Any], int]  # the keys of a page's items, and its total


@dataclass(frozen=True)
class Change:
    """The resource with one declared rule changed, and the assumptions that rule encodes."""

    label: str
    resource: ListResource
    ids: tuple[str, ...]


@cache
def allowed(declaration: str, key: str) -> tuple[str, ...]:
    """The values the declarations schema allows for one field of a declaration."""
    schema = read_yaml(SCHEMA_FILE)["$defs"][declaration]["properties"][key]
    return tuple(schema.get("enum") or ())


def other_values(declaration: str, rule: object, *names: str) -> Iterator[tuple[str, Any]]:
    """(what changes, the changed fields) for every other allowed value of each field."""
    for name in names:
        key, old = name.replace("_", "-"), getattr(rule, name)
        for new in allowed(declaration, key):
            if new != old:
                yield f"{key}: {old} -> {new}", {name: new}


def item_properties(resource: ListResource, types: set[str]) -> list[str]:
    """The required item properties of one of `types`: those every item has to compare."""
    schema = resource.item_schema
    required = set(schema.get("required") or ())
    return [
        name
        for name, node in (schema.get("properties") or {}).items()
        if name in required and node.get("type") in types
    ]


def narrowed(declared: Sequence[str], about: Iterable[str]) -> tuple[str, ...]:
    """The declaration's assumptions that the parameter a field is about carries, or all of
    them when the spec does not tie that parameter to one."""
    about = set(about)
    return tuple(i for i in declared if i in about) or tuple(declared)


def with_default(resource: ListResource, parameter: str, value: Any) -> ListResource:
    schema = {**resource.parameters[parameter], "default": value}
    return replace(resource, parameters={**resource.parameters, parameter: schema})


def sorting_changes(subject: Subject) -> Iterator[Change]:
    """Each other descending order, default order and direction rule; another tie-breaker;
    each sort-field value ordering by another property; the other direction as default."""
    resource, rule, listing = subject.resource, subject.resource.sorting, subject.list_operation
    if rule is None:
        return
    by_field = narrowed(rule.assumptions, parameter_ids(listing, [rule.field]))
    by_direction = narrowed(rule.assumptions, parameter_ids(listing, [rule.direction]))
    directions = other_values(SORTING, rule, "descending_order", "direction_without_field")
    changed = [(text, fields, by_direction) for text, fields in directions]
    changed += [(t, fields, by_field) for t, fields in other_values(SORTING, rule, "default_order")]
    comparable = item_properties(resource, {"string", "integer"})
    changed += [
        (f"tie-breaker: {rule.tie_breaker} -> {p}", {"tie_breaker": p}, by_field)
        for p in comparable
        if p != rule.tie_breaker
    ]
    changed += [
        (f"fields.{value}: {old} -> {p}", {"fields": {**rule.fields, value: p}}, by_field)
        for value, old in rule.fields.items()
        for p in comparable
        if p != old
    ]
    for text, fields, ids in changed:
        yield Change(f"{SORTING} {text}", replace(resource, sorting=replace(rule, **fields)), ids)
    default = resource.default(rule.direction)
    for other in (rule.ascending, rule.descending):
        if other != default:
            yield Change(
                f"{rule.direction} default: {default} -> {other}",
                with_default(resource, rule.direction, other),
                by_direction,
            )


def filter_changes(subject: Subject) -> Iterator[Change]:
    """For each filter: each other match and case, and another string property compared."""
    resource = subject.resource
    strings = item_properties(resource, {"string"})
    for each in resource.filters:
        ids = (*sorted(parameter_ids(subject.list_operation, [each.parameter])), *each.assumptions)
        changed = [
            *other_values(FILTER, each, "match", "case"),
            *(
                (f"property: {each.property_name} -> {p}", {"property_name": p})
                for p in strings
                if p != each.property_name
            ),
        ]
        for text, fields in changed:
            filters = tuple(replace(f, **fields) if f is each else f for f in resource.filters)
            yield Change(
                f"{each.parameter} {FILTER} {text}",
                replace(resource, filters=filters),
                tuple(dict.fromkeys(ids)),
            )


def changes(subject: Subject, query: Mapping[str, str], got: Answer) -> Iterator[Change]:
    """Every single change of the declarations worth trying for `query`. A page asked without
    a step may have been cut by another default page size: the size of what was sent."""
    yield from sorting_changes(subject)
    yield from filter_changes(subject)
    resource, step = subject.resource, subject.resource.paging.step
    if step not in query and got[0]:
        ids = sorted(parameter_ids(subject.list_operation, [step]))
        yield Change(
            f"{step} default: {resource.default(step)} -> {len(got[0])}",
            with_default(resource, step, len(got[0])),
            tuple(ids) or resource.paging.assumptions,
        )


def ignored(
    subject: Subject, everything: Sequence[Item], query: Mapping[str, str]
) -> Iterator[tuple[Change, Answer]]:
    """Each parameter of `query` ignored, as if the spec did not declare it: the answer
    promised without it, charged to that parameter's assumptions (or, for one with none, to
    those of the declaration that reads it)."""
    resource, listing = subject.resource, subject.list_operation
    for name in query:
        ids = tuple(sorted(parameter_ids(listing, [name])))
        if not ids and name in {resource.paging.offset, resource.paging.step}:
            ids = resource.paging.assumptions
        rest = {other: value for other, value in query.items() if other != name}
        yield Change(f"{name} were ignored", resource, ids), resource.promised(everything, rest)


def attribute(
    subject: Subject, everything: Sequence[Item], query: Mapping[str, str], got: Answer
) -> Attribution:
    """The assumptions of the declared rules whose single change promises `got` (keys and
    total) for `query` over `everything` (the collection in default order), a parameter the
    server ignores included; none, and an explanation that says so, when no single change
    does."""
    found = [
        c for c in changes(subject, query, got) if c.resource.promised(everything, query) == got
    ]
    found += [c for c, promised in ignored(subject, everything, query) if promised == got]
    if not found:
        return Attribution((), UNATTRIBUTED)
    # Several changes explain it: only the assumptions they all speak for are contradicted.
    ids = tuple(i for i in found[0].ids if all(i in change.ids for change in found))
    explanation = "the server answers as if " + " or ".join(c.label for c in found)
    return Attribution(ids, explanation if ids else f"{explanation}: {AMBIGUOUS}")

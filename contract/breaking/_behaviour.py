"""Changes of declared behaviour, which no structural checker sees: each field of each
declaration (x-pagination, x-sorting, x-filtering, x-unique, x-query-policy, x-query-values,
x-error-reporting, x-filter), judged by the
`x-change` rule its JSON Schema gives it (contract/spec/declarations.schema.yaml); the detail
link, whose parameter names the item property that fetches an item; and the decision of each
assumption, whose prose no rule can read, listed for review."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from contract.breaking.changes import Change, Kind, Verdict
from contract.spec.assumptions import EXTENSION
from contract.spec.change_rules import change_rules, field_rule
from contract.spec.client_view import parameter_key, pointer
from contract.spec.declarations import FILTER, OPERATION_DECLARATIONS
from contract.spec.source import operations

LINKS = ("responses", "200", "links")  # where an operation's links to the detail live


def declared(at: str, verdict: Verdict, kind: Kind, reason: str) -> Change:
    """A change of a declaration, judged by its x-change rule (declarations.schema.yaml)."""
    rule = "declaration-broken" if verdict is Verdict.BREAKING else "declaration-kept"
    return Change(at, verdict, kind, reason, rule)


def show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def behaviour_changes(before: Any, after: Any) -> list[Change]:
    """Every change of declared behaviour between two client views, with its verdict."""
    schemas = change_rules()
    found: list[Change] = []
    current = {(path, method): op for path, method, _, op in operations(after)}
    for path, method, _, old in operations(before):
        new = current.get((path, method))
        if new is None:
            continue  # a removed operation is a structural change, found elsewhere
        at = ("paths", path, method)
        for name in OPERATION_DECLARATIONS:
            found += declaration(schemas, name, old.get(name), new.get(name), (*at, name))
        olds = {parameter_key(p): p for p in dicts(old.get("parameters"))}
        for j, parameter in enumerate(new.get("parameters") or []):
            if not isinstance(parameter, dict):
                continue
            was = olds.get(parameter_key(parameter))
            if was is None:
                continue  # a new parameter brings its declaration with it
            found += declaration(
                schemas,
                FILTER,
                was.get(FILTER),
                parameter.get(FILTER),
                (*at, "parameters", j, FILTER),
            )
        found += link_changes(old, new, at)
    found += assumption_changes(before, after)
    return sorted(set(found))


def dicts(node: Any) -> list[dict[str, Any]]:
    return [item for item in node if isinstance(item, dict)] if isinstance(node, list) else []


def declaration(
    schemas: Mapping[str, Any], name: str, old: Any, new: Any, at: tuple[str | int, ...]
) -> Iterator[Change]:
    if old == new:
        return
    schema = schemas[name]
    rule = schema.get("x-change") or {}
    where = pointer(*at)
    if old is None:
        verdict = Verdict(rule.get("added", "compatible"))
        yield declared(where, verdict, Kind.ADDED, f"{name} declared")
        return
    if new is None:
        verdict = Verdict(rule.get("removed", "breaking"))
        yield declared(where, verdict, Kind.REMOVED, f"{name} no longer declared: {rule['why']}")
        return
    if not isinstance(old, dict) or not isinstance(new, dict):  # not a declaration (lint says so)
        said = f"{name} {show(old)} -> {show(new)}: {rule['why']}"
        yield declared(where, Verdict.BREAKING, Kind.CHANGED, said)
        return
    for field, field_schema in (schema.get("properties") or {}).items():
        yield from field_change(
            schemas, f"{name}.{field}", field_schema, old.get(field), new.get(field), (*at, field)
        )


def field_change(
    schemas: Mapping[str, Any],
    label: str,
    schema: Mapping[str, Any],
    old: Any,
    new: Any,
    at: tuple[str | int, ...],
) -> Iterator[Change]:
    if old == new:
        return
    rule = field_rule(dict(schemas), dict(schema)) or {
        "breaks": "any",
        "why": "no rule of ours knows this field",
    }
    where = pointer(*at)
    kind = Kind.ADDED if old is None else Kind.REMOVED if new is None else Kind.CHANGED
    said = f"{label} {show(old)} -> {show(new)}"
    if rule["breaks"] == "never":
        yield declared(where, Verdict.COMPATIBLE, kind, f"{said}: {rule['why']}")
    elif rule["breaks"] == "removed" and isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if old.get(key) == new.get(key):
                continue
            if key not in old:
                text = f"{label} gains {key!r}"
                yield declared(pointer(*at, key), Verdict.COMPATIBLE, Kind.ADDED, text)
            else:
                text = f"{label} {key!r}: {show(old[key])} -> {show(new.get(key))}: {rule['why']}"
                gone = Kind.REMOVED if key not in new else Kind.CHANGED
                yield declared(pointer(*at, key), Verdict.BREAKING, gone, text)
    elif rule["breaks"] == "removed" and isinstance(old, list) and isinstance(new, list):
        lost = [value for value in old if value not in new]
        gained = [value for value in new if value not in old]
        if not lost and not gained:
            return  # the same items in another order: a set
        if lost:
            text = f"{label} loses {show(lost)}: {rule['why']}"
            yield declared(where, Verdict.BREAKING, Kind.REMOVED, text)
        else:
            text = f"{label} gains {show(gained)}"
            yield declared(where, Verdict.COMPATIBLE, Kind.ADDED, text)
    elif [old, new] in (rule.get("compatible") or []):
        yield declared(where, Verdict.COMPATIBLE, kind, f"{said}: no client relied on it")
    else:
        yield declared(where, Verdict.BREAKING, kind, f"{said}: {rule['why']}")


def link_changes(old: Any, new: Any, at: tuple[str | int, ...]) -> Iterator[Change]:
    """A link's parameters say which item property fills the linked operation's parameter:
    clients fetch an item by what the link names."""
    was, now = links_of(old), links_of(new)
    for name, link in was.items():
        if name in now and link.get("parameters") != now[name].get("parameters"):
            yield Change(
                pointer(*at, *LINKS, name, "parameters"),
                Verdict.BREAKING,
                Kind.CHANGED,
                f"link {name!r} fills its parameters from elsewhere: "
                f"{show(link.get('parameters'))} -> {show(now[name].get('parameters'))}",
                "link-changed",
            )


def links_of(operation: Any) -> dict[str, Any]:
    node = operation
    for key in LINKS:
        node = node.get(key) if isinstance(node, dict) else None
    return {k: v for k, v in node.items() if isinstance(v, dict)} if isinstance(node, dict) else {}


def assumption_changes(before: Any, after: Any) -> Iterator[Change]:
    """An assumption whose decision reads otherwise may change what clients rely on; only a
    person can tell, so it is listed for review."""
    was, now = assumptions(before), assumptions(after)
    for key, (decision, where) in sorted(now.items()):
        if key in was and was[key][0] != decision:
            yield Change(
                where,
                Verdict.REVIEW,
                Kind.CHANGED,
                f"the decision of assumption {key!r} reads otherwise: is the behaviour the same?",
                "assumption-reworded",
            )


def assumptions(document: Any) -> dict[str, tuple[str, str]]:
    """id -> (decision, pointer) of each assumption, where first met."""
    found: dict[str, tuple[str, str]] = {}
    walked: set[int] = set()  # a view shares the node of every use of a schema: walk it once

    def walk(node: Any, at: tuple[str | int, ...]) -> None:
        if isinstance(node, dict | list):
            if id(node) in walked:
                return
            walked.add(id(node))
        if isinstance(node, dict):
            listed = node.get(EXTENSION)
            for index, assumption in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(assumption, dict) and isinstance(assumption.get("id"), str):
                    decision = str(assumption.get("decision", ""))
                    found.setdefault(assumption["id"], (decision, pointer(*at, EXTENSION, index)))
            for key, value in node.items():
                walk(value, (*at, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*at, index))

    walk(document, ())
    return found

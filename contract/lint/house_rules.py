"""The breaking changes that Optic's breaking-changes ruleset does not check: a removed
parameter, a tighter bound on a request, a changed or removed default, a removed media type,
a removed, renamed or changed security scheme, and a security requirement that no longer lets
a client in. Each
rule compares the client views (contract/spec/client_view.py) of the old and the new spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from contract.breaking.changes import Change, Kind, Verdict
from contract.spec.client_view import parameter_key, pointer
from contract.spec.source import escape_pointer_token, operations

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
VALUE_RULES = ("pattern", "format")
# What identifies a security scheme to a client; its description does not.
SCHEME_FIELDS = ("type", "scheme", "in", "name", "flows", "openIdConnectUrl")


def contract_changes(before: Any, after: Any) -> list[Change]:
    """Every breaking change these rules find between two client views."""
    found: list[Change] = []
    current = {(path, method): op for path, method, _, op in operations(after)}
    for path, method, _, old in operations(before):
        new = current.get((path, method))
        if new is None:
            continue  # a removed operation is Optic's finding
        found += parameter_changes(("paths", path, method), old, new)
        found += body_changes(("paths", path, method), old, new)
        found += security_requirement_changes(before, after, ("paths", path, method), old, new)
    found += security_scheme_changes(before, after)
    return sorted(set(found))


def breaking(at: str, kind: Kind, reason: str, rule: str) -> Change:
    return Change(at, Verdict.BREAKING, kind, reason, f"ours: {rule}")


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def parameter_changes(at: tuple[str, ...], old: Any, new: Any) -> Iterator[Change]:
    current = {parameter_key(p): (i, p) for i, p in enumerate(new.get("parameters", []))}
    for i, parameter in enumerate(old.get("parameters", [])):
        where, name = parameter_key(parameter)
        label = f"{where} parameter '{name}'"
        if (where, name) not in current:
            yield breaking(
                pointer(*at, "parameters", i),
                Kind.REMOVED,
                f"{label} removed: a client that sends it no longer gets what it asked for",
                "parameter-removed",
            )
            continue
        j, counterpart = current[(where, name)]
        yield from schema_changes(
            parameter.get("schema"),
            counterpart.get("schema"),
            pointer(*at, "parameters", j, "schema"),
            label,
            request=True,
        )


def body_changes(at: tuple[str, ...], old: Any, new: Any) -> Iterator[Change]:
    """Request bodies (bounds and defaults) and response bodies (defaults) of one operation,
    for each media type both versions have; a media type that one of them lost breaks the
    clients that send or expect it."""
    old_body, new_body = old.get("requestBody") or {}, new.get("requestBody") or {}
    if new_body:
        yield from content_changes(
            old_body.get("content"),
            new_body.get("content"),
            (*at, "requestBody"),
            "request body",
            request=True,
        )
    new_responses = new.get("responses") or {}
    for status, response in (old.get("responses") or {}).items():
        if isinstance(new_responses.get(status), dict):  # a removed status is Optic's finding
            yield from content_changes(
                response.get("content"),
                new_responses[status].get("content"),
                (*at, "responses", status),
                f"response {status} body",
                request=False,
            )


def content_changes(
    old: Any, new: Any, at: tuple[str, ...], label: str, *, request: bool
) -> Iterator[Change]:
    new = new or {}
    for media, content in (old or {}).items():
        if media not in new:
            reason = f"{label}: media type {media} removed, so clients that " + (
                "send it are refused" if request else "expect it get something else"
            )
            yield breaking(
                pointer(*at, "content", media), Kind.REMOVED, reason, "media-type-removed"
            )
        elif isinstance(content, dict) and isinstance(new[media], dict):
            yield from schema_changes(
                content.get("schema"),
                new[media].get("schema"),
                pointer(*at, "content", media, "schema"),
                label,
                request=request,
            )


def schema_changes(
    old: Any, new: Any, at: str, label: str, *, request: bool, field: str = ""
) -> Iterator[Change]:
    """Defaults on both sides, tighter bounds on the request side, then the same for every
    property and item schema the two versions share. `field` is the path to a nested
    property in the messages (`data.event_groups[].state`)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return
    where = f"{label} property '{field}'" if field else label
    yield from default_change(old, new, at, where)
    if request:
        yield from tighter_bounds(old, new, at, where)
    old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
    for name, schema in old_props.items():
        if name in new_props:
            yield from schema_changes(
                schema,
                new_props[name],
                f"{at}/properties/{escape_pointer_token(name)}",
                label,
                request=request,
                field=f"{field}.{name}" if field else name,
            )
    if "items" in old and "items" in new:
        yield from schema_changes(
            old["items"], new["items"], f"{at}/items", label, request=request, field=f"{field}[]"
        )


def default_change(old: Any, new: Any, at: str, label: str) -> Iterator[Change]:
    """A client that omits a value (or reads an absent one) gets the default: changing or
    removing it changes what such a client gets. Adding one documents what was unspecified."""
    if "default" not in old:
        return
    if "default" not in new:
        reason = f"{label}: default {show(old['default'])} removed"
        yield breaking(f"{at}/default", Kind.REMOVED, reason, "default-changed")
    elif new["default"] != old["default"]:
        reason = f"{label}: default changed from {show(old['default'])} to {show(new['default'])}"
        yield breaking(f"{at}/default", Kind.CHANGED, reason, "default-changed")


def number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def tighter_bounds(old: Any, new: Any, at: str, label: str) -> Iterator[Change]:
    """A request value that the old bound accepted and the new one rejects breaks a client."""
    consequence = "requests that were valid are now rejected"
    for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
        before, after = old.get(key), new.get(key)
        if not number(after) or (before is not None and not number(before)):
            continue
        lower = key in LOWER_BOUNDS
        if before is None:
            reason = f"{label}: {key} {show(after)} added, so {consequence}"
            yield breaking(f"{at}/{key}", Kind.ADDED, reason, "request-bound-tightened")
        elif (after > before) if lower else (after < before):
            moved = "raised" if lower else "lowered"
            reason = f"{label}: {key} {moved} from {before} to {after}, so {consequence}"
            yield breaking(f"{at}/{key}", Kind.CHANGED, reason, "request-bound-tightened")
    for key in VALUE_RULES:
        before, after = old.get(key), new.get(key)
        if not isinstance(after, str) or after == before:
            continue
        if before is None:
            reason = f"{label}: {key} {show(after)} added, so {consequence}"
            yield breaking(f"{at}/{key}", Kind.ADDED, reason, "request-bound-tightened")
        else:
            change = f"changed from {show(before)} to {show(after)}"
            reason = f"{label}: {key} {change}, so {consequence}"
            yield breaking(f"{at}/{key}", Kind.CHANGED, reason, "request-bound-tightened")
    before, after = old.get("multipleOf"), new.get("multipleOf")
    if number(after) and after and not (number(before) and before % after == 0):
        reason = f"{label}: multipleOf {show(after)} instead of {show(before)}, so {consequence}"
        yield breaking(f"{at}/multipleOf", Kind.CHANGED, reason, "request-bound-tightened")
    if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
        reason = f"{label}: uniqueItems added, so {consequence}"
        yield breaking(f"{at}/uniqueItems", Kind.ADDED, reason, "request-bound-tightened")


def security_scheme_changes(before: Any, after: Any) -> Iterator[Change]:
    old = (before.get("components") or {}).get("securitySchemes") or {}
    new = (after.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in old.items():
        at = pointer("components", "securitySchemes", name)
        if name not in new:
            reason = (
                f"security scheme '{name}' removed or renamed: "
                "clients that authenticate with it are refused"
            )
            yield breaking(at, Kind.REMOVED, reason, "security-scheme-removed")
            continue
        for field in SCHEME_FIELDS:
            if scheme.get(field) != new[name].get(field):
                reason = (
                    f"security scheme '{name}': {field} changed from "
                    f"{show(scheme.get(field))} to {show(new[name].get(field))}"
                )
                yield breaking(f"{at}/{field}", Kind.CHANGED, reason, "security-scheme-changed")


Requirement = frozenset[tuple[str, tuple[str, ...]]]


def requirements(view: Any, operation: Any) -> set[Requirement]:
    """The alternatives an operation accepts; the empty requirement means no credentials."""
    listed = operation["security"] if "security" in operation else view.get("security")
    if not listed:
        return {frozenset()}
    return {
        frozenset((name, tuple(sorted(scopes or []))) for name, scopes in item.items())
        for item in listed
    }


def security_requirement_changes(
    before: Any, after: Any, at: tuple[str, ...], old: Any, new: Any
) -> Iterator[Change]:
    """A client that satisfied one of the old alternatives must satisfy one of the new."""
    accepted = requirements(after, new)
    if frozenset() in accepted:
        return
    where = pointer(*at, "security") if "security" in new else "/security"
    for requirement in requirements(before, old) - accepted:
        if requirement:
            names = " + ".join(name for name, _ in sorted(requirement))
            reason = f"security requirement {names} no longer accepted"
        else:
            reason = "credentials are now required where none were"
        yield breaking(where, Kind.CHANGED, reason, "security-requirement-dropped")

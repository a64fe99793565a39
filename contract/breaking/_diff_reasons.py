"""One-line reasons for the diffs that no check flagged, so a compatible change reads as
what it is ("new optional query parameter 'state'") and not as a bare pointer."""

from __future__ import annotations

import json
from typing import Any

from contract.breaking._optic import Diff
from contract.breaking.changes import Kind
from contract.spec.source import HTTP_METHODS, MISSING, lookup, unescape_pointer_token

DOCUMENTATION = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "tags"}
)
BOUNDS = frozenset(
    {
        "minimum",
        "exclusiveMinimum",
        "minLength",
        "minItems",
        "minProperties",
        "maximum",
        "exclusiveMaximum",
        "maxLength",
        "maxItems",
        "maxProperties",
        "pattern",
        "format",
        "multipleOf",
    }
)
REQUEST_SIDE = frozenset({"parameters", "requestBody"})


def show(value: Any, limit: int = 60) -> str:
    if value is MISSING:
        return "none"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_documentation(tokens: list[str]) -> bool:
    """A key that only documents (a description, an example, an `x-` extension), and not a
    property that happens to have such a name."""
    for previous, token in zip(["", *tokens], tokens, strict=False):
        if previous != "properties" and (token in DOCUMENTATION or token.startswith("x-")):
            return True
    return False


def describe(diff: Diff, before: Any, after: Any) -> str:
    """What changed at `diff`, read from the two client views."""
    tokens = [unescape_pointer_token(t) for t in diff.pointer.split("/")[1:]]
    old = lookup(before, diff.before) if diff.before is not None else MISSING
    new = lookup(after, diff.after) if diff.after is not None else MISSING
    last = tokens[-1] if tokens else "/"
    parent = tokens[-2] if len(tokens) > 1 else ""
    if is_documentation(tokens):
        return f"{last} {diff.kind.value}: documentation only"
    if tokens[:1] == ["paths"] and diff.kind is Kind.ADDED:
        if len(tokens) == 3 and tokens[2] in HTTP_METHODS:
            return f"new operation {tokens[2].upper()} {tokens[1]}"
        if len(tokens) == 2:
            return f"new path {tokens[1]}"
    if parent == "parameters" and diff.kind is Kind.ADDED and isinstance(new, dict):
        return f"new optional {new.get('in')} parameter '{new.get('name')}'"
    if parent == "properties" and diff.kind is Kind.ADDED:
        side = "request" if REQUEST_SIDE.intersection(tokens) else "response"
        owner = lookup(after, diff.pointer.rsplit("/", 2)[0])
        needed = isinstance(owner, dict) and last in (owner.get("required") or [])
        return f"new {'required' if needed else 'optional'} {side} property '{last}'"
    if parent == "required" and last.isdigit():
        name = new if diff.kind is Kind.ADDED else old
        return f"property {show(name)} {'now' if diff.kind is Kind.ADDED else 'no longer'} required"
    if parent == "securitySchemes":
        return f"security scheme '{last}' {diff.kind.value}"
    if "security" in tokens[:1] + tokens[3:4]:
        requirement = new if diff.kind is Kind.ADDED else old
        return f"security requirement {show(requirement)} {diff.kind.value}"
    if parent == "enum" and diff.kind is Kind.ADDED:
        return f"enum value {show(new)} added"
    if tokens == ["info", "version"]:
        return f"info.version changed from {show(old)} to {show(new)}"
    if last in BOUNDS and REQUEST_SIDE.intersection(tokens):
        return f"request bound {last} loosened: {show(old)} -> {show(new)}"
    if diff.kind is Kind.ADDED:
        return f"{last} added: {show(new)}"
    if diff.kind is Kind.REMOVED:
        return f"{last} removed (was {show(old)})"
    return f"{last} changed from {show(old)} to {show(new)}"

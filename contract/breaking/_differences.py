"""Every difference between two client views, down to the smallest differing node, and the
rule for each one that no rule of operations or schemas has judged: documentation, the
version, a server, or a difference no rule knows, which is listed for a person to review."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from contract.breaking._digest import same, same_items
from contract.breaking.changes import Kind
from contract.spec.source import MISSING, escape_pointer_token, lookup, unescape_pointer_token

DOCUMENTATION = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "externalDocs",
        "tags",
        "deprecated",
        "contact",
        "license",
        "termsOfService",
    }
)


# Lists whose order is part of what they say; in any other, the same items in another order
# are no difference (an enum, `required`, the parts of a oneOf, security alternatives).
ORDERED = frozenset({"prefixItems", "servers"})


@dataclass(frozen=True)
class Diff:
    """One differing node; `before` and `after` point into each client view."""

    kind: Kind
    before: str | None
    after: str | None

    @property
    def pointer(self) -> str:
        return self.after if self.after is not None else self.before or ""


def differences(old: Any, new: Any, was: str = "", now: str = "") -> Iterator[Diff]:
    """The smallest differing nodes of two documents. A shared node that is the same on
    both sides is passed over at once (contract/breaking/_digest.py)."""
    if isinstance(old, dict) and isinstance(new, dict):
        if same(old, new):
            return
        for key in old.keys() | new.keys():
            token = "/" + escape_pointer_token(key)
            if key not in new:
                yield Diff(Kind.REMOVED, was + token, None)
            elif key not in old:
                yield Diff(Kind.ADDED, None, now + token)
            else:
                yield from differences(old[key], new[key], was + token, now + token)
    elif isinstance(old, list) and isinstance(new, list):
        last = was.rpartition("/")[2]
        if same(old, new) or (last not in ORDERED and same_items(old, new)):
            return
        if last == "parameters":
            yield from _parameter_differences(old, new, was, now)
            return
        for index in range(max(len(old), len(new))):
            token = f"/{index}"
            if index >= len(new):
                yield Diff(Kind.REMOVED, was + token, None)
            elif index >= len(old):
                yield Diff(Kind.ADDED, None, now + token)
            else:
                yield from differences(old[index], new[index], was + token, now + token)
    elif not same(old, new):
        yield Diff(Kind.CHANGED, was, now)


def _parameter_differences(old: list[Any], new: list[Any], was: str, now: str) -> Iterator[Diff]:
    """An operation's parameters matched by where and what they are called, not by place."""

    def key(parameter: Any) -> str:
        return json.dumps(
            [parameter.get("in"), parameter.get("name")] if isinstance(parameter, dict) else None,
            default=str,
        )

    current = {key(p): j for j, p in enumerate(new)}
    matched = set()
    for i, parameter in enumerate(old):
        j = current.get(key(parameter))
        if j is None:
            yield Diff(Kind.REMOVED, f"{was}/{i}", None)
        else:
            matched.add(j)
            yield from differences(parameter, new[j], f"{was}/{i}", f"{now}/{j}")
    for j in range(len(new)):
        if j not in matched:
            yield Diff(Kind.ADDED, None, f"{now}/{j}")


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


def classify_difference(diff: Diff, before: Any, after: Any) -> tuple[str, str]:
    """(rule id, reason) of a difference that no other rule judged."""
    tokens = [unescape_pointer_token(t) for t in diff.pointer.split("/")[1:]]
    old = lookup(before, diff.before) if diff.before is not None else MISSING
    new = lookup(after, diff.after) if diff.after is not None else MISSING
    last = tokens[-1] if tokens else "/"
    parent = tokens[-2] if len(tokens) > 1 else ""
    if tokens[:2] == ["info", "version"]:
        return "info-version-changed", f"info.version changed from {show(old)} to {show(new)}"
    if is_documentation(tokens) or tokens[:1] == ["info"]:
        return "documentation", f"{last} {diff.kind.value}: documentation only"
    if tokens[:1] == ["servers"] or "servers" in tokens[2:4]:
        return "server-changed", f"server {last} {diff.kind.value}: {show(old)} -> {show(new)}"
    if "securitySchemes" in tokens[1:2]:
        name = tokens[2] if len(tokens) > 2 else last
        if diff.kind is Kind.ADDED and len(tokens) == 3:
            return "security-relaxed", f"security scheme '{name}' added"
        said = f"security scheme '{name}' {diff.kind.value}"
        return "unused-security-scheme-changed", f"{said}: no operation uses it"
    if "discriminator" in tokens:
        return "discriminator-hint-changed", f"discriminator {last} {diff.kind.value}"
    if "security" in tokens[:1] + tokens[3:4]:
        requirement = new if diff.kind is Kind.ADDED else old
        said = f"security requirement {show(requirement)} {diff.kind.value}"
        return "security-relaxed", f"{said}: every client that was let in still is"
    if parent == "required" and last.isdigit():
        said = f"{show(new if diff.kind is Kind.ADDED else old)} {diff.kind.value} in required"
        return "required-unread", f"{said}: a property this side never carries"
    if last in ("readOnly", "writeOnly"):
        said = f"{last} {diff.kind.value}: {show(old)} -> {show(new)}"
        return "access-changed", f"{said}: which side carries the property"
    if last == "operationId":
        return "operation-id-changed", f"operationId {show(old)} became {show(new)}"
    if diff.kind is Kind.ADDED:
        return "unknown-difference", f"{last} added: {show(new)}"
    if diff.kind is Kind.REMOVED:
        return "unknown-difference", f"{last} removed (was {show(old)})"
    return "unknown-difference", f"{last} changed from {show(old)} to {show(new)}"

"""What a client sees of a bundled spec: every local `$ref` inlined and the parameters of a
path item copied into each of its operations, so that a JSON pointer names a place as a
client meets it (`/paths/~1groups/get/responses/200/content/.../properties/id`)."""

from __future__ import annotations

from typing import Any

from contract.spec.source import (
    MISSING,
    escape_pointer_token,
    inline,
    lookup,
    operations,
    parameters,
)


def pointer(*tokens: str | int) -> str:
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def inline_refs(document: Any) -> Any:
    """A copy of `document` with each local reference replaced by its target. A reference
    that would recurse into itself, or finds nothing, stays a reference; keys beside `$ref`
    (OpenAPI 3.1 allows a description there) override the target's."""
    return inline(document, document, keep_unresolved=True)


def inline_shared(document: Any, names: dict[int, tuple[Any, str]] | None = None) -> Any:
    """inline_refs(), but every use of one reference is the same object: a graph as large as
    the bundled document, where a full copy grows with every use of every schema (a 3 MB
    spec becomes 25 MB). A reference that recurses stays a reference where it first
    recurses. Readers must not change the result. `names`, if given, receives the reference
    each shared node stands for (by id, with the node, which keeps the id from being reused)."""
    done: dict[str, Any] = {}

    def resolve(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return {key: resolve(value, seen) for key, value in node.items()}
        target = lookup(document, ref[1:]) if ref.startswith("#") else MISSING
        if ref in seen or target is MISSING:
            return {key: resolve(value, seen) for key, value in node.items()}
        if ref not in done:
            done[ref] = resolve(target, seen | {ref})
            if names is not None and isinstance(done[ref], dict | list):
                names[id(done[ref])] = (done[ref], ref)
        siblings = {key: resolve(value, seen) for key, value in node.items() if key != "$ref"}
        resolved = done[ref]
        return {**resolved, **siblings} if siblings and isinstance(resolved, dict) else resolved

    return resolve(document, frozenset())


def client_view(
    document: Any, *, shared: bool = False, names: dict[int, tuple[Any, str]] | None = None
) -> Any:
    """The bundled `document` inlined, with path-level parameters appended to each
    operation's own unless the operation overrides them (same `in` and `name`). `shared`:
    built with inline_shared(), for a reader that only reads (make breaking)."""
    view = inline_shared(document, names) if shared else inline_refs(document)
    paths = view.get("paths") if isinstance(view, dict) else None
    if isinstance(paths, dict):
        view["paths"] = paths = dict(paths)
        for path, item in list(paths.items()):
            if isinstance(item, dict):
                paths[path] = dict(item)  # a path item may be shared: change a copy
    for _, _, item, operation in list(operations(view)):
        own = {**operation, "parameters": parameters(item, operation, view)}
        item[next(m for m, op in item.items() if op is operation)] = own
    for item in paths.values() if isinstance(paths, dict) else ():
        if isinstance(item, dict):
            item.pop("parameters", None)
    return view


def parameter_key(parameter: Any) -> tuple[str, str]:
    return (str(parameter.get("in")), str(parameter.get("name")))

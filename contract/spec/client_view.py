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


Mapped = dict[int, tuple[Any, dict[str, Any]]]  # id(schema) -> (schema, mapping value -> target)


def inline_shared(
    document: Any,
    names: dict[int, tuple[Any, str]] | None = None,
    mapped: Mapped | None = None,
) -> Any:
    """inline_refs(), but every use of one reference is the same object: a graph as large as
    the bundled document, where a full copy grows with every use of every schema (a 3 MB
    spec becomes 25 MB). A reference that recurses stays a reference where it recurses; a
    schema whose expansion depends on where it is used (it stops at a schema that uses it,
    mutual recursion) is expanded anew in each place, so every use sees every change.
    Readers must not change the result. `names`, if given, receives the component each
    shared node is (by id, with the node, which keeps the id from being reused): the one a
    chain of references (`Alias: {$ref: A}`) ends at, whichever is met first. `mapped`, if
    given, receives for each schema with a discriminator `mapping` the schemas its values name
    (strings, not references, so nothing else inlines them)."""
    done: dict[str, Any] = {}

    def map_targets(
        node: dict[str, Any], result: dict[str, Any], seen: frozenset[str]
    ) -> frozenset[str]:
        """Record the schemas a discriminator mapping of `node` names; their open references."""
        discriminator = node.get("discriminator")
        table = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if mapped is None or not isinstance(table, dict):
            return frozenset()
        targets, open_refs = {}, frozenset[str]()
        for value, named in table.items():
            if isinstance(named, str) and named.startswith("#/"):
                targets[str(value)], opened = resolve({"$ref": named}, seen)
                open_refs |= opened
        mapped[id(result)] = (result, targets)
        return open_refs

    def resolve(node: Any, seen: frozenset[str]) -> tuple[Any, frozenset[str]]:
        """The node inlined, and the references it stops at that lie outside it."""
        if isinstance(node, list):
            items = [resolve(item, seen) for item in node]
            return [value for value, _ in items], frozenset().union(*(o for _, o in items))
        if not isinstance(node, dict):
            return node, frozenset()
        ref = node.get("$ref")
        target = lookup(document, ref[1:]) if isinstance(ref, str) and ref[:2] == "#/" else MISSING
        if not isinstance(ref, str) or ref in seen or target is MISSING:
            members = {key: resolve(value, seen) for key, value in node.items()}
            open_refs = frozenset().union(*(o for _, o in members.values()))
            if isinstance(ref, str) and ref in seen:
                open_refs |= {ref}
            result = {key: value for key, (value, _) in members.items()}
            if mapped is not None and not isinstance(ref, str):
                open_refs |= map_targets(node, result, seen)
            return result, open_refs
        if ref in done:
            resolved, open_refs = done[ref], frozenset[str]()
        else:
            resolved, open_refs = resolve(target, seen | {ref})
            open_refs -= {ref}
            if not open_refs:  # the same wherever it is used
                done[ref] = resolved
            chained = isinstance(target, dict) and set(target) == {"$ref"}
            if names is not None and isinstance(resolved, dict | list) and not chained:
                names.setdefault(id(resolved), (resolved, ref))
        siblings = {key: resolve(value, seen) for key, value in node.items() if key != "$ref"}
        if siblings and isinstance(resolved, dict):
            open_refs = open_refs.union(*(o for _, o in siblings.values()))
            return {**resolved, **{key: value for key, (value, _) in siblings.items()}}, open_refs
        return resolved, open_refs

    return resolve(document, frozenset())[0]


def client_view(
    document: Any,
    *,
    shared: bool = False,
    names: dict[int, tuple[Any, str]] | None = None,
    mapped: Mapped | None = None,
) -> Any:
    """The bundled `document` inlined, with path-level parameters appended to each
    operation's own unless the operation overrides them (same `in` and `name`). `shared`:
    built with inline_shared(), for a reader that only reads (make breaking)."""
    view = inline_shared(document, names, mapped) if shared else inline_refs(document)
    paths = view.get("paths") if isinstance(view, dict) else None
    if isinstance(paths, dict):
        view["paths"] = paths = dict(paths)
        for path, item in list(paths.items()):
            if isinstance(item, dict):
                paths[path] = dict(item)  # a path item may be shared: change a copy
    for _, method, item, operation in list(operations(view)):
        item[method] = {**operation, "parameters": parameters(item, operation, view)}
    for item in paths.values() if isinstance(paths, dict) else ():
        if isinstance(item, dict):
            item.pop("parameters", None)
    return view


def parameter_key(parameter: Any) -> tuple[str, str]:
    return (str(parameter.get("in")), str(parameter.get("name")))

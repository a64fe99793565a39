"""What a client sees of a bundled spec: every local `$ref` inlined and the parameters of a
path item copied into each of its operations. Optic lays a spec out the same way before it
diffs, so a JSON pointer from our rules and one from Optic name the same place."""

from __future__ import annotations

from typing import Any

from contract.spec.source import escape_pointer_token, inline, operations, parameters


def pointer(*tokens: str | int) -> str:
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def inline_refs(document: Any) -> Any:
    """A copy of `document` with each local reference replaced by its target. A reference
    that would recurse into itself, or finds nothing, stays a reference; keys beside `$ref`
    (OpenAPI 3.1 allows a description there) override the target's."""
    return inline(document, document, keep_unresolved=True)


def client_view(document: Any) -> Any:
    """The bundled `document` inlined, with path-level parameters appended to each
    operation's own unless the operation overrides them (same `in` and `name`)."""
    view = inline_refs(document)
    for _, _, item, operation in list(operations(view)):
        operation["parameters"] = parameters(item, operation, view)
    paths = view.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        if isinstance(item, dict):
            item.pop("parameters", None)
    return view


def parameter_key(parameter: Any) -> tuple[str, str]:
    return (str(parameter.get("in")), str(parameter.get("name")))

"""Random edits of the spec, drawn by Hypothesis: one node removed, added or changed, any
keyword or value, declarations included. `make breaking` and the lint must give every one a
verdict or a problem, never a traceback."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from tests.support.spec_facts import SPEC

Place = tuple[str | int, ...]
# Keys an edit may add: schema and OpenAPI keywords, declarations and their fields.
KEYS = (
    "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "enum", "default",
    "required", "readOnly", "writeOnly", "deprecated", "nullable", "oneOf", "anyOf", "allOf",
    "additionalProperties", "items", "type", "const", "multipleOf", "uniqueItems",
    "x-pagination", "x-sorting", "x-filter", "x-query-policy", "match", "case", "unknown",
    "default-order", "description", "security", "responses", "headers",
)  # fmt: skip


def places(node: Any, at: Place = ()) -> list[Place]:
    """Every place in the document, the root's children down."""
    found: list[Place] = [at] if at else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*at, index))
    return found


WORDS = ("", "x", "DESC", "$request.count", "string", "equals", "reject", "#/components")
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 1000) | st.sampled_from(WORDS),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=2)
    ),
    max_leaves=4,
)


def edit(
    draw: st.DrawFn, original: Any, keys: tuple[str, ...], values: st.SearchStrategy[Any]
) -> Any:
    """A copy of `original` with one node removed, added or changed."""
    document = copy.deepcopy(original)
    *parent_at, last = draw(st.sampled_from(places(document)))
    parent: Any = document
    for token in parent_at:
        parent = parent[token]
    action = draw(st.sampled_from(["remove", "add", "change"]))
    if action == "remove":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][draw(st.sampled_from(keys))] = draw(values)
    elif action == "add" and isinstance(parent[last], list):
        parent[last].append(draw(values))
    else:
        parent[last] = draw(values)
    return document


@st.composite
def edited(draw: st.DrawFn) -> Any:
    """The spec with one node removed, added or changed."""
    return edit(draw, SPEC, KEYS, VALUES)

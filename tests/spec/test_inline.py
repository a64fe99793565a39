"""One `$ref` inliner serves every reader: strict where the contract's own bundle must resolve
(a cycle or a missing target is a SpecLoadError), lenient where any spec a user compares must
survive (a tree schema that refers to itself stays a reference)."""

from __future__ import annotations

from typing import Any

import pytest

from contract.errors import SpecLoadError
from contract.spec.client_view import client_view
from contract.spec.source import inline

TREE: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/nodes": {
            "get": {
                "responses": {
                    "200": {
                        "description": "A tree.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        },
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "description": "A node.",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "gone": {"$ref": "#/components/schemas/Missing", "description": "kept"},
                },
            }
        }
    },
}


def test_the_client_view_inlines_once_and_keeps_what_recurses_or_resolves_nowhere() -> None:
    view = client_view(TREE)

    schema = view["paths"]["/nodes"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema["description"] == "A node."
    assert schema["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Node"}
    assert schema["properties"]["gone"] == {
        "$ref": "#/components/schemas/Missing",
        "description": "kept",
    }


def test_strict_inlining_refuses_a_cycle_and_a_missing_target() -> None:
    with pytest.raises(SpecLoadError, match="reference cycle"):
        inline(TREE["components"]["schemas"]["Node"]["properties"]["children"], TREE)
    with pytest.raises(SpecLoadError, match="not found"):
        inline({"$ref": "#/components/schemas/Missing"}, TREE)


def test_keys_beside_a_reference_override_the_target() -> None:
    node = {"$ref": "#/components/schemas/Node", "description": "Overridden."}

    assert inline(node, TREE, keep_unresolved=True)["description"] == "Overridden."

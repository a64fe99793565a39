"""The client view shares one node per schema, and unchanged nodes are passed over by their
digest: these are the places where sharing could hide a change or invent one, each held to
the verdict it must get."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from contract.breaking import classify


def spec(**schemas: Any) -> dict[str, Any]:
    """GET /a returns A; POST /a takes B (or A where there is no B)."""
    body = "B" if "B" in schemas else "A"
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "deprecated": True, "schema": {}},
                        {"name": "r", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": response("A")},
                },
                "post": {
                    "requestBody": {"required": True, "content": json_schema(body)},
                    "responses": {"201": {"description": "ok"}},
                },
            }
        },
        "components": {"schemas": schemas},
    }


def json_schema(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def response(name: str) -> dict[str, Any]:
    return {"description": "ok", "content": json_schema(name)}


def rules(old: Any, new: Any) -> list[tuple[str, str]]:
    return sorted((c.rule, c.pointer) for c in classify(old, new).changes)


def test_a_change_inside_mutually_recursive_schemas_is_seen_from_every_operation() -> None:
    a = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "b": {"$ref": "#/components/schemas/B"}},
    }
    b = {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}
    old = spec(A=a, B=b)
    new = copy.deepcopy(old)
    new["components"]["schemas"]["A"]["properties"]["name"]["maxLength"] = 10

    found = rules(old, new)

    body = "/paths/~1a/post/requestBody/content/application~1json/schema"
    assert ("request-bound-narrowed", f"{body}/properties/a/properties/name/maxLength") in found


def test_a_removed_parameter_does_not_hide_a_change_of_the_one_now_in_its_place() -> None:
    old = spec(A={"type": "object"})
    new = copy.deepcopy(old)
    del new["paths"]["/a"]["get"]["parameters"][0]
    new["paths"]["/a"]["get"]["parameters"][0]["required"] = True

    assert rules(old, new) == [
        ("parameter-became-required", "/paths/~1a/get/parameters/0/required"),
        ("parameter-removed-after-sunset", "/paths/~1a/get/parameters/0"),
    ]


def test_an_alias_of_a_schema_is_that_schema_however_it_is_first_met() -> None:
    def aliased(*, use_alias: bool) -> dict[str, Any]:
        document = spec(
            A={"type": "string"}, C={"type": "integer"}, Alias={"$ref": "#/components/schemas/A"}
        )
        body = document["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]
        body["schema"] = {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/C"}]
        }
        if use_alias:
            document["paths"]["/b"] = {"get": {"responses": {"200": response("Alias")}}}
        return document

    assert rules(aliased(use_alias=False), aliased(use_alias=True)) == [
        ("operation-added", "/paths/~1b/get")
    ]


def test_the_same_items_in_another_order_are_no_change() -> None:
    old = spec(A={"type": "string", "enum": ["a", "b", "c"]})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["A"]["enum"].reverse()

    assert rules(old, new) == []


def test_a_sunset_that_yaml_read_as_a_timestamp_is_its_date() -> None:
    old = spec(A={"type": "object"})
    old["paths"]["/a"]["get"].update(deprecated=True, **{"x-sunset": dt.datetime(2020, 1, 1, 12)})
    new = copy.deepcopy(old)
    del new["paths"]["/a"]["get"]

    assert rules(old, new) == [("operation-removed-after-sunset", "/paths/~1a/get")]


def test_a_subtype_that_only_a_discriminator_mapping_names_is_compared_there() -> None:
    pet = {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": {"type": "string"}},
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat"},
        },
    }
    cat = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "properties": {"meow": {"type": "string"}}},
        ]
    }
    old = spec(A={"$ref": "#/components/schemas/Pet"}, Pet=pet, Cat=cat)
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Cat"]["allOf"][1]["properties"]["meow"]["maxLength"] = 3

    found = rules(old, new)

    schema = "/paths/~1a/get/responses/200/content/application~1json/schema"
    meow = f"{schema}/discriminator/mapping/cat/allOf/1/properties/meow/maxLength"
    assert ("response-bound-narrowed", meow) in found
    assert (
        "request-bound-narrowed",
        meow.replace("/get/responses/200", "/post/requestBody"),
    ) in found

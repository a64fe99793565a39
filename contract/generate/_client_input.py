"""The document both Python generators read: the bundle, with every schema that becomes a
class of its own (an enum, an object with properties) moved out of where it is written inline
into components/schemas, and every component titled by its key.

openapi-python-client names a component after its title and an inline class after where it
sits; datamodel-code-generator names a component after its key and an inline class by rules of
its own. With every class a component titled by its key, the two name each class alike, so the
operations one writes import the models the other writes. An inline class of an operation or a
schema keeps the name openapi-python-client gives it inline (`GetSegmentExpandItem`,
`ErrorInvalidParamsItem`); one in a shared parameter or response is named once, after its
component (components/parameters, components/responses), and one in a path's own parameters
after the path's first operation. A
schema of other shapes (allOf, oneOf, a map) stays inline, and if the operations import it,
`make generate` stops naming it (_codegen.check_model_names)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from openapi_python_client.strings import pascal_case

from contract.errors import ToolError
from contract.spec.source import operations

Schema = dict[str, Any]


def client_input(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the bundled `document` with every class-worthy schema a titled component."""
    result: dict[str, Any] = copy.deepcopy(dict(document))
    components = result.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    hoister = _Hoister(schemas)
    for key, schema in list(schemas.items()):
        if isinstance(schema, dict) and "$ref" not in schema:
            schema["title"] = key
            hoister.inside(schema, key)
    for key, parameter in (components.get("parameters") or {}).items():
        hoister.parameter(parameter, key)
    for key, response in (components.get("responses") or {}).items():
        hoister.bodies(response, key, "body")
    for _, _, item, operation in operations(result):
        name = operation.get("operationId")
        if not isinstance(name, str):
            continue  # the generator makes up a name; the name check sees what comes of it
        for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            hoister.parameter(parameter, name)
        hoister.bodies(operation.get("requestBody"), name, "body")
        for status, response in (operation.get("responses") or {}).items():
            hoister.bodies(response, name, f"response_{status}")
    return result


class _Hoister:
    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas

    def parameter(self, parameter: Any, parent: str) -> None:
        if isinstance(parameter, dict) and "$ref" not in parameter and "name" in parameter:
            parameter["schema"] = self.place(parameter.get("schema"), parent, parameter["name"])

    def bodies(self, holder: Any, parent: str, name: str) -> None:
        """Each media type's schema of a request body or response (not a reference to one)."""
        if not isinstance(holder, dict) or "$ref" in holder:
            return
        for media in (holder.get("content") or {}).values():
            if isinstance(media, dict) and "schema" in media:
                media["schema"] = self.place(media["schema"], parent, name)

    def place(self, schema: Any, parent: str, name: str) -> Any:
        """`schema`, found at property (or parameter, body) `name` of `parent`: a reference to
        the component it becomes if it is a class; an array's items the same way."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return schema
        if "enum" in schema:
            key = pascal_case(parent) + pascal_case(schema.get("title") or name)
        elif isinstance(schema.get("properties"), dict):
            title = schema.get("title")
            key = pascal_case(title) if title else pascal_case(parent) + pascal_case(name)
        else:
            if isinstance(schema.get("items"), dict):
                schema["items"] = self.place(schema["items"], parent, f"{name}_item")
            return schema
        self.inside(schema, key)
        schema["title"] = key
        if key in self.schemas and self.schemas[key] != schema:
            raise ToolError(
                f"the client would name two different schemas {key}: give one of them a title"
            )
        self.schemas[key] = schema
        return {"$ref": f"#/components/schemas/{key}"}

    def inside(self, schema: Schema, parent: str) -> None:
        """The classes inside the class `parent`, at its properties."""
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, value in properties.items():
                properties[name] = self.place(value, parent, name)

"""The schema rules on their own: each change narrows, widens or otherwise changes what a
schema allows, and the side decides the verdict (narrower breaks a request, wider breaks a
response, other breaks both)."""

from __future__ import annotations

from typing import Any

import pytest

from contract.breaking._schemas import schema_changes
from contract.breaking.changes import Verdict

STRING = {"type": "string"}
OBJECT = {"type": "object", "properties": {"name": STRING}}
PART_A = {"type": "object", "properties": {"a": STRING}, "required": ["a"]}
PART_B = {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}

# (name, old schema, new schema, breaks a request, breaks a response)
CHANGES: list[tuple[str, Any, Any, bool, bool]] = [
    ("maxLength added", STRING, {**STRING, "maxLength": 5}, True, False),
    ("maxLength removed", {**STRING, "maxLength": 5}, STRING, False, True),
    (
        "minimum raised",
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 2},
        True,
        False,
    ),
    (
        "minimum lowered",
        {"type": "integer", "minimum": 2},
        {"type": "integer", "minimum": 1},
        False,
        True,
    ),
    ("pattern added", STRING, {**STRING, "pattern": "^a"}, True, False),
    (
        "pattern generalized to .*",
        {**STRING, "pattern": "^a"},
        {**STRING, "pattern": ".*"},
        False,
        True,
    ),
    ("pattern changed", {**STRING, "pattern": "^a"}, {**STRING, "pattern": "^b"}, True, True),
    (
        "multipleOf 4 to 2",
        {"type": "integer", "multipleOf": 4},
        {"type": "integer", "multipleOf": 2},
        False,
        True,
    ),
    (
        "multipleOf 2 to 3",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
        True,
        True,
    ),
    ("integer widened to number", {"type": "integer"}, {"type": "number"}, False, True),
    ("null added", STRING, {"type": ["string", "null"]}, False, True),
    ("nullable removed (3.0)", {**STRING, "nullable": True}, STRING, True, False),
    ("string became integer", STRING, {"type": "integer"}, True, True),
    ("enum added", STRING, {**STRING, "enum": ["a"]}, True, False),
    ("enum value added", {**STRING, "enum": ["a"]}, {**STRING, "enum": ["a", "b"]}, False, True),
    (
        "extensible enum value added",
        {**STRING, "x-extensible-enum": ["a"]},
        {**STRING, "x-extensible-enum": ["a", "b"]},
        False,
        False,
    ),
    ("contains added", {"type": "array"}, {"type": "array", "contains": STRING}, True, False),
    ("dependentRequired removed", {"dependentRequired": {"a": ["b"]}}, {}, False, True),
    ("if changed", {"if": STRING}, {"if": {"type": "integer"}}, True, True),
    (
        "prefixItems added",
        {"type": "array", "items": STRING},
        {"type": "array", "items": STRING, "prefixItems": [{"type": "integer"}]},
        True,
        True,
    ),
    (
        "additionalProperties false added",
        OBJECT,
        {**OBJECT, "additionalProperties": False},
        True,
        False,
    ),
    ("property required", OBJECT, {**OBJECT, "required": ["name"]}, True, False),
    ("property no longer required", {**OBJECT, "required": ["name"]}, OBJECT, False, True),
    ("oneOf part added", {"oneOf": [PART_A]}, {"oneOf": [PART_A, PART_B]}, False, True),
    ("anyOf part removed", {"anyOf": [PART_A, PART_B]}, {"anyOf": [PART_A]}, True, False),
    ("allOf part added", {"allOf": [PART_A]}, {"allOf": [PART_A, PART_B]}, True, False),
    ("allOf part removed", {"allOf": [PART_A, PART_B]}, {"allOf": [PART_A]}, False, True),
    (
        "anyOf part that repeats one removed",
        {"anyOf": [PART_A, PART_A]},
        {"anyOf": [PART_A]},
        False,
        False,
    ),
    ("oneOf wraps an object", OBJECT, {"oneOf": [PART_A, PART_B]}, True, True),
    (
        "discriminator renamed",
        {"oneOf": [PART_A], "discriminator": {"propertyName": "a"}},
        {"oneOf": [PART_A], "discriminator": {"propertyName": "b"}},
        True,
        True,
    ),
    (
        "nested under additionalProperties",
        {"additionalProperties": {**STRING, "maxLength": 3}},
        {"additionalProperties": STRING},
        False,
        True,
    ),
    (
        "edited oneOf part",
        {"oneOf": [{**PART_A, "title": "A"}]},
        {"oneOf": [{**PART_A, "title": "A", "properties": {"a": {**STRING, "maxLength": 2}}}]},
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "breaks_request", "breaks_response"),
    [case[1:] for case in CHANGES],
    ids=[case[0] for case in CHANGES],
)
def test_the_side_decides_whether_a_change_breaks(
    old: Any, new: Any, breaks_request: bool, breaks_response: bool
) -> None:
    for request, expected in ((True, breaks_request), (False, breaks_response)):
        found = list(schema_changes(old, new, "/s", "body", request=request))
        assert found, "the change is not listed"
        breaking = [c for c in found if c.verdict is Verdict.BREAKING]
        side = "request" if request else "response"
        assert bool(breaking) == expected, f"{side}: {[str(c) for c in found]}"


def test_a_parameter_that_takes_text_takes_any_scalar() -> None:
    """`?id=5` is as valid for a string as for an integer: widening to string is compatible
    in a parameter, not in a body."""
    old, new = {"type": ["string", "integer"]}, {"type": "string"}
    as_parameter = list(schema_changes(old, new, "/s", "query", request=True, text=True))
    as_body = list(schema_changes(old, new, "/s", "body", request=True))
    assert [c.verdict for c in as_parameter] == [Verdict.COMPATIBLE]
    assert [c.verdict for c in as_body] == [Verdict.BREAKING]


def test_readonly_properties_made_required_do_not_break_requests() -> None:
    old = {"type": "object", "properties": {"id": {**STRING, "readOnly": True}}}
    new = {**old, "required": ["id"]}
    assert not list(schema_changes(old, new, "/s", "body", request=True))


def test_every_reason_names_the_place_and_the_consequence() -> None:
    old, new = (
        {"type": "object", "properties": {"n": {"type": "integer", "maximum": 9}}},
        {
            "type": "object",
            "properties": {"n": {"type": "integer", "maximum": 5}},
        },
    )
    (change,) = schema_changes(old, new, "/s", "request body", request=True)
    assert change.pointer == "/s/properties/n/maximum"
    assert change.reason == (
        "request body property 'n': maximum lowered from 9 to 5, so it accepts narrower "
        "values, so requests that were valid may be rejected"
    )


def test_const_one_and_true_differ() -> None:
    """Python calls 1 and True equal; JSON does not."""
    (change,) = schema_changes({"const": 1}, {"const": True}, "/s", "body", request=True)
    assert change.verdict is Verdict.BREAKING


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"not": {"type": "string", "description": "a"}}, {"not": {"type": "string"}}),
        ({"minimum": 5, "exclusiveMinimum": True}, {"exclusiveMinimum": 5}),
        ({"type": "object"}, {"type": "object", "unevaluatedProperties": True}),
        ({"type": "integer"}, {"type": "integer", "exclusiveMinimum": False}),
    ],
    ids=["reworded inside not", "3.0 exclusive bound in 3.1 form", "true", "false flag"],
)
def test_what_changes_no_value_is_no_change(old: Any, new: Any) -> None:
    for request in (True, False):
        assert not list(schema_changes(old, new, "/s", "body", request=request))


def test_multiple_of_a_tenth_to_a_hundredth_widens() -> None:
    old, new = {"multipleOf": 0.1}, {"multipleOf": 0.01}
    (change,) = schema_changes(old, new, "/s", "body", request=True)
    assert change.verdict is Verdict.COMPATIBLE


def test_a_property_removed_where_others_are_refused_breaks_requests() -> None:
    old = {"type": "object", "properties": {"a": STRING}, "additionalProperties": False}
    new = {"type": "object", "properties": {}, "additionalProperties": False}
    (change,) = schema_changes(old, new, "/s", "body", request=True)
    assert change.verdict is Verdict.BREAKING


def test_a_query_value_that_becomes_an_exploded_array_stays_compatible() -> None:
    from contract.breaking._rules import contract_changes

    def spec(schema: Any) -> Any:
        parameter = {"in": "query", "name": "q", "schema": schema}
        return {"paths": {"/x": {"get": {"parameters": [parameter], "responses": {}}}}}

    single = contract_changes(spec(STRING), spec({"type": "array", "items": STRING}))
    assert [c.verdict for c in single] == [Verdict.COMPATIBLE]
    fewer = spec({"type": "array", "items": STRING, "minItems": 2})
    assert Verdict.BREAKING in [c.verdict for c in contract_changes(spec(STRING), fewer)]

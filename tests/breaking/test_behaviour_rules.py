"""Every field of every behaviour declaration has a rule for what its change does to clients,
and `make breaking` applies it: each field of the committed spec's declarations, changed in
memory, gets the verdict its rule gives, in the direction the rule names; a reworded
assumption is left to review; the changelog files a behaviour break under Breaking with the
declaration and the reason."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from contract.breaking._behaviour import behaviour_changes
from contract.breaking.changes import Change, Kind, Verdict
from contract.release._changelog import render_entry
from contract.release._release import Release
from contract.spec.change_rules import change_rules, field_rule
from contract.spec.client_view import client_view, pointer
from contract.spec.source import operations
from tests.support.spec_facts import SPEC

VIEW = client_view(SPEC)
DEFINITIONS = change_rules()
DECLARATIONS = {name: schema for name, schema in DEFINITIONS.items() if name.startswith("x-")}


def fields(name: str) -> list[str]:
    properties = DECLARATIONS[name].get("properties") or {}
    return [field for field in properties if not field.startswith("x-")]


def declared() -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(declaration, its place in the client view) of every declaration the spec makes."""
    for path, method, _, operation in operations(VIEW):
        for name in DECLARATIONS:
            if name in operation:
                yield name, ("paths", path, method, name)
        for index, parameter in enumerate(operation.get("parameters", [])):
            for name in DECLARATIONS:
                if name in parameter:
                    yield name, ("paths", path, method, "parameters", index, name)


PLACES = list(declared())


def at(document: Any, place: tuple[str | int, ...]) -> Any:
    for token in place:
        document = document[token]
    return document


def other_value(schema: dict[str, Any], value: Any) -> Any:
    """A value of the field's type that differs from `value`."""
    others = [option for option in schema.get("enum") or [] if option != value]
    if others:
        return others[0]
    if isinstance(value, list):
        return [*value, "another-assumption"]
    if isinstance(value, str) and value.startswith("$"):
        return value + "_renamed"
    return f"not-{value}"


def test_every_declaration_and_field_has_a_rule_with_a_reason() -> None:
    assert set(DECLARATIONS) == {
        "x-pagination", "x-sorting", "x-filtering", "x-unique", "x-query-policy",
        "x-query-values", "x-error-reporting", "x-filter",
    }  # fmt: skip
    for name, schema in DECLARATIONS.items():
        assert schema["x-change"]["added"] in ("compatible", "breaking")
        assert schema["x-change"]["removed"] in ("compatible", "breaking")
        for field in fields(name):
            rule = field_rule(DEFINITIONS, schema["properties"][field])
            assert rule.get("breaks") in ("any", "removed", "never"), (name, field)
            assert rule.get("why"), (name, field)


def test_the_committed_spec_declares_each_kind_of_declaration() -> None:
    assert {name for name, _ in PLACES} == set(DECLARATIONS)


@pytest.mark.parametrize(
    ("name", "field", "place"),
    [(name, field, place) for name, place in PLACES for field in fields(name)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_field_changed_gets_the_verdict_of_its_rule(
    name: str, field: str, place: tuple[str | int, ...]
) -> None:
    rule = field_rule(DEFINITIONS, DECLARATIONS[name]["properties"][field])
    after = copy.deepcopy(VIEW)
    declaration = at(after, place)
    old = declaration[field]
    if rule["breaks"] == "removed" and isinstance(old, list):
        declaration[field] = [*old, "added_value"]
        changes = behaviour_changes(VIEW, after)
        assert [c.verdict for c in changes] == [Verdict.COMPATIBLE], changes
        declaration[field] = old[1:]
        expected = Verdict.BREAKING
    elif rule["breaks"] == "removed":
        declaration[field] = {**old, "added-value": "some_property"}
        changes = behaviour_changes(VIEW, after)
        assert [c.verdict for c in changes] == [Verdict.COMPATIBLE], changes
        declaration[field] = {key: value for key, value in old.items() if key != min(old)}
        expected = Verdict.BREAKING
    else:
        declaration[field] = other_value(DECLARATIONS[name]["properties"][field], old)
        compatible = [old, declaration[field]] in (rule.get("compatible") or [])
        never = rule["breaks"] == "never"
        expected = Verdict.COMPATIBLE if never or compatible else Verdict.BREAKING

    changes = behaviour_changes(VIEW, after)

    assert [c.verdict for c in changes] == [expected], changes
    assert changes[0].pointer.startswith(pointer(*place, field))
    if expected is Verdict.BREAKING:
        assert rule["why"] in changes[0].reason
        assert f"{name}.{field}" in changes[0].reason


@pytest.mark.parametrize(("name", "place"), PLACES, ids=[name for name, _ in PLACES])
def test_a_declaration_removed_breaks_and_one_added_does_not(
    name: str, place: tuple[str | int, ...]
) -> None:
    without = copy.deepcopy(VIEW)
    del at(without, place[:-1])[name]

    removed = behaviour_changes(VIEW, without)
    added = behaviour_changes(without, VIEW)

    assert [(c.verdict, c.kind) for c in removed] == [(Verdict.BREAKING, Kind.REMOVED)]
    assert DECLARATIONS[name]["x-change"]["why"] in removed[0].reason
    assert [(c.verdict, c.kind) for c in added] == [(Verdict.COMPATIBLE, Kind.ADDED)]


def query_policy() -> tuple[str | int, ...]:
    return next(place for name, place in PLACES if name == "x-query-policy")


def test_unknown_parameters_ignored_where_they_were_rejected_breaks_no_one() -> None:
    rejecting = copy.deepcopy(VIEW)
    at(rejecting, query_policy())["unknown"] = "reject"

    assert [c.verdict for c in behaviour_changes(rejecting, VIEW)] == [Verdict.COMPATIBLE]
    assert [c.verdict for c in behaviour_changes(VIEW, rejecting)] == [Verdict.BREAKING]


def test_a_reworded_assumption_is_left_to_review_and_an_unchanged_spec_has_no_change() -> None:
    after = copy.deepcopy(VIEW)
    place = next(place for name, place in PLACES if name == "x-filter")
    at(after, place[:-1])["x-assumptions"][0]["decision"] = "Worded otherwise."

    changes = behaviour_changes(VIEW, after)

    assert [c.verdict for c in changes] == [Verdict.REVIEW]
    assert behaviour_changes(VIEW, copy.deepcopy(VIEW)) == []


def test_the_changelog_files_a_behaviour_break_with_its_declaration_and_reason() -> None:
    after = copy.deepcopy(VIEW)
    at(after, query_policy())["unknown"] = "reject"
    changes: list[Change] = behaviour_changes(VIEW, after)

    entry = render_entry(Release("2.0.0", "2.0.0", "v1.0.0", changes))

    assert "### Breaking" in entry
    assert "x-query-policy.unknown 'ignore' -> 'reject'" in entry
    assert "which worked, get 400" in entry

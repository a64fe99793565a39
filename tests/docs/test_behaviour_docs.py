"""The Behaviour section of a list operation's docs says what its declarations say: the
contract's event groups and the fixture's segments, declared differently, read differently."""

from __future__ import annotations

import copy
from typing import Any

from contract.docs import HEADING, behaviour_section, with_behaviour
from contract.layout import BUNDLED_SPEC
from contract.spec.declarations import ListResource, list_operations, list_resources
from contract.spec.source import HTTP_METHODS, load_inlined, read_yaml
from tests.conftest import TWO_RESOURCES


def resources(document: Any) -> dict[str, ListResource]:
    return {r.operation_id: r for r in list_resources(document)}


def fixture() -> Any:
    document, _ = load_inlined(TWO_RESOURCES)
    return document


def declared_assumptions(resource: ListResource) -> set[str]:
    found = {*resource.paging.assumptions, *resource.policy.assumptions}
    found.update(a for f in resource.filters for a in f.assumptions)
    if resource.sorting is not None:
        found.update(resource.sorting.assumptions)
    return found


def test_event_groups_read_as_declared() -> None:
    text = behaviour_section(resources(read_yaml(BUNDLED_SPEC))["listEventGroups"])

    assert text.startswith(HEADING)
    for phrase in (
        "`offset` skips that many matches",
        "`count` sets the page size (1 to 1000, default 100)",
        "The items are in `data.event_groups`; `data.total_items` counts every match",
        "combined with AND",
        "`name` keeps the items whose `name` contains the value, ignoring case",
        "`text_id` keeps the items whose `text_id` equals the value, case-sensitive",
        "`%` and `_` match themselves",
        "`sort_direction` is `ASC` (ascending) or `DESC` (descending)",
        "`name` → `name`",
        "Unicode code point",
        "Ties are broken by `event_group_id`; `DESC` is the exact reverse of `ASC`",
        "Without `sort_field` the items come in the order they were created",
        "`sort_direction` alone is ignored",
        "does not define is ignored",
        "more than once is rejected with 400",
        "an item's `event_group_id` fills `{event_group_id}` of `GET /event-groups/{",
    ):
        assert phrase in text, phrase


def test_segments_read_as_their_own_declaration() -> None:
    text = behaviour_section(resources(fixture())["listSegments"])

    for phrase in (
        "`start` skips that many matches (0 to 100000, default 0)",
        "`limit` sets the page size (1 to 50, default 20)",
        "The items are in `segments`; `total` counts every match",
        "`title` keeps the items whose `title` starts with the value, case-sensitive",
        "`code` keeps the items whose `code` equals the value, ignoring case",
        "`id` → `segment_id`",
        "ties stay in ascending `code` order in both directions",
        "Without `order_by` the items come by `code`, ascending",
        "`order=desc` alone reverses that order",
        "does not define is rejected with 400",
        "an item's `segment_id` fills `{segment_id}` of `GET /segments/{segment_id}`",
    ):
        assert phrase in text, phrase
    for other in ("`count`", "`offset`", "total_items", "contains", "exact reverse"):
        assert other not in text, other


def test_every_rule_names_the_assumptions_that_decided_it() -> None:
    for document in (read_yaml(BUNDLED_SPEC), fixture()):
        for resource in list_resources(document):
            text = behaviour_section(resource)
            for ident in declared_assumptions(resource):
                assert f"`{ident}`" in text, (resource.operation_id, ident)


def test_only_list_descriptions_gain_the_section_and_the_input_stays_untouched() -> None:
    document = fixture()
    before = copy.deepcopy(document)

    shown = with_behaviour(document)

    assert document == before
    lists = list_operations(document)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            description = shown["paths"][path][method]["description"]
            if (method, path) in lists:
                section = behaviour_section(lists[(method, path)])
                assert description == f"{operation['description'].rstrip()}\n\n{section}"
            else:
                assert description == operation["description"]
    assert len(lists) == 2

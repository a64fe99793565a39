from __future__ import annotations

import copy
from typing import Any

import pytest

from contract.errors import DeclarationError
from contract.layout import BUNDLED_SPEC
from contract.spec.declarations import Filter, Sorting, list_resources, member, with_member
from contract.spec.source import read_yaml


def bundled() -> Any:
    return read_yaml(BUNDLED_SPEC)


def sorting(**changes: Any) -> Sorting:
    settings = {
        "field": "sort",
        "direction": "dir",
        "fields": {"by_size": "size"},
        "ascending": "up",
        "descending": "down",
        "collation": {"by_size": "numeric"},
        "tie_breaker": "key",
        "descending_order": "exact-reverse",
        "default_order": "insertion",
        "direction_without_field": "ignored",
        "assumptions": ("x",),
    }
    return Sorting(**{**settings, **changes})


ITEMS = [{"key": "b", "size": 1}, {"key": "c", "size": 2}, {"key": "a", "size": 1}]


def keys(items: list[Any]) -> list[str]:
    return [item["key"] for item in items]


def test_the_collation_of_a_field_decides_how_its_values_compare() -> None:
    items = [{"key": "a", "size": 10}, {"key": "b", "size": 2}]

    by_value = sorting().order(items, "by_size", "up")
    as_text = sorting(collation={"by_size": "code-point"}).order(items, "by_size", "up")

    assert keys(by_value) == ["b", "a"]  # 2 before 10
    assert keys(as_text) == ["a", "b"]  # "10" before "2"


def test_the_bundled_spec_declares_one_list_resource_with_its_detail() -> None:
    (resource,) = list_resources(bundled())

    assert (resource.operation_id, resource.detail.operation_id) == (
        "listEventGroups",
        "getEventGroup",
    )
    assert (resource.paging.offset, resource.paging.step) == ("offset", "count")
    assert resource.paging.results == ("data", "event_groups")
    assert resource.paging.total == ("data", "total_items")
    assert (resource.detail.key, resource.detail.item) == ("event_group_id", ("data",))
    assert {f.parameter: (f.match, f.case) for f in resource.filters} == {
        "name": ("contains", "unicode-casefold"),
        "text_id": ("equals", "sensitive"),
    }
    assert resource.max_page_size == 1000
    assert resource.default("count") == 100


def test_exact_reverse_reverses_the_tie_breaker_too() -> None:
    rule = sorting()

    assert keys(rule.order(ITEMS, "by_size", "up")) == ["a", "b", "c"]
    assert keys(rule.order(ITEMS, "by_size", "down")) == ["c", "b", "a"]


def test_ties_ascending_keeps_ties_in_tie_breaker_order_when_descending() -> None:
    rule = sorting(descending_order="ties-ascending")

    assert keys(rule.order(ITEMS, "by_size", "down")) == ["c", "a", "b"]


def test_without_a_field_the_default_order_and_the_direction_rule_apply() -> None:
    assert keys(sorting().order(ITEMS, None, "down")) == ["b", "c", "a"]
    by_key = sorting(default_order="tie-breaker", direction_without_field="reverses-default")
    assert keys(by_key.order(ITEMS, None, "up")) == ["a", "b", "c"]
    assert keys(by_key.order(ITEMS, None, "down")) == ["c", "b", "a"]


@pytest.mark.parametrize(
    ("match", "case", "value", "candidate", "expected"),
    [
        ("contains", "unicode-casefold", "STRASSE", "Große Straße", True),
        # canonical: a decomposed É finds a precomposed one, and the other way round
        ("contains", "unicode-casefold", "E\u0301lan", "\u00c9lan vital", True),
        ("contains", "unicode-casefold", "\u00e9lan", "E\u0301lan vital", True),
        ("contains", "unicode-casefold", "Elan", "\u00c9lan vital", False),
        ("contains", "unicode-casefold", "\uff23art", "Cart", False),  # no compatibility
        ("equals", "sensitive", "e\u0301", "\u00e9", False),  # none: code points
        ("contains", "unicode-casefold", "%", "50% off", True),
        ("contains", "unicode-casefold", "_", "50% off", False),
        ("contains", "sensitive", "cart", "Shopping Cart", False),
        ("prefix", "sensitive", "VIP", "VIP lapsed", True),
        ("prefix", "sensitive", "lapsed", "VIP lapsed", False),
        ("equals", "unicode-casefold", "vip", "VIP", True),
        ("equals", "sensitive", "vip", "VIP", False),
    ],
)
def test_a_filter_matches_as_declared(
    match: str, case: str, value: str, candidate: str, expected: bool
) -> None:
    normalization = "canonical" if case == "unicode-casefold" else "none"
    rule = Filter("q", "title", match, case, normalization, ("x",))

    assert rule.matches(value, candidate) is expected


@pytest.mark.parametrize(
    ("case", "normalization", "value", "candidate", "expected"),
    [
        ("sensitive", "canonical", "e\u0301", "\u00e9", True),  # canonical, case kept
        ("sensitive", "canonical", "E\u0301", "\u00e9", False),
        ("unicode-casefold", "none", "\u00c9", "\u00e9", True),  # folded, forms kept
        ("unicode-casefold", "none", "E\u0301", "\u00e9", False),
    ],
)
def test_case_and_normalisation_are_declared_apart(
    case: str, normalization: str, value: str, candidate: str, expected: bool
) -> None:
    rule = Filter("q", "title", "equals", case, normalization, ("x",))

    assert rule.matches(value, candidate) is expected


def test_members_are_read_and_written_at_their_paths() -> None:
    body = with_member(with_member({}, ("data", "items"), [1]), ("data", "total"), 1)

    assert body == {"data": {"items": [1], "total": 1}}
    assert member(body, ("data", "total")) == 1


def test_invalid_declarations_are_refused_with_pointer_and_rule() -> None:
    document = copy.deepcopy(bundled())
    del document["paths"]["/event-groups"]["get"]["x-pagination"]["total"]

    with pytest.raises(DeclarationError) as caught:
        list_resources(document)

    assert "#/paths/~1event-groups/get/x-pagination [x-declaration-shape]" in str(caught.value)

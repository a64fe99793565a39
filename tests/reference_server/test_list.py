"""The documented and assumed semantics of the two operations, in-process."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GroupsClient
from tests.support import spec_facts
from tests.support.server_client import InProcessClient


def group(key: str, name: str, text_id: str | None = None, state: int = 1) -> dict[str, Any]:
    """A group; its text id, unique like its key, is made from the key unless given."""
    return {"event_group_id": key, "name": name, "text_id": text_id or f"t-{key}", "state": state}


# Inserted out of every sorted order, with ties in name and state (text ids are unique), and
# names whose code-point order differs from a case-insensitive one.
TIED = [
    group("k05", "beta", "b", 2),
    group("k02", "Alpha", "a", 1),
    group("k09", "beta", "a9", 1),
    group("k01", "alpha", "c1", 2),
    group("k07", "Émile", "b7", 1),
    group("k03", "beta", "c", 3),
    group("k08", "Zulu", "a8", 2),
]


def ids(body: dict[str, Any]) -> list[str]:
    return [g["event_group_id"] for g in body["data"]["event_groups"]]


def test_unfiltered_list_reproduces_the_documented_response_exactly(api: InProcessClient) -> None:
    response = api.get("/event-groups")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == spec_facts.documented_list()


def test_detail_returns_each_listed_group_in_the_data_envelope(api: InProcessClient) -> None:
    for listed in spec_facts.documented_list()["data"]["event_groups"]:
        response = api.get(f"/event-groups/{listed['event_group_id']}")

        assert response.status_code == 200
        assert response.json() == {"data": listed}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("cart", ["Shopping Cart"]), ("CART", ["Shopping Cart"]), ("ping c", ["Shopping Cart"]),
     ("S", ["Shopping Cart", "Tasks", "Points", "Shipments"]), ("xyz", [])],
)  # fmt: skip
def test_name_filter_is_a_case_insensitive_substring_match(
    api: InProcessClient, value: str, expected: list[str]
) -> None:
    body = api.list(name=value)

    assert [g["name"] for g in body["data"]["event_groups"]] == expected
    assert body["data"]["total_items"] == len(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("STRASSE", ["k1"]), ("straß", ["k1"]), ("ΣΊΣΥΦΟΣ", ["k2"]), ("σίσυφοσ", ["k2"]),
     ("ǆ", ["k3"]), ("é", ["k4"]), ("É", ["k4"]), ("cafe", [])],
)  # fmt: skip
def test_name_filter_uses_unicode_full_case_folding(
    api_with: GroupsClient, value: str, expected: list[str]
) -> None:
    api = api_with(
        [group("k1", "Straße"), group("k2", "Σίσυφος"), group("k3", "ǅemal"), group("k4", "CAFÉ")]
    )

    assert ids(api.list(name=value)) == expected


@pytest.mark.parametrize(
    ("raw_query", "expected"),
    [("name=0%25", ["k1"]), ("name=%25", ["k1"]), ("name=_", ["k3"]), ("name=a_b", ["k3"]),
     ("name=%5C", ["k5"]), ("name=%27", ["k6"]), ("name=%00", [])],
)  # fmt: skip
def test_percent_underscore_and_quotes_in_the_name_filter_are_literal(
    api_with: GroupsClient, raw_query: str, expected: list[str]
) -> None:
    api = api_with(
        [group("k1", "50% off"), group("k2", "500 off"), group("k3", "a_b"),
         group("k4", "axb"), group("k5", "back\\slash"), group("k6", "it's")]
    )  # fmt: skip

    response = api.get(f"/event-groups?{raw_query}")

    assert response.status_code == 200
    assert ids(response.json()) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("shopping_cart", ["Shopping Cart"]), ("Shopping_Cart", []), ("shopping", []),
     ("shopping_cart ", [])],
)  # fmt: skip
def test_text_id_filter_is_exact_and_case_sensitive(
    api: InProcessClient, value: str, expected: list[str]
) -> None:
    body = api.list(text_id=value)

    assert [g["name"] for g in body["data"]["event_groups"]] == expected


def test_filters_combine_and_both_must_match(api_with: GroupsClient) -> None:
    api = api_with(TIED)

    assert ids(api.list(name="BETA", text_id="c")) == ["k03"]
    assert ids(api.list(name="alpha", text_id="b")) == []


def test_default_order_is_creation_order_and_ignores_the_direction(
    api_with: GroupsClient,
) -> None:
    api = api_with(TIED)
    created = [g["event_group_id"] for g in TIED]

    assert ids(api.list()) == created
    assert ids(api.list(sort_direction="DESC")) == created
    assert ids(api.list(sort_direction="ASC", name="a")) == [
        g["event_group_id"] for g in TIED if "a" in g["name"].casefold()
    ]


@pytest.mark.parametrize("field", spec_facts.sort_fields())
def test_each_sort_field_orders_by_code_point_with_ties_broken_by_id(
    api_with: GroupsClient, field: str
) -> None:
    api = api_with(TIED)
    expected = [
        g["event_group_id"] for g in sorted(TIED, key=lambda g: (g[field], g["event_group_id"]))
    ]

    assert ids(api.list(sort_field=field)) == expected
    assert ids(api.list(sort_field=field, sort_direction="ASC")) == expected


@pytest.mark.parametrize("field", spec_facts.sort_fields())
def test_desc_is_the_exact_reverse_of_asc_tie_break_included(
    api_with: GroupsClient, field: str
) -> None:
    api = api_with(TIED)

    ascending = ids(api.list(sort_field=field, sort_direction="ASC"))
    descending = ids(api.list(sort_field=field, sort_direction="DESC"))

    assert descending == ascending[::-1]


def test_names_sort_case_sensitively_by_code_point(api_with: GroupsClient) -> None:
    api = api_with([group("1", "b"), group("2", "Émile"), group("3", "a"), group("4", "Z")])

    body = api.list(sort_field="name")

    assert [g["name"] for g in body["data"]["event_groups"]] == ["Z", "a", "b", "Émile"]


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 8])
@pytest.mark.parametrize(
    "order", [{}, {"sort_field": "name"}, {"sort_field": "state", "sort_direction": "DESC"}]
)
def test_pages_partition_the_whole_list_for_every_page_size(
    api_with: GroupsClient, count: int, order: dict[str, str]
) -> None:
    api = api_with(TIED)
    whole = ids(api.list(count=len(TIED), **order))

    pages = []
    for offset in range(0, len(TIED), count):
        body = api.list(count=count, offset=offset, **order)
        assert body["data"]["total_items"] == len(TIED)
        assert len(body["data"]["event_groups"]) == min(count, len(TIED) - offset)
        pages.append(ids(body))

    assert [key for page in pages for key in page] == whole
    assert sorted(whole) == sorted(g["event_group_id"] for g in TIED)


def test_total_items_counts_every_match_independent_of_paging(api_with: GroupsClient) -> None:
    api = api_with(TIED)

    for offset in (0, 1, 2, 3, 10):
        body = api.list(name="beta", count=1, offset=offset)
        assert body["data"]["total_items"] == 3
        assert len(body["data"]["event_groups"]) == (1 if offset < 3 else 0)


def test_an_offset_at_or_past_the_end_gives_an_empty_page_not_an_error(
    api: InProcessClient,
) -> None:
    maximum = spec_facts.schema("offset")["maximum"]

    for offset in (4, 5, maximum):
        body = api.list(offset=offset)
        assert body == {"data": {"event_groups": [], "total_items": 4}}


def test_the_spec_default_count_sizes_the_page(api_with: GroupsClient) -> None:
    default = spec_facts.schema("count")["default"]
    api = api_with([group(f"k{i:04}", f"n{i}") for i in range(default + 5)])

    body = api.list()

    assert len(body["data"]["event_groups"]) == default
    assert body["data"]["total_items"] == default + 5


def test_the_spec_bounds_themselves_are_accepted(api: InProcessClient) -> None:
    for name in spec_facts.query_parameters_of_type("integer"):
        schema = spec_facts.schema(name)
        for bound in (schema["minimum"], schema["maximum"]):
            assert api.get("/event-groups", params={name: bound}).status_code == 200


def test_strings_of_the_spec_length_limits_are_accepted(api: InProcessClient) -> None:
    for name in ("name", "text_id"):
        schema = spec_facts.schema(name)
        for length in (schema["minLength"], schema["maxLength"]):
            assert api.get("/event-groups", params={name: "é" * length}).status_code == 200


def test_unknown_query_parameters_are_ignored(api: InProcessClient) -> None:
    response = api.get("/event-groups?colour=red&colour=blue&Count=0&count%5B%5D=x&=&&x")

    assert response.status_code == 200
    assert response.json() == spec_facts.documented_list()


def test_head_answers_like_get(api: InProcessClient) -> None:
    response = api.request("HEAD", "/event-groups")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"

"""The store finds a page in one of several ways (a range of a rank column, a walk of the
order's index, matches collected by value and sorted, or a plain ORDER BY for an order no
declaration gives), and counts through the distinct values of a searched column. Whichever
way it takes, each page and total is what the declarations' own model of matching and order
says, for both resources of the two-resource fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract.spec.declarations import Item, ListResource
from contract.spec.source import read_yaml
from reference_server.data import synthetic_items
from reference_server.resources import Resource, resource_of
from reference_server.spec_rules import SpecRules, rules_from_document
from reference_server.store import Query, Store

ITEMS = 240  # enough for ties, repeated names and pages past the first
PLANS = ["chosen", "walk", "collect"]


@pytest.fixture(scope="module")
def rules(two_resources: Path) -> SpecRules:
    return rules_from_document(read_yaml(two_resources / "openapi.yaml"))


@pytest.fixture(scope="module")
def stored(rules: SpecRules) -> Iterator[tuple[Store, dict[str, list[dict[str, Any]]]]]:
    store = Store.open(rules.resources)
    items = {}
    for resource in rules.resources:
        items[resource.name] = list(synthetic_items(resource, ITEMS, seed=7))
        store.add_all(resource.name, items[resource.name])
    yield store, items
    store.close()


CASES = ("same", "upper", "lower", "swapped")


def variant(value: str, start: int, end: int, case: str) -> str:
    """A part of `value` (all of it when the cut is empty) in a case of its own."""
    low, high = sorted((start % (len(value) + 1), end % (len(value) + 1)))
    part = value[low:high] or value
    changes = {"upper": str.upper, "lower": str.lower, "swapped": str.swapcase}
    return changes[case](part) if case in changes else part


def queries(resource: ListResource, items: list[dict[str, Any]]) -> st.SearchStrategy[Any]:
    """List parameters as a client sends them: filter values cut from the items' own values
    (in another case at times), any sort field and direction, offsets and page sizes."""
    filters: dict[str, st.SearchStrategy[str | None]] = {}
    for declared in resource.filters:
        values = sorted({str(item[declared.property_name]) for item in items})
        filters[declared.parameter] = st.none() | st.builds(
            variant, st.sampled_from(values), st.integers(0, 99), st.integers(0, 99),
            st.sampled_from(CASES),
        )  # fmt: skip
    sorting = resource.sorting
    assert sorting is not None
    largest = resource.max_page_size or ITEMS
    return st.fixed_dictionaries(
        {
            **filters,
            sorting.field: st.none() | st.sampled_from(sorted(sorting.fields)),
            sorting.direction: st.none() | st.sampled_from([sorting.ascending, sorting.descending]),
            resource.paging.offset: st.none() | st.integers(0, ITEMS + 5),
            resource.paging.step: st.none() | st.integers(1, largest),
        }
    )


def expected_page(
    resource: ListResource, items: list[dict[str, Any]], params: dict[str, Any]
) -> tuple[list[Item], int]:
    sorting = resource.sorting
    assert sorting is not None
    filters = {f.parameter: params[f.parameter] for f in resource.filters if params[f.parameter]}
    matching = [item for item in items if resource.matches(filters, item)]
    direction = params[sorting.direction] or resource.default(sorting.direction)
    ordered = sorting.order(matching, params[sorting.field], direction)
    skip = params[resource.paging.offset] or 0
    size = params[resource.paging.step] or resource.default(resource.paging.step)
    return ordered[skip : skip + size], len(matching)


def searched(store: Store, served: Resource, params: dict[str, Any]) -> tuple[list[Item], int]:
    sent = [(name, str(value)) for name, value in params.items() if value is not None]
    page = store.search(served.name, served.query(served.parse_list(sent)))
    return list(page.items), page.total


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("name", ["EventGroup", "Segment"])
@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_plan_gives_the_page_and_total_the_declarations_promise(
    rules: SpecRules,
    stored: tuple[Store, dict[str, list[dict[str, Any]]]],
    monkeypatch: pytest.MonkeyPatch,
    plan: str,
    name: str,
    data: st.DataObject,
) -> None:
    store, items = stored
    (resource,) = [r for r in rules.resources if r.name == name]
    if plan != "chosen":
        monkeypatch.setattr("reference_server.store.walks", lambda *_: plan == "walk")
    params = data.draw(queries(resource, items[name]))

    assert searched(store, resource_of(resource, rules), params) == expected_page(
        resource, items[name], params
    )


def test_an_order_no_declaration_gives_is_still_served_in_that_order(
    stored: tuple[Store, dict[str, list[dict[str, Any]]]],
) -> None:
    store, items = stored
    order = (("size", True), ("segment_id", False))

    page = store.search("Segment", Query(order=order, limit=30, skip=10))

    expected = sorted(items["Segment"], key=lambda s: (-s["size"], s["segment_id"]))[10:40]
    assert page.items == expected
    assert page.total == ITEMS

"""The model-based oracle alone: it computes pages from the declarations, catches every fault
in list semantics with one minimal query, and is silent on the correct server."""

from __future__ import annotations

from typing import Any

import pytest

from contract.conformance import _oracle as oracle
from contract.conformance.properties import Probe, Subject, check_oracle, subjects
from contract.layout import BUNDLED_SPEC
from contract.spec.declarations import list_resources
from contract.spec.source import read_yaml
from tests.support.faults import (
    DECLARED_FAULTS,
    FAULTS,
    PASSWORD,
    POLICY_FAULTS,
    USER,
    Fault,
    reference_app,
    serve,
)

ITEMS: list[dict[str, Any]] = [
    {"event_group_id": "b", "name": "Straße", "text_id": "x", "state": 2},
    {"event_group_id": "a", "name": "Cart 50%", "text_id": "y", "state": 1},
    {"event_group_id": "c", "name": "STRASSE", "text_id": "z", "state": 1},
]
LIST_FAULTS: dict[str, Fault] = {
    name: {**FAULTS, **DECLARED_FAULTS, **POLICY_FAULTS}[name]
    for name in (
        "sort direction is ignored",
        "total_items counts the page",
        "name filter is ignored",
        "filters combined with OR",
        "% and _ are wildcards",
        "sorting only the returned page",
        "DESC without sort field reverses the default order",
        "pages capped at 50 items",
        "default page size 10, not 100",
    )
}


def subject() -> Subject:
    (found,) = subjects(BUNDLED_SPEC)
    return found


def test_the_expected_page_follows_filters_order_and_paging() -> None:
    (resource,) = list_resources(read_yaml(BUNDLED_SPEC))

    assert resource.promised(ITEMS, {"name": "strasse"}) == (["b", "c"], 2)
    assert resource.promised(ITEMS, {"name": "_"}) == ([], 0)
    ordered = {"sort_field": "state", "sort_direction": "DESC", "count": "2", "offset": "1"}
    assert resource.promised(ITEMS, ordered) == (["c", "a"], 3)
    assert resource.promised(ITEMS, {"offset": "3"}) == ([], 3)


def test_filter_values_change_case_and_carry_wildcards_and_quotes() -> None:
    values = oracle.values_from("Straße")

    assert {"Straße", "STRASSE", "strasse", "S%", "_traße"} <= set(values)
    assert any("'" in value for value in values)


def test_the_correct_server_agrees_with_the_model() -> None:
    with serve(reference_app()) as url:
        probe = Probe(url, USER, PASSWORD, max_requests=2000)
        assert list(check_oracle(probe, subject())) == []
        probe.close()


@pytest.mark.parametrize("fault", list(LIST_FAULTS))
def test_each_list_fault_is_caught_once_with_a_small_query(fault: str) -> None:
    with serve(LIST_FAULTS[fault](reference_app())) as url:
        probe = Probe(url, USER, PASSWORD, max_requests=2000)
        found = list(check_oracle(probe, subject()))
        probe.close()

    assert len(found) == 1, found
    message, reproduce = found[0]
    query = message.split(":", 1)[0]
    assert query.count("&") <= 2, message  # shrunk: at most three parameters
    assert reproduce.startswith("curl ")

"""The model-based oracle alone: it computes pages from the declarations, catches every fault
in list semantics with one minimal query, is silent on the correct server, and draws the same
queries from the same seed."""

from __future__ import annotations

import random
from typing import Any

import pytest

from contract.conformance import load_contract
from contract.conformance._probe import Probe
from contract.conformance._runner import run_checks
from contract.conformance.checks.oracle import choices, draw, simpler, values_from
from contract.layout import BUNDLED_SPEC
from tests.support.faults import ALL_FAULTS, PASSWORD, USER, reference_app, serve

CONTRACT = load_contract(BUNDLED_SPEC)
(RESOURCE,) = [s.resource for s in CONTRACT.subjects]
ITEMS: list[dict[str, Any]] = [
    {"event_group_id": "b", "name": "Straße", "text_id": "x", "state": 2},
    {"event_group_id": "a", "name": "Cart 50%", "text_id": "y", "state": 1},
    {"event_group_id": "c", "name": "STRASSE", "text_id": "z", "state": 1},
]
LIST_FAULTS = (
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


def oracle_findings(url: str) -> list[str]:
    probe = Probe(url, USER, PASSWORD, max_requests=2000)
    try:
        return [str(f) for f in run_checks(CONTRACT, probe, {"oracle"}).findings]
    finally:
        probe.close()


def test_the_expected_page_follows_filters_order_and_paging() -> None:
    assert RESOURCE.promised(ITEMS, {"name": "strasse"}) == (["b", "c"], 2)
    assert RESOURCE.promised(ITEMS, {"name": "_"}) == ([], 0)
    ordered = {"sort_field": "state", "sort_direction": "DESC", "count": "2", "offset": "1"}
    assert RESOURCE.promised(ITEMS, ordered) == (["c", "a"], 3)
    assert RESOURCE.promised(ITEMS, {"offset": "3"}) == ([], 3)


def test_filter_values_change_case_and_carry_wildcards_and_quotes() -> None:
    values = values_from("Straße")

    assert {"Straße", "STRASSE", "strasse", "S%", "_traße"} <= set(values)
    assert any("'" in value for value in values)


def test_the_same_seed_draws_the_same_queries_and_each_simpler_step_drops_or_lowers() -> None:
    options = choices(RESOURCE, ITEMS)
    first = [draw(options, random.Random(7)) for _ in range(5)]

    assert first == [draw(options, random.Random(7)) for _ in range(5)]
    query = {"name": options["name"][-1], "count": options["count"][-1]}
    for step in simpler(query, options):
        dropped = len(step) < len(query)
        lowered = any(options[k].index(v) < options[k].index(query[k]) for k, v in step.items())
        assert dropped or lowered, step
    assert len(simpler(query, options)) <= 2 + 2 * 4  # a few candidates a round


def test_the_correct_server_agrees_with_the_model() -> None:
    with serve(reference_app()) as url:
        assert oracle_findings(url) == []


@pytest.mark.parametrize("fault", LIST_FAULTS)
def test_each_list_fault_is_caught_once_with_a_small_query(fault: str) -> None:
    with serve(ALL_FAULTS[fault](reference_app())) as url:
        found = oracle_findings(url)

    assert len(found) == 1, found
    query = found[0].split(":", 1)[0]
    assert query.count("&") <= 2, found  # shrunk: at most three parameters
    assert "reproduce: curl " in found[0]

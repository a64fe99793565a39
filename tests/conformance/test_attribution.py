"""A finding is charged to the declared rule whose single change explains what the server sent,
not to every assumption its request touched; a finding no single change explains is
unattributed, contradicts nothing and is still shown."""

from __future__ import annotations

from typing import Any

from contract.conformance._attribution import AMBIGUOUS, UNATTRIBUTED, attribute
from contract.conformance._verdicts import CONTRADICTED, summary, verdicts
from contract.conformance.properties import Probe, Subject, run_checks, subjects
from contract.layout import BUNDLED_SPEC
from tests.support.faults import MORE_LIST_FAULTS, PASSWORD, USER, reference_app, serve

ITEMS: list[dict[str, Any]] = [
    {"event_group_id": "b", "name": "Cart", "text_id": "cart", "state": 2},
    {"event_group_id": "a", "name": "Shopping Cart", "text_id": "shopping_cart", "state": 1},
    {"event_group_id": "c", "name": "Cart Orders", "text_id": "cart_orders", "state": 1},
    {"event_group_id": "d", "name": "Visits", "text_id": "visits", "state": 3},
]


def subject() -> Subject:
    (found,) = subjects(BUNDLED_SPEC)
    return found


def test_a_wrong_default_direction_is_charged_to_the_direction_parameter_only() -> None:
    descending = subject().resource.promised(
        ITEMS, {"sort_field": "name", "sort_direction": "DESC"}
    )

    found = attribute(subject(), ITEMS, {"sort_field": "name"}, descending)

    assert found.ids == ("sort-direction-rules",)
    assert "sort_direction default: ASC -> DESC" in found.explanation


def test_a_prefix_match_instead_of_contains_is_charged_to_the_name_filter_only() -> None:
    # "cart" is contained in three names, a prefix of two: Cart and Cart Orders.
    found = attribute(subject(), ITEMS, {"name": "cart"}, (["b", "c"], 2))

    assert found.ids == ("name-filter-matching",)
    assert "name x-filter match: contains -> prefix" in found.explanation


def test_an_ignored_parameter_is_charged_to_that_parameter_only() -> None:
    ascending = subject().resource.promised(ITEMS, {"sort_field": "name"})

    found = attribute(subject(), ITEMS, {"sort_field": "name", "sort_direction": "DESC"}, ascending)

    assert found.ids == ("sort-direction-rules",)
    assert "sort_direction were ignored" in found.explanation


def test_an_answer_no_single_change_gives_is_unattributed() -> None:
    # Two groups no query lists together, under a total no filter gives.
    found = attribute(subject(), ITEMS, {"sort_field": "name"}, (["d", "b"], 7))

    assert (found.ids, found.explanation) == ((), UNATTRIBUTED)


def contradicted(fault: str, groups: int, only: set[str]) -> tuple[set[str], list[str]]:
    """The assumptions the checks in `only` contradict on the faulty server, and the summary."""
    with serve(MORE_LIST_FAULTS[fault](reference_app(groups))) as url:
        probe = Probe(url, USER, PASSWORD, max_requests=3000)
        try:
            findings, unchecked = run_checks(probe, BUNDLED_SPEC, only)
        finally:
            probe.close()
    assert findings
    found = verdicts(BUNDLED_SPEC, findings, unchecked)
    return {v.assumption for v in found if v.status == CONTRADICTED}, [*summary(found, findings)]


def test_a_server_sorting_descending_by_default_contradicts_only_the_direction_rules() -> None:
    # The sorting check always catches it; the oracle's search does too on 150 groups.
    ids, lines = contradicted("sort direction defaults to DESC", 150, {"oracle", "sorting"})

    assert ids == {"sort-direction-rules"}
    assert any("sort-direction-rules" in line and "ASC -> DESC" in line for line in lines)


def test_a_server_paging_before_filtering_is_unattributed_and_still_reported() -> None:
    """Its page holds the matches among the unfiltered page and its total counts every item.
    No single change gives both: a filter changed to match every item would fill the page
    with all of them, and another default page size only cuts the page. So neither paging
    (offset-bounds) nor the filters (name-filter-matching) are blamed for it."""
    ids, lines = contradicted("pages before filtering", 60, {"oracle"})

    assert ids == set()
    assert any(
        line.startswith("  UNATTRIBUTED [oracle EventGroup] ") and line.endswith(UNATTRIBUTED)
        for line in lines
    ), lines


def test_an_answer_two_rules_explain_alike_is_charged_to_neither() -> None:
    # State 1 ties a and c: DESC keeping ties ascending, and ties broken by name, both give
    # d, b, a, c; the first speaks for the direction rules, the second for the sort fields.
    query = {"sort_field": "state", "sort_direction": "DESC"}

    found = attribute(subject(), ITEMS, query, (["d", "b", "a", "c"], 4))

    assert found.ids == ()
    assert found.explanation.endswith(AMBIGUOUS)
    assert "descending-order" in found.explanation
    assert "tie-breaker" in found.explanation

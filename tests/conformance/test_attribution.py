"""A wrong list answer is charged to the declared rule whose single change explains what the
server sent, not to every assumption its request touched; when rules of different
assumptions explain it alike, to none of them (and, where the server's answers to simpler
queries rule some out, to those left); when none does, the one part of the answer that is
wrong names its rule; and an answer nothing explains contradicts nothing. A probe exercises
only the assumptions whose alternatives would have answered it otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract.conformance import load_contract
from contract.conformance._attribution import AMBIGUOUS, UNATTRIBUTED, Answer, Explainer
from contract.layout import BUNDLED_SPEC

ITEMS: list[dict[str, Any]] = [
    {"event_group_id": "b", "name": "Cart", "text_id": "cart", "state": 2},
    {"event_group_id": "a", "name": "Shopping Cart", "text_id": "shopping_cart", "state": 1},
    {"event_group_id": "c", "name": "Cart Orders", "text_id": "cart_orders", "state": 1},
    {"event_group_id": "d", "name": "Visits", "text_id": "visits", "state": 3},
]
(SUBJECT,) = load_contract(BUNDLED_SPEC).subjects
EXPLAINER = Explainer(SUBJECT)
RESOURCE = SUBJECT.resource


def test_a_wrong_default_direction_is_charged_to_the_direction_parameter_only() -> None:
    descending = RESOURCE.promised(ITEMS, {"sort_field": "name", "sort_direction": "DESC"})

    found = EXPLAINER.explain(ITEMS, {"sort_field": "name"}, descending)

    assert found.ids == ("sort-direction-rules",)
    assert "sort_direction default: ASC -> DESC" in found.explanation


def test_a_prefix_match_instead_of_contains_is_charged_to_the_name_filter_only() -> None:
    # "cart" is contained in three names, a prefix of two: Cart and Cart Orders.
    found = EXPLAINER.explain(ITEMS, {"name": "cart"}, (["b", "c"], 2))

    assert found.ids == ("name-filter-matching",)
    assert "name x-filter match: contains -> prefix" in found.explanation


def test_an_ignored_parameter_is_charged_to_that_parameter_only() -> None:
    ascending = RESOURCE.promised(ITEMS, {"sort_field": "name"})

    found = EXPLAINER.explain(ITEMS, {"sort_field": "name", "sort_direction": "DESC"}, ascending)

    assert found.ids == ("sort-direction-rules",)
    assert "sort_direction were ignored" in found.explanation


def test_an_answer_no_rule_explains_is_charged_to_none_and_leaves_what_it_touched_undecided() -> (
    None
):
    # Two groups no query lists together, under a total no filter gives.
    found = EXPLAINER.explain(ITEMS, {"sort_field": "name"}, (["d", "b"], 7))

    assert (found.ids, found.explanation) == ((), UNATTRIBUTED)
    assert "sort-field-values" in found.undecided


def test_an_answer_two_rules_explain_alike_is_charged_to_neither() -> None:
    # State 1 ties a and c: DESC keeping ties ascending, and ties broken by name, both give
    # d, b, a, c; the first speaks for the direction rules, the second for the sort fields.
    query = {"sort_field": "state", "sort_direction": "DESC"}

    found = EXPLAINER.explain(ITEMS, query, (["d", "b", "a", "c"], 4))

    assert found.ids == ()
    assert found.explanation.endswith(AMBIGUOUS)
    assert {"sort-direction-rules", "sort-field-values"} <= set(found.undecided)


def test_the_servers_answers_to_simpler_queries_rule_an_explanation_out() -> None:
    """Filters combined with OR, or text_id ignored: the same answer to name=cart together
    with text_id=cart_orders. The server answers text_id=cart_orders alone as declared, so
    text_id is not ignored: the combination is to blame."""
    query = {"name": "cart", "text_id": "cart_orders"}
    with_or = (["b", "a", "c"], 3)

    def ask(simpler: Mapping[str, str]) -> Answer:
        return RESOURCE.promised(ITEMS, simpler)  # a server right on one filter

    assert EXPLAINER.explain(ITEMS, query, with_or).ids == ()
    found = EXPLAINER.explain(ITEMS, query, with_or, ask=ask)
    assert found.ids == ("filters-combine-with-and",)


def test_a_whole_result_in_the_declared_order_with_other_items_blames_its_one_filter() -> None:
    # name=cart also keeping Visits, in the default order: no alternative gives that.
    found = EXPLAINER.explain(ITEMS, {"name": "cart"}, (["b", "a", "c", "d"], 4), whole=True)

    assert found.ids == ("name-filter-matching",)


def test_the_right_items_in_another_order_blame_the_sort_field() -> None:
    found = EXPLAINER.explain(ITEMS, {"sort_field": "name"}, (["c", "a", "b", "d"], 4))

    assert found.ids == ("sort-field-values",)
    assert found.explanation == "the right items in another order"


def test_a_probe_exercises_what_another_rule_would_have_answered_otherwise() -> None:
    exercised = EXPLAINER.exercised(ITEMS, {"name": "cart"})

    assert "name-filter-matching" in exercised
    assert "filters-combine-with-and" not in exercised  # one filter cannot tell AND from OR
    assert "filters-combine-with-and" in EXPLAINER.exercised(
        ITEMS, {"name": "cart", "text_id": "visits"}
    )
    # Sorting one item can show no rule of the order.
    assert not EXPLAINER.exercised(ITEMS[:1], {"sort_field": "name"}) & {
        "sort-field-values",
        "sort-direction-rules",
    }

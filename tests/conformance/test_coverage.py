"""The coverage map: made from exchanges alone, it marks exercised exactly what they did, and
says why each other target was not; the gate reads MIN_COVERAGE."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
import pytest

from contract.conformance import load_contract
from contract.conformance._coverage import (
    CATEGORIES,
    CoverageMap,
    Target,
    coverage_of,
    parse_gate,
    shortfalls,
)
from contract.conformance._har import Exchange
from contract.errors import UsageError
from contract.layout import BUNDLED_SPEC
from tests.support.spec_facts import (
    CONTAINS_FILTER,
    COUNT,
    ENVELOPE,
    FILTERS,
    KEY,
    LIST_PATH,
    MAXIMUM_COUNT,
    OFFSET,
    PREFIX,
    RESULTS,
    SORT_DIRECTION,
    SORT_FIELD,
    TOTAL,
)

CONTRACT = load_contract(BUNDLED_SPEC)
ITEMS = [
    {KEY: "a1", "name": "Cart", "text_id": "cart", "state": 1},
    {KEY: "a2", "name": "Cart", "text_id": "cart_2", "state": 2},
    {KEY: "a3", "name": "Shop", "text_id": "shop", "state": 2},
]


def listed(query: dict[str, Any], items: list[dict[str, Any]], total: int) -> Exchange:
    body = {ENVELOPE: {RESULTS: items, TOTAL: total}}
    url = f"http://127.0.0.1:9{PREFIX}{LIST_PATH}" + (f"?{urlencode(query)}" if query else "")
    return Exchange(0, "GET", url, (), 200, (), orjson.dumps(body))


def refused(path: str = LIST_PATH) -> Exchange:
    return Exchange(0, "GET", f"http://127.0.0.1:9{PREFIX}{path}?{COUNT}=0", (), 401, (), b"{}")


def targets(*exchanges: Exchange) -> dict[tuple[str, str, str], Target]:
    found = coverage_of(exchanges, CONTRACT, PREFIX)
    return {(t.category, t.where, t.name): t for t in found.targets}


def only(found: dict[tuple[str, str, str], Target], category: str, where: str = "") -> set[str]:
    return {
        name
        for (kind, place, name), target in found.items()
        if kind == category and where in place and target.exercised
    }


def test_one_request_exercises_only_what_it_did() -> None:
    found = targets(listed({}, ITEMS[:2], 2))

    assert only(found, "statuses") == {"200"}
    assert found["statuses", f"GET {LIST_PATH}", "400"].why == "no answer had it"
    detail = next(t for (kind, where, _), t in found.items() if kind == "statuses" and "{" in where)
    assert detail.why == "no request reached the operation"
    assert only(found, "parameters") == set()
    assert only(found, "paging") == {"first page"}
    assert only(found, "sorting") == {"a page"}  # the default order, ascending by default


def test_pages_at_each_offset_exercise_first_middle_last_and_past_the_end() -> None:
    pages = [listed({COUNT: 1, OFFSET: i}, ITEMS[i : i + 1], 3) for i in range(4)]

    found = targets(*pages)

    assert only(found, "paging") == {
        "first page",
        "a middle page",
        "last page",
        "past the last page",
    }
    assert {"minimum 1", "a valid value", "minimum 0"} <= only(found, "parameters", COUNT) | only(
        found, "parameters", OFFSET
    )


def test_a_server_holding_one_item_cannot_show_a_middle_page_and_the_map_says_why() -> None:
    found = targets(listed({}, ITEMS[:1], 1), listed({OFFSET: 1}, [], 1))

    middle = found["paging", "EventGroup", "a middle page"]
    assert not middle.exercised
    assert "at most 1 matching item" in middle.why
    assert found["paging", "EventGroup", "past the last page"].exercised


def test_bounds_and_enum_values_count_only_when_sent_exactly() -> None:
    found = targets(
        listed({COUNT: MAXIMUM_COUNT + 1}, [], 0),
        listed({COUNT: f"00{MAXIMUM_COUNT}"}, [], 0),  # read as the maximum
        listed({SORT_DIRECTION: "desc"}, [], 0),  # no enum value: case counts
    )

    assert only(found, "parameters", f" {COUNT}") == {
        f"above maximum {MAXIMUM_COUNT + 1}",
        f"maximum {MAXIMUM_COUNT}",
        "a valid value",
    }
    assert only(found, "parameters", SORT_DIRECTION) == set()


def test_a_refused_request_exercises_the_401_but_none_of_its_parameters() -> None:
    found = targets(refused())

    assert only(found, "statuses") == {"401"}
    assert only(found, "parameters") == set()


def test_filters_count_matches_and_misses_and_say_what_the_data_lacked() -> None:
    found = targets(
        listed({CONTAINS_FILTER: "cart"}, ITEMS[:2], 2),  # matches in another case only
        listed({CONTAINS_FILTER: "zzz"}, [], 0),
    )

    done = only(found, "filters", CONTAINS_FILTER)
    assert done == {"matches", "matches nothing", "matches in another case only"}
    where = next(w for (k, w, _) in found if k == "filters" and CONTAINS_FILTER + " (" in w)
    non_ascii = found["filters", where, "non-ASCII value matches"]
    assert (
        non_ascii.why
        == f"no item seen has a {FILTERS[CONTAINS_FILTER]['property']} with a non-ASCII character"
    )


def test_sorting_tells_pages_with_a_tie_from_pages_without_one() -> None:
    by_name = [
        listed({SORT_FIELD: "name"}, ITEMS[:2], 3),
        listed({SORT_FIELD: "name", OFFSET: 1}, ITEMS[1:], 3),
    ]

    found = targets(*by_name)

    where = f"EventGroup {SORT_FIELD}=name {SORT_DIRECTION}=ASC"
    assert found["sorting", where, "with a tie"].exercised
    assert found["sorting", where, "without a tie"].exercised
    descending = found["sorting", where.replace("ASC", "DESC"), "with a tie"]
    assert descending.why == "no page sorted so held two items with the same name"
    state = found["sorting", f"EventGroup {SORT_FIELD}=state {SORT_DIRECTION}=ASC", "with a tie"]
    assert state.why == "no page sorted so held two items with the same state"


@pytest.mark.parametrize("unique", [KEY, "text_id"])
def test_sorting_by_a_unique_property_has_no_tie_to_exercise(unique: str) -> None:
    found = targets()

    where = f"EventGroup {SORT_FIELD}={unique} {SORT_DIRECTION}=ASC"
    assert ("sorting", where, "without a tie") in found
    assert ("sorting", where, "with a tie") not in found


def test_the_map_counts_each_category_and_writes_json_and_markdown(tmp_path: Any) -> None:
    coverage = coverage_of([listed({}, ITEMS, 3)], CONTRACT, PREFIX)

    as_json, as_markdown = coverage.write(tmp_path)

    data = orjson.loads(as_json.read_bytes())
    assert set(data["summary"]) == {*CATEGORIES, "all"}
    assert data["summary"]["statuses"]["exercised"] == 1
    assert data["requests"]["count"] == 1
    assert "| paging | 1 | 4 | 25.0 |" in as_markdown.read_text()
    assert coverage.table()[0].startswith("Coverage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", dict.fromkeys(CATEGORIES, 90.0)),
        ("90,paging=100", {**dict.fromkeys(CATEGORIES, 90.0), "paging": 100.0}),
        ("statuses=100", {"statuses": 100.0}),
        ("", {}),
    ],
)
def test_the_gate_takes_one_minimum_or_one_per_category(
    text: str, expected: dict[str, float]
) -> None:
    assert parse_gate(text) == expected


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("pages=50", "no category 'pages'"),
        ("101", "no percentage"),
        ("paging=most", "no percentage"),
    ],
)
def test_an_unreadable_gate_is_a_usage_error_naming_the_variable(text: str, said: str) -> None:
    with pytest.raises(UsageError, match=f"MIN_COVERAGE: .*{said}"):
        parse_gate(text)


def test_a_shortfall_lists_what_was_not_exercised_and_why() -> None:
    coverage = CoverageMap(
        (
            Target("paging", "EventGroup", "first page", True),
            Target("paging", "EventGroup", "a middle page", False, "too few items"),
        )
    )

    assert shortfalls(coverage, {"paging": 90, "statuses": 90}) == [
        "paging: 50.0% < 90%; not exercised:",
        "  EventGroup a middle page: too few items",
    ]
    assert shortfalls(coverage, {"paging": 50}) == []


def test_a_combined_query_matching_nothing_is_no_filters_own_miss() -> None:
    (text_id, *_) = (name for name in FILTERS if name != CONTAINS_FILTER)
    found = targets(listed({CONTAINS_FILTER: "Cart", text_id: "zzz"}, [], 0))

    assert "matches nothing" not in only(found, "filters", f"{CONTAINS_FILTER} (")
    assert "all at once, matches nothing" in only(found, "filters")


def test_lower_case_data_has_letters_in_another_case() -> None:
    found = targets(
        listed({CONTAINS_FILTER: "zzz"}, [], 0), listed({}, [ITEMS[0] | {"name": "cart"}], 1)
    )

    where = next(w for (k, w, _) in found if k == "filters" and CONTAINS_FILTER + " (" in w)
    assert found["filters", where, "matches in another case only"].why.startswith("no request sent")


def test_a_server_at_the_root_of_its_host_is_mapped_too() -> None:
    root = Exchange(0, "GET", f"http://127.0.0.1:9{LIST_PATH}", (), 401, (), b"{}")

    coverage = coverage_of([root], CONTRACT, "")

    assert coverage.requests == 1
    assert any(t.exercised for t in coverage.targets if t.category == "statuses")


def test_an_assumption_no_check_can_contradict_is_no_target() -> None:
    from contract.conformance._verdicts import NOT_CHECKABLE, UNCOVERED, Verdict

    coverage = coverage_of(
        [], CONTRACT, PREFIX, [Verdict("a", NOT_CHECKABLE, UNCOVERED), Verdict("b", "held")]
    )

    assert [t.where for t in coverage.targets if t.category == "assumptions"] == ["b"]


def test_a_canonical_filter_counts_a_match_in_another_normal_form_and_says_what_is_missing() -> (
    None
):
    decomposed = "Cafe\u0301 Club"
    found = targets(
        listed({CONTAINS_FILTER: "zzz"}, [], 0), listed({}, [ITEMS[0] | {"name": "Shop"}], 1)
    )
    matched = targets(
        listed({CONTAINS_FILTER: decomposed}, [ITEMS[0] | {"name": "Caf\u00e9 Club"}], 1)
    )

    where = next(w for (k, w, _) in found if k == "filters" and CONTAINS_FILTER + " (" in w)
    missing = found["filters", where, "matches in another normal form only"]
    assert (
        missing.why
        == f"no item seen has a {CONTAINS_FILTER} that another normal form writes otherwise"
    )
    assert matched["filters", where, "matches in another normal form only"].exercised

"""The reference server takes its list and detail behaviour from the spec's declarations alone:
given the two-resource fixture it serves segments by their own declared rules (renamed paging
parameters, a prefix and a case-folded equality filter, integer ids, ties ascending, unknown
parameters rejected) beside the unchanged event groups, each resource in its own table; and an
operation it cannot give a meaning stops it at startup."""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract.spec.declarations import ListResource, member
from contract.spec.source import read_yaml
from reference_server.__main__ import main
from reference_server.app import create_app
from reference_server.auth import DEFAULT_PASSWORD, DEFAULT_USER
from reference_server.data import documented_items, synthetic_items
from reference_server.errors import SpecRulesError
from reference_server.spec_rules import SpecRules, rules_from_document
from reference_server.store import Condition, Query, Store
from tests.support import spec_facts
from tests.support.server_client import InProcessClient


def segment(key: int, title: str, code: str, size: int) -> dict[str, Any]:
    return {"segment_id": key, "title": title, "code": code, "size": size}


# Inserted out of id, code and size order, with ties in size, codes whose case folding differs
# from lower-casing, and `%`/`_` in a title.
SEGMENTS = [
    segment(3, "Newsletter", "NEWS", 4000),
    segment(7, "VIP customers", "vip", 120),
    segment(12, "VIP lapsed", "vip-lapsed", 120),
    segment(5, "vip friends", "Straße", 120),
    segment(9, "VIPs", "ΣΊΣΥΦΟΣ", 50),
    segment(1, "50%_off", "b_code", 4000),
]


@pytest.fixture(scope="session")
def fixture_document(two_resources: Path) -> dict[str, Any]:
    """The bundled two-resource spec."""
    document: dict[str, Any] = read_yaml(two_resources / "openapi.yaml")
    return document


@pytest.fixture(scope="session")
def fixture_spec(
    fixture_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("two-resources-spec") / "openapi.yaml"
    path.write_text(yaml.safe_dump(fixture_document, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="session")
def rules(fixture_document: dict[str, Any]) -> SpecRules:
    return rules_from_document(fixture_document)


def by_name(rules: SpecRules, name: str) -> ListResource:
    (found,) = [r for r in rules.resources if r.name == name]
    return found


def client_for(rules: SpecRules, segments: Sequence[Mapping[str, Any]]) -> InProcessClient:
    """The server of the fixture spec: the documented event groups and the given segments."""
    store = Store.open(rules.resources)
    for resource in rules.resources:
        items = segments if resource.name == "Segment" else documented_items(rules, resource)
        store.add_all(resource.name, items)
    return InProcessClient(create_app(store=store, rules=rules))


@pytest.fixture
def api(rules: SpecRules) -> InProcessClient:
    return client_for(rules, SEGMENTS)


def listed(api: InProcessClient, query: str = "") -> list[int]:
    response = api.get(f"/segments?{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] >= len(body["segments"])
    return [s["segment_id"] for s in body["segments"]]


def rejected(api: InProcessClient, query: str) -> dict[str, str]:
    response = api.get(f"/segments?{query}")
    assert response.status_code == 400, response.text
    return {p["name"]: p["reason"] for p in response.json()["invalid_params"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("title=VIP", [7, 12, 9]), ("title=vip", [5]), ("title=IP", []), ("title=50%25_", [1]),
     ("title=%25", []), ("title=VIP%20customers", [7])],
)  # fmt: skip
def test_the_title_filter_is_a_case_sensitive_prefix_match(
    api: InProcessClient, query: str, expected: list[int]
) -> None:
    assert listed(api, query) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("VIP", [7]), ("vip-", []), ("STRASSE", [5]), ("straße", [5]), ("σίσυφος", [9]),
     ("ΣΊΣΥΦΟΣ", [9]), ("B_CODE", [1]), ("_", [])],
)  # fmt: skip
def test_the_code_filter_is_equality_after_unicode_case_folding(
    api: InProcessClient, code: str, expected: list[int]
) -> None:
    assert [
        s["segment_id"] for s in api.get("/segments", params={"code": code}).json()["segments"]
    ] == (expected)


def test_filters_combine_with_and(api: InProcessClient) -> None:
    assert listed(api, "title=VIP&code=VIP") == [7]
    assert listed(api, "title=Newsletter&code=vip") == []


def test_the_detail_looks_up_the_integer_id_and_answers_404_when_absent(
    api: InProcessClient,
) -> None:
    found = api.get("/segments/7")
    absent = api.get("/segments/8")

    assert found.json() == {"segment": SEGMENTS[1]}
    assert absent.status_code == 404
    assert absent.json()["detail"] == "No segment has the id 8."
    assert api.get("/segments/seven").json()["invalid_params"] == [
        {"name": "segment_id", "reason": "must be an integer"}
    ]
    assert api.get("/segments/0").status_code == 400


def test_without_a_sort_field_the_order_is_the_tie_breaker_and_desc_reverses_it(
    api: InProcessClient,
) -> None:
    by_code = [3, 5, 1, 7, 12, 9]  # NEWS, Straße, b_code, vip, vip-lapsed, ΣΊΣΥΦΟΣ

    assert listed(api) == by_code
    assert listed(api, "order=asc") == by_code
    assert listed(api, "order=desc") == by_code[::-1]


def test_ties_stay_in_ascending_tie_breaker_order_in_both_directions(
    api: InProcessClient,
) -> None:
    assert listed(api, "order_by=size") == [9, 5, 7, 12, 3, 1]
    assert listed(api, "order_by=size&order=desc") == [3, 1, 5, 7, 12, 9]


@pytest.mark.parametrize("order_by", [None, "id", "title", "size"])
@pytest.mark.parametrize("order", [None, "asc", "desc"])
@pytest.mark.parametrize("filters", [{}, {"title": "VIP"}, {"code": "VIP"}])
def test_every_list_is_in_the_order_the_declaration_promises(
    rules: SpecRules,
    api: InProcessClient,
    order_by: str | None,
    order: str | None,
    filters: dict[str, str],
) -> None:
    declared = by_name(rules, "Segment")
    assert declared.sorting is not None
    matching = [s for s in SEGMENTS if declared.matches(filters, s)]
    expected = declared.sorting.order(matching, order_by, order or declared.default("order"))
    params = {**filters, **({"order_by": order_by} if order_by else {})}
    params |= {"order": order} if order else {}

    body = api.get("/segments", params=params).json()

    assert body["segments"] == expected
    assert body["total"] == len(expected)


def test_paging_uses_the_renamed_parameters_with_their_declared_default_and_maximum(
    rules: SpecRules,
) -> None:
    api = client_for(rules, list(synthetic_items(by_name(rules, "Segment"), 60)))
    everything = api.get("/segments?limit=50").json()
    rest = api.get("/segments?limit=50&start=50").json()

    assert len(api.get("/segments").json()["segments"]) == 20
    assert len(everything["segments"]) == 50
    assert everything["total"] == rest["total"] == 60
    assert len({s["segment_id"] for s in everything["segments"] + rest["segments"]}) == 60
    assert rejected(api, "limit=51") == {"limit": "must be at most 50"}
    assert rejected(api, "count=5") == {"count": "is not a parameter of this operation"}


def test_unknown_query_parameters_are_rejected_as_declared_and_named(
    api: InProcessClient,
) -> None:
    assert rejected(api, "colour=red&colour=blue&limit=0") == {
        "limit": "must be at least 1",
        "colour": "is not a parameter of this operation",
    }


def test_repeated_parameters_are_rejected(api: InProcessClient) -> None:
    assert rejected(api, "title=VIP&title=VIP") == {"title": "must be given at most once"}


def test_the_documented_segments_are_served_by_default(
    rules: SpecRules, fixture_document: dict[str, Any]
) -> None:
    api = InProcessClient(create_app(rules=rules))
    operation = fixture_document["paths"]["/segments"]["get"]
    (example,) = operation["responses"]["200"]["content"]["application/json"]["examples"].values()

    assert api.get("/segments").json() == example["value"]


def test_event_groups_are_still_served_as_before(rules: SpecRules) -> None:
    api = InProcessClient(create_app(rules=rules))

    assert api.get("/event-groups").json() == spec_facts.documented_list()
    assert api.get("/event-groups?colour=red").status_code == 200  # unknown: ignore
    names = [g["name"] for g in api.get("/event-groups?name=CART").json()["data"]["event_groups"]]
    assert names == ["Shopping Cart"]


def test_each_resource_lives_in_its_own_table(rules: SpecRules, tmp_path: Path) -> None:
    db = tmp_path / "two.sqlite"
    store = Store.open(rules.resources, db)
    for resource in rules.resources:
        store.add_all(resource.name, synthetic_items(resource, 5))
    segments = list(synthetic_items(by_name(rules, "Segment"), 5))
    store.close()

    with sqlite3.connect(db) as connection:
        tables = {
            name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        columns = [row[1] for row in connection.execute('PRAGMA table_info("Segment")')]
    connection.close()

    items = {name: count for name, count in tables.items() if name.count(":") == 0}
    assert items == {"EventGroup": 5, "Segment": 5}
    # A searched column has a dictionary of its distinct values with a trigram index of them.
    assert tables["EventGroup:values:name:compared"] == 5
    assert tables["EventGroup:trigram:name:compared"] == 5
    assert tables["Segment:values:title"] == len({s["title"] for s in segments})
    assert [c for c in columns if not c.startswith("rank:")] == [
        "inserted:order", "segment_id", "title", "code", "size", "code:compared"
    ]  # fmt: skip
    # One rank column per order a list can be asked for; an exact reverse shares it, but
    # descending with ties ascending (this fixture's rule) is an order of its own.
    assert sorted(c for c in columns if c.startswith("rank:")) == [
        "rank:code", "rank:segment_id,code", "rank:segment_id,code desc", "rank:size,code",
        "rank:size,code desc", "rank:title,code", "rank:title,code desc",
    ]  # fmt: skip


def test_synthetic_items_have_unique_keys_and_tie_breakers(rules: SpecRules) -> None:
    items = list(synthetic_items(by_name(rules, "Segment"), 500, seed=3))

    assert len({s["segment_id"] for s in items}) == len({s["code"] for s in items}) == 500
    assert all(isinstance(s["segment_id"], int) for s in items)
    assert len({s["title"] for s in items}) < 100


def with_operation(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    detail = changed["paths"]["/segments/{segment_id}"]
    changed["paths"]["/segments/{segment_id}/members"] = copy.deepcopy(detail)
    changed["paths"]["/segments/{segment_id}/members"]["get"]["operationId"] = "listMembers"
    return changed


def test_an_operation_that_is_no_declared_list_or_detail_stops_the_server(
    fixture_document: dict[str, Any],
) -> None:
    with pytest.raises(SpecRulesError, match=r"\['listMembers'\] are neither a list declared"):
        create_app(rules=rules_from_document(with_operation(fixture_document)))


def test_an_item_property_no_column_can_hold_stops_the_server(
    fixture_document: dict[str, Any],
) -> None:
    changed = copy.deepcopy(fixture_document)
    changed["components"]["schemas"]["Segment"]["properties"]["tags"] = {"type": "array"}

    with pytest.raises(SpecRulesError, match=r"Segment\.tags: type 'array' cannot be stored"):
        create_app(rules=rules_from_document(changed))


def test_two_lists_of_one_item_schema_stop_the_server_instead_of_sharing_a_table(
    fixture_document: dict[str, Any],
) -> None:
    changed = copy.deepcopy(fixture_document)
    copied = copy.deepcopy(changed["paths"]["/segments"])
    copied["get"]["operationId"] = "listArchivedSegments"
    changed["paths"]["/archived-segments"] = copied

    with pytest.raises(SpecRulesError, match=r"several lists serve items named \['Segment'\]"):
        create_app(rules=rules_from_document(changed))


def without_query_policy(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    del changed["paths"]["/segments"]["get"]["x-query-policy"]
    return changed


@pytest.mark.parametrize(
    ("change", "message"),
    [(with_operation, "listMembers"), (without_query_policy, "needs x-query-policy")],
)
def test_a_spec_the_server_cannot_serve_is_reported_by_the_command_without_a_traceback(
    fixture_document: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], dict[str, Any]],
    message: str,
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(change(fixture_document)), "utf-8")

    assert main(["--spec", str(spec)]) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert message in err
    assert "Traceback" not in err


def test_a_missing_spec_file_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--spec", str(tmp_path / "absent.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_the_command_serves_the_spec_it_is_given(
    fixture_spec: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: served.append(app))
    monkeypatch.setenv("API_USER", DEFAULT_USER)  # what the in-process client sends
    monkeypatch.setenv("API_PASSWORD", DEFAULT_PASSWORD)

    assert main(["--spec", str(fixture_spec), "--synthetic", "7"]) == 0

    out = capsys.readouterr().out
    assert "7 event groups, 7 segments (synthetic, seed 0) in memory" in out
    body = InProcessClient(served[0]).get("/segments?limit=1").json()
    assert body["total"] == 7
    assert member(body, ("segments",))[0]["segment_id"] == 1


@pytest.mark.parametrize(
    "value", ["s", "ss", "STRASSE", 'a "quoted', "50%_", "ΣΊΣ", "x OR y", "NEAR(a b)", "*"]
)
def test_the_trigram_index_finds_exactly_what_a_scan_finds(rules: SpecRules, value: str) -> None:
    groups = by_name(rules, "EventGroup")
    names = ["Große Straße", 'say "quoted" text', "50%_off", "σίσυφος", "x OR y", "NEAR(a b)*"]
    items = [
        {"event_group_id": f"id{i}", "name": name, "text_id": f"t{i}", "state": 1}
        for i, name in enumerate(names)
    ]
    store = Store.open(rules.resources)
    store.add_all(groups.name, items)
    (contains,) = (f for f in groups.filters if f.match == "contains")
    query = Query((Condition(contains.property_name, "contains", contains, value),))

    found = [item["name"] for item in store.search(groups.name, query).items]

    assert found == [name for name in names if contains.matches(value, name)]

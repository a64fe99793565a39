"""The groups a reference server serves: the documented ones by default, one's own from a JSON
file (validated with the generated model, with clear messages), or synthetic ones; and the
SQLite store that keeps them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from generated.models.customer_interface import EventGroup
from reference_server.data import documented_groups, load_groups, synthetic_groups
from reference_server.errors import DataError, StoreError
from reference_server.spec_rules import load_rules
from reference_server.store import EventGroupStore, Search
from tests import spec_facts


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), "utf-8")
    return path


def test_documented_groups_are_the_spec_list_example_in_its_order() -> None:
    groups = documented_groups(load_rules())

    assert [g.model_dump() for g in groups] == spec_facts.documented_list()["data"]["event_groups"]


def test_a_json_file_of_groups_loads_in_file_order(tmp_path: Path) -> None:
    groups = [
        {"event_group_id": "b", "name": "Bee", "text_id": "bee", "state": 0},
        {"event_group_id": "a", "name": "Ant", "text_id": "ant", "state": -7, "extra": 1},
    ]

    loaded = load_groups(write_json(tmp_path / "groups.json", groups))

    assert [g.event_group_id for g in loaded] == ["b", "a"]
    assert loaded[1].state == -7


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (b"[1,", ["Invalid JSON"]),
        (b"\xff", ["Invalid JSON"]),
        (b'{"event_groups": []}', ["valid array"]),
        (
            b'[{"event_group_id": "a", "name": "A", "text_id": "a"},'
            b' {"event_group_id": 7, "name": "B", "text_id": "b", "state": "1"}]',
            ["group 0, state: Field required", "group 1, event_group_id:", "group 1, state:"],
        ),
    ],
)
def test_a_bad_json_file_is_reported_with_where_and_what(
    tmp_path: Path, content: bytes, messages: list[str]
) -> None:
    path = tmp_path / "groups.json"
    path.write_bytes(content)

    with pytest.raises(DataError) as raised:
        load_groups(path)

    for message in messages:
        assert message in str(raised.value)
    assert str(path) in str(raised.value)
    assert "expected a JSON list of EventGroup objects" in str(raised.value)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_groups(tmp_path / "absent.json")


def test_a_file_with_many_bad_groups_reports_the_first_ten(tmp_path: Path) -> None:
    path = write_json(tmp_path / "groups.json", [{}] * 30)

    with pytest.raises(DataError, match=r"\.\.\. and 110 more") as raised:
        load_groups(path)

    assert str(raised.value).count("Field required") == 10


def test_a_duplicate_id_is_refused_and_nothing_is_stored() -> None:
    store = EventGroupStore.open()
    groups = [
        EventGroup(event_group_id="a", name="A", text_id="a", state=1),
        EventGroup(event_group_id="b", name="B", text_id="b", state=1),
        EventGroup(event_group_id="a", name="C", text_id="c", state=1),
    ]

    with pytest.raises(StoreError, match="group 2: event_group_id 'a' is already taken"):
        store.add_all(groups)

    assert store.count() == 0


def test_a_state_beyond_sqlite_integers_is_refused_clearly() -> None:
    group = EventGroup(event_group_id="a", name="A", text_id="a", state=2**63)

    with pytest.raises(StoreError, match="group 0: cannot be stored"):
        EventGroupStore.open().add_all([group])


def test_synthetic_groups_are_the_same_for_a_seed_and_differ_between_seeds() -> None:
    first = list(synthetic_groups(200, seed=1))

    assert first == list(synthetic_groups(200, seed=1))
    assert first != list(synthetic_groups(200, seed=2))
    assert list(synthetic_groups(50, seed=1)) == first[:50]


def test_synthetic_groups_have_unique_ids_and_text_ids_and_repeated_names() -> None:
    groups = list(synthetic_groups(1000))

    assert len({g.event_group_id for g in groups}) == 1000
    assert len({g.text_id for g in groups}) == 1000
    assert len({g.name for g in groups}) < 100
    assert {len(g.event_group_id) for g in groups} == {26}


def test_synthetic_groups_are_served_with_the_list_semantics() -> None:
    store = EventGroupStore.open()
    store.add_all(synthetic_groups(500))

    page = store.search(Search(contains_casefolded={"name": "STRASSE"}, order_by="name"))

    assert page.total == len(page.groups) > 0
    assert all("strasse" in g.name.casefold() for g in page.groups)


def test_a_negative_number_of_synthetic_groups_is_refused() -> None:
    with pytest.raises(DataError, match="negative"):
        list(synthetic_groups(-1))


def test_a_database_file_keeps_its_groups_and_their_order_between_runs(tmp_path: Path) -> None:
    path = tmp_path / "groups.sqlite"
    store = EventGroupStore.open(path)
    store.add_all(synthetic_groups(20))
    before = store.search(Search()).groups
    store.close()

    reopened = EventGroupStore.open(path)

    assert reopened.search(Search()).groups == before


def test_a_database_with_another_table_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE event_groups (id TEXT)")
    connection.close()

    with pytest.raises(StoreError, match="has the columns \\['id'\\]"):
        EventGroupStore.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100, "utf-8")

    with pytest.raises(StoreError, match="cannot use as an SQLite database"):
        EventGroupStore.open(path)


def test_a_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot"):
        EventGroupStore.open(tmp_path / "absent" / "groups.sqlite")


def test_a_remembered_match_count_is_forgotten_when_groups_are_added() -> None:
    store = EventGroupStore.open()
    store.add_all(synthetic_groups(30, seed=1))
    search = Search(contains_casefolded={"name": "a"}, limit=1)
    before = store.search(search).total
    assert store.search(search).total == before  # the remembered count

    store.add_all([EventGroup(event_group_id="added-1", name="AAA", text_id="added_1", state=1)])

    assert store.search(search).total == before + 1

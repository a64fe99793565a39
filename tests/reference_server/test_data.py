"""The groups a reference server serves: the documented ones by default, one's own from a JSON
file (validated with the item schema, with clear messages), or synthetic ones; and the
SQLite store that keeps them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reference_server.data import Item, documented_items, load_items, synthetic_items
from reference_server.errors import DataError, StoreError
from reference_server.spec_rules import load_rules
from reference_server.store import Condition, Query, Store
from tests.support import spec_facts

RESOURCE = load_rules().resources[0]
NAME = RESOURCE.name

# The declared name filter, whose key() the store compares.
NAME_FILTER = next(f for f in load_rules().resources[0].filters if f.property_name == "name")


def load_groups(path: Path) -> list[Item]:
    return load_items(path, [RESOURCE])[NAME]


def synthetic_groups(count: int, seed: int = 0) -> list[Item]:
    return list(synthetic_items(RESOURCE, count, seed))


def open_store(path: Path | None = None) -> Store:
    return Store.open([RESOURCE], path)


def group(key: str, name: str, text_id: str, state: int = 1) -> Item:
    return {"event_group_id": key, "name": name, "text_id": text_id, "state": state}


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), "utf-8")
    return path


def test_documented_groups_are_the_spec_list_example_in_its_order() -> None:
    groups = documented_items(load_rules(), RESOURCE)

    assert groups == spec_facts.documented_list()["data"]["event_groups"]


def test_a_json_file_of_groups_loads_in_file_order(tmp_path: Path) -> None:
    groups = [
        {"event_group_id": "b", "name": "Bee", "text_id": "bee", "state": 0},
        {"event_group_id": "a", "name": "Ant", "text_id": "ant", "state": -7, "extra": 1},
    ]

    loaded = load_groups(write_json(tmp_path / "groups.json", groups))

    assert [g["event_group_id"] for g in loaded] == ["b", "a"]
    assert loaded[1]["state"] == -7


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (b"[1,", ["Invalid JSON"]),
        (b"\xff", ["Invalid JSON"]),
        (b'{"event_groups": []}', ["names no resource: ['event_groups']"]),
        (b'"groups"', ["wrong shape"]),
        (
            b'[{"event_group_id": "a", "name": "A", "text_id": "a"},'
            b' {"event_group_id": 7, "name": "B", "text_id": "b", "state": "1"}]',
            [
                "group 0: 'state' is a required property",
                "group 1, event_group_id: must be a string",
                "group 1, state: must be an integer",
            ],
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

    assert str(raised.value).count("is a required property") == 10


def test_a_duplicate_id_is_refused_and_nothing_is_stored() -> None:
    store = open_store()
    groups = [group("a", "A", "a"), group("b", "B", "b"), group("a", "C", "c")]

    with pytest.raises(StoreError, match="group 2: event_group_id 'a' is already taken"):
        store.add_all(NAME, groups)

    assert store.total(NAME) == 0


def test_a_state_beyond_sqlite_integers_is_refused_clearly() -> None:
    with pytest.raises(StoreError, match="group 0: cannot be stored"):
        open_store().add_all(NAME, [group("a", "A", "a", state=2**63)])


def test_synthetic_groups_are_the_same_for_a_seed_and_differ_between_seeds() -> None:
    first = synthetic_groups(200, seed=1)

    assert first == synthetic_groups(200, seed=1)
    assert first != synthetic_groups(200, seed=2)
    assert synthetic_groups(50, seed=1) == first[:50]


def test_synthetic_groups_have_unique_ids_and_text_ids_and_repeated_names() -> None:
    groups = synthetic_groups(1000)

    assert len({g["event_group_id"] for g in groups}) == 1000
    assert len({g["text_id"] for g in groups}) == 1000
    assert len({g["name"] for g in groups}) < 100
    assert {len(g["event_group_id"]) for g in groups} == {26}


def test_synthetic_groups_are_served_with_the_list_semantics() -> None:
    store = open_store()
    store.add_all(NAME, synthetic_groups(500))

    page = store.search(NAME, Query((Condition("name", "contains", NAME_FILTER, "STRASSE"),)))

    assert page.total == len(page.items) > 0
    assert all("strasse" in g["name"].casefold() for g in page.items)


def test_a_negative_number_of_synthetic_groups_is_refused() -> None:
    with pytest.raises(DataError, match="negative"):
        synthetic_groups(-1)


def test_a_database_file_keeps_its_groups_and_their_order_between_runs(tmp_path: Path) -> None:
    path = tmp_path / "groups.sqlite"
    store = open_store(path)
    store.add_all(NAME, synthetic_groups(20))
    before = store.search(NAME, Query()).items
    store.close()

    reopened = open_store(path)

    assert reopened.search(NAME, Query()).items == before


def test_a_database_with_another_table_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute(f'CREATE TABLE "{NAME}" (id TEXT)')
    connection.close()

    with pytest.raises(StoreError, match="has the columns \\['id'\\]"):
        open_store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100, "utf-8")

    with pytest.raises(StoreError, match="cannot use as an SQLite database"):
        open_store(path)


def test_a_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot"):
        open_store(tmp_path / "absent" / "groups.sqlite")


def test_a_remembered_match_count_is_forgotten_when_groups_are_added() -> None:
    store = open_store()
    store.add_all(NAME, synthetic_groups(30, seed=1))
    search = Query((Condition("name", "contains", NAME_FILTER, "a"),), limit=1)
    before = store.search(NAME, search).total
    assert store.search(NAME, search).total == before  # the remembered count

    store.add_all(NAME, [group("added-1", "AAA", "added_1")])

    assert store.search(NAME, search).total == before + 1

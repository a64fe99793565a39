"""The served items in SQLite (the stdlib sqlite3 module), each resource in its own table (see
tables.py). A query says what to match and in which order, in terms of item properties; this
module turns it into SQL and remembers recent match totals, which are most of a filtered
list's cost (a substring match scans every row)."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from reference_server.errors import StoreError
from reference_server.tables import INSERTION, Layout, folded, quote
from scripts.declarations import ListResource

# How many distinct filters keep their match total; items only change through add_all().
COUNT_CACHE_SIZE: Final = 1024
LARGEST: Final = 2**63 - 1  # SQLite integers are 64-bit


@dataclass(frozen=True)
class Condition:
    """One filter: the item property `column` compared with `value` by `match`."""

    column: str
    match: str  # equals | contains | prefix
    casefold: bool
    value: str


@dataclass(frozen=True)
class Query:
    """What a list request asks of one table. `order` holds (property, descending) pairs,
    INSERTION naming insertion order; empty means insertion order."""

    conditions: tuple[Condition, ...] = ()
    order: tuple[tuple[str, bool], ...] = ()
    limit: int = -1
    skip: int = 0


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


# A trigram index finds substrings of three characters or more; shorter ones are scanned.
TRIGRAM: Final = 3
# A page of matches that are more than 1 in DENSE items is found sooner by a scan in order.
DENSE: Final = 50


def condition_sql(
    condition: Condition, layout: Layout, indexed: bool = True
) -> tuple[str, list[Any]]:
    """SQL without wildcards: `%` and `_` in the value are ordinary characters. A substring
    of three characters or more is looked up in the column's trigram index, as a quoted
    phrase (its own quotes doubled), so no character of it is FTS5 syntax."""
    name = folded(condition.column) if condition.casefold else condition.column
    column = quote(name)
    value = condition.value.casefold() if condition.casefold else condition.value
    if condition.match == "equals":
        return f"{column} = ?", [value]
    if condition.match == "prefix":
        return f"substr({column}, 1, ?) = ?", [len(value), value]
    if condition.match == "contains":
        usable = indexed and name in layout.substring and len(value) >= TRIGRAM
        if usable and "\x00" not in value:
            index = quote(layout.trigram_table(name))
            phrase = '"' + value.replace('"', '""') + '"'
            return f"{quote(INSERTION)} IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)", [
                phrase
            ]
        return f"instr({column}, ?) > 0", [value]
    raise ValueError(f"unknown match {condition.match!r}")


class Store:
    """The items a server serves. One connection, shared behind a lock, so the app may be
    created in one thread and serve in another."""

    def __init__(self, connection: sqlite3.Connection, where: str, layouts: Sequence[Layout]):
        self._connection = connection
        self._lock = threading.Lock()
        self._counts: OrderedDict[tuple[str, str, tuple[Any, ...]], int] = OrderedDict()
        self.layouts = {layout.table: layout for layout in layouts}
        self.where = where

    @classmethod
    def open(cls, resources: Sequence[ListResource], path: Path | None = None) -> Store:
        """The store in the SQLite file at `path` (created when missing), or in memory, with
        a table for each resource."""
        layouts = [Layout.of(resource) for resource in resources]
        where = str(path) if path is not None else ":memory:"
        try:
            connection = sqlite3.connect(where, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{where}: cannot open as an SQLite database ({exc})") from exc
        try:
            with connection:
                for layout in layouts:
                    cls._create(connection, where, layout)
        except (sqlite3.Error, StoreError) as exc:
            connection.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{where}: cannot use as an SQLite database ({exc})") from exc
        return cls(connection, where, layouts)

    @staticmethod
    def _create(connection: sqlite3.Connection, where: str, layout: Layout) -> None:
        connection.execute(layout.create_table())
        found = [row[1] for row in connection.execute(f"PRAGMA table_info({quote(layout.table)})")]
        if tuple(found) != layout.all_columns:
            raise StoreError(
                f"{where}: its {layout.table} table has the columns {found}, "
                f"not {list(layout.all_columns)}; use another file"
            )
        for statement in layout.create_indexes() + layout.create_trigram_tables():
            connection.execute(statement)
        rows = connection.execute(f"SELECT COUNT(*) FROM {quote(layout.table)}").fetchone()[0]
        for column in layout.substring:
            index = quote(layout.trigram_table(column))
            if connection.execute(f"SELECT COUNT(*) FROM {index}").fetchone()[0] != rows:
                for statement in layout.refill_trigram_tables():
                    connection.execute(statement)
                break

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def layout(self, resource: str) -> Layout:
        try:
            return self.layouts[resource]
        except KeyError:
            raise StoreError(f"the store has no table for {resource!r}") from None

    def total(self, resource: str) -> int:
        """How many items `resource` holds."""
        table = quote(self.layout(resource).table)
        with self._lock:
            (total,) = self._connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        return int(total)

    def add_all(self, resource: str, items: Iterable[Mapping[str, Any]]) -> int:
        """Store `items` in their order (their insertion order), all or none."""
        layout = self.layout(resource)
        insert = (
            f"INSERT INTO {quote(layout.table)} ({', '.join(map(quote, layout.stored))}) "
            f"VALUES ({', '.join('?' for _ in layout.stored)})"
        )
        added = 0
        with self._lock, self._connection:
            self._counts.clear()
            for index, item in enumerate(items):
                try:
                    self._connection.execute(insert, layout.row(item))
                except sqlite3.IntegrityError as exc:
                    raise StoreError(f"{layout.noun} {index}: {self._clash(layout, item)}") from exc
                except (OverflowError, UnicodeEncodeError, sqlite3.Error) as exc:
                    raise StoreError(f"{layout.noun} {index}: cannot be stored ({exc})") from exc
                added += 1
            for statement in layout.refill_trigram_tables():
                self._connection.execute(statement)
        return added

    def _clash(self, layout: Layout, item: Mapping[str, Any]) -> str:
        for name in layout.unique:
            taken = self._connection.execute(
                f"SELECT 1 FROM {quote(layout.table)} WHERE {quote(name)} = ?", (item.get(name),)
            ).fetchone()
            if taken:
                return f"{name} {item.get(name)!r} is already taken"
        return "a required property is missing"

    def get(self, resource: str, key: Any) -> dict[str, Any] | None:
        layout = self.layout(resource)
        with self._lock:
            row = self._connection.execute(
                f"SELECT {layout.select} FROM {quote(layout.table)} WHERE {quote(layout.key)} = ?",
                (key,),
            ).fetchone()
        return None if row is None else layout.item(row)

    def search(self, resource: str, query: Query) -> Page:
        """One page of the matching items, in the requested order, and how many match. The
        count uses the trigram index; so does the page when matches are few, while a page of
        many matches is found sooner by scanning in order until it is full."""
        layout = self.layout(resource)
        table = quote(layout.table)
        where, parameters = self._where(layout, query, indexed=True)
        order = list(query.order)
        if not any(name == INSERTION or name in layout.unique for name, _ in order):
            order.append((INSERTION, False))  # a total order, so pages partition the list
        order_sql = ", ".join(f"{quote(name)} {'DESC' if desc else 'ASC'}" for name, desc in order)
        limit, skip = min(query.limit, LARGEST), min(query.skip, LARGEST)
        with self._lock:
            total = self._count(table, where, parameters)
            if total * DENSE > self._count(table, "", []):
                where, parameters = self._where(layout, query, indexed=False)
            rows = self._connection.execute(
                f"SELECT {layout.select} FROM {table}{where} ORDER BY {order_sql} LIMIT ? OFFSET ?",
                [*parameters, limit, skip],
            ).fetchall()
        return Page([layout.item(row) for row in rows], total)

    @staticmethod
    def _where(layout: Layout, query: Query, indexed: bool) -> tuple[str, list[Any]]:
        conditions: list[str] = []
        parameters: list[Any] = []
        for condition in query.conditions:
            sql, values = condition_sql(condition, layout, indexed)
            conditions.append(sql)
            parameters += values
        return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), parameters

    def forget_counts(self) -> None:
        """Drop the remembered match totals: after another process wrote to the file, or to
        measure what counting costs."""
        with self._lock:
            self._counts.clear()

    def _count(self, table: str, where: str, parameters: list[Any]) -> int:
        """The number of items matching `where`, remembered for the most recent filters."""
        key = (table, where, tuple(parameters))
        if key in self._counts:
            self._counts.move_to_end(key)
            return self._counts[key]
        (total,) = self._connection.execute(
            f"SELECT COUNT(*) FROM {table}{where}", parameters
        ).fetchone()
        self._counts[key] = int(total)
        if len(self._counts) > COUNT_CACHE_SIZE:
            self._counts.popitem(last=False)
        return int(total)

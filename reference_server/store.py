"""The served items in SQLite (the stdlib sqlite3 module), each resource in its own table (see
tables.py). A query says what to match and in which order, in terms of item properties; this
module turns it into SQL that reads indexes, not every row: a page in a declared order is a
range of its rank column, and a substring filter is matched against the column's distinct
values (by trigram index from three characters), which also give the match total. Nothing is
remembered between requests: every answer costs what its first asking costs."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from contract.spec.declarations import Filter, ListResource
from reference_server.errors import StoreError
from reference_server.tables import INSERTION, Layout, Order, folded, order_sql, quote

LARGEST: Final = 2**63 - 1  # SQLite integers are 64-bit


@dataclass(frozen=True)
class Condition:
    """One filter: the item property `column` compared with `value` by `match`."""

    column: str
    match: str  # equals | contains | prefix
    compared: Filter  # the declared filter: its key() is what of a text it compares
    value: str


@dataclass(frozen=True)
class Query:
    """What a list request asks of one table. `order` holds (property, descending) pairs,
    INSERTION naming insertion order; empty means insertion order."""

    conditions: tuple[Condition, ...] = ()
    order: Order = ()
    limit: int = -1
    skip: int = 0


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


# A trigram index finds substrings of three characters or more; shorter ones are scanned for.
TRIGRAM: Final = 3
# Walking past one entry of a rank index and testing it costs about as much as collecting this
# many matches from the index of their value and rank and sorting them (measured over 100,000
# items). The store picks the cheaper of the two ways to find a page of matches.
WALK_COST: Final = 4


def stored(condition: Condition) -> str:
    """The column `condition` compares: the property, or its twin holding what is compared."""
    return condition.column if condition.compared.compares_as_is else folded(condition.column)


def compared_value(condition: Condition) -> str:
    filtered = condition.compared
    return condition.value if filtered.compares_as_is else filtered.key(condition.value)


def dictionary_match(condition: Condition, layout: Layout) -> tuple[str, str, list[Any]]:
    """The dictionary of the column a contains or prefix filter searches, and SQL matching
    its distinct values (`text`, `id`) without wildcards. A substring of three characters or
    more is looked up in the trigram index as a quoted phrase (its own quotes doubled), so no
    character of it is FTS5 syntax."""
    column, value = stored(condition), compared_value(condition)
    values = quote(layout.dictionary(column))
    if condition.match == "prefix":
        return values, "substr(text, 1, ?) = ?", [len(value), value]
    if len(value) >= TRIGRAM and "\x00" not in value:
        index = quote(layout.trigram_table(column))
        phrase = '"' + value.replace('"', '""') + '"'
        return values, f"id IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)", [phrase]
    return values, "instr(text, ?) > 0", [value]


def searches_dictionary(condition: Condition, layout: Layout) -> bool:
    return condition.match in ("contains", "prefix") and stored(condition) in layout.substring


def condition_sql(condition: Condition, layout: Layout) -> tuple[str, list[Any]]:
    """SQL for one filter over the table's rows: `%` and `_` are ordinary characters."""
    column, value = quote(stored(condition)), compared_value(condition)
    if searches_dictionary(condition, layout):
        values, match, parameters = dictionary_match(condition, layout)
        return f"{column} IN (SELECT text FROM {values} WHERE {match})", parameters
    if condition.match == "equals":
        return f"{column} = ?", [value]
    if condition.match == "prefix":
        return f"substr({column}, 1, ?) = ?", [len(value), value]
    if condition.match == "contains":
        return f"instr({column}, ?) > 0", [value]
    raise ValueError(f"unknown match {condition.match!r}")


def count_sql(query: Query, layout: Layout) -> tuple[str, list[Any]]:
    """SQL for the number of rows matching `query`: one searched column's filter sums the
    counts of the matching distinct values; other filters count rows."""
    if len(query.conditions) == 1 and searches_dictionary(query.conditions[0], layout):
        values, match, parameters = dictionary_match(query.conditions[0], layout)
        return f"SELECT COALESCE(SUM(rows), 0) FROM {values} WHERE {match}", parameters
    where, parameters = where_sql(query, layout)
    return f"SELECT COUNT(*) FROM {quote(layout.table)}{where}", parameters


def where_sql(query: Query, layout: Layout) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    parameters: list[Any] = []
    for condition in query.conditions:
        sql, values = condition_sql(condition, layout)
        conditions.append(sql)
        parameters += values
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), parameters


def walks(query: Query, matches: int, rows: int) -> bool:
    """Whether walking the order finds this page sooner than collecting every match: a walk
    passes about (skip + limit) * rows / matches entries."""
    reach = rows if query.limit < 0 else min(query.skip + query.limit, rows)
    return WALK_COST * reach * rows < matches * matches


class Store:
    """The items a server serves. One connection, shared behind a lock, so the app may be
    created in one thread and serve in another."""

    def __init__(self, connection: sqlite3.Connection, where: str, layouts: Sequence[Layout]):
        self._connection = connection
        self._lock = threading.Lock()
        self.layouts = {layout.table: layout for layout in layouts}
        self.where = where
        self._rows = {layout.table: self._count_rows(layout) for layout in layouts}

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
        for statement in layout.create_indexes() + layout.create_dictionaries():
            connection.execute(statement)
        if not Store._agrees(connection, layout):
            for statement in layout.refill():
                connection.execute(statement)

    @staticmethod
    def _agrees(connection: sqlite3.Connection, layout: Layout) -> bool:
        """Whether the dictionaries and rank columns hold what the rows say (a file written by
        another version of this server may lack them)."""
        table = quote(layout.table)
        for rank in layout.ranks:
            if connection.execute(f"SELECT 1 FROM {table} WHERE {quote(rank)} IS NULL").fetchone():
                return False
        for column in layout.substring:
            counted = connection.execute(
                f"SELECT (SELECT COALESCE(SUM(rows), 0) FROM {quote(layout.dictionary(column))}),"
                f" (SELECT COUNT(*) FROM {quote(layout.trigram_table(column))}),"
                f" (SELECT COUNT({quote(column)}) FROM {table}),"
                f" (SELECT COUNT(*) FROM {quote(layout.dictionary(column))})"
            ).fetchone()
            if counted[0] != counted[2] or counted[1] != counted[3]:
                return False
        return True

    def _count_rows(self, layout: Layout) -> int:
        with self._lock:
            (rows,) = self._connection.execute(
                f"SELECT COUNT(*) FROM {quote(layout.table)}"
            ).fetchone()
        return int(rows)

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
        return self._rows[self.layout(resource).table]

    def add_all(self, resource: str, items: Iterable[Mapping[str, Any]]) -> int:
        """Store `items` in their order (their insertion order), all or none."""
        layout = self.layout(resource)
        insert = (
            f"INSERT INTO {quote(layout.table)} ({', '.join(map(quote, layout.stored))}) "
            f"VALUES ({', '.join('?' for _ in layout.stored)})"
        )
        added = 0
        with self._lock, self._connection:
            for index, item in enumerate(items):
                try:
                    self._connection.execute(insert, layout.row(item))
                except sqlite3.IntegrityError as exc:
                    raise StoreError(f"{layout.noun} {index}: {self._clash(layout, item)}") from exc
                except (OverflowError, UnicodeEncodeError, sqlite3.Error) as exc:
                    raise StoreError(f"{layout.noun} {index}: cannot be stored ({exc})") from exc
                added += 1
            for statement in layout.refill():
                self._connection.execute(statement)
        self._rows[layout.table] = self._count_rows(layout)
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
        """One page of the matching items, in the requested order, and how many match."""
        layout = self.layout(resource)
        order = query.order
        if not any(name == INSERTION or name in layout.unique for name, _ in order):
            order = (*order, (INSERTION, False))  # a total order, so pages partition the list
        query = dataclasses.replace(
            query, order=order, limit=min(query.limit, LARGEST), skip=min(query.skip, LARGEST)
        )
        rows = self._rows[layout.table]
        with self._lock:
            if not query.conditions:
                return Page(self._range(layout, query), rows)
            sql, parameters = count_sql(query, layout)
            (total,) = self._connection.execute(sql, parameters).fetchone()
            found = self._connection.execute(
                *self._page_sql(layout, query, walk=walks(query, total, rows))
            ).fetchall()
        return Page(layout.items(found), int(total))

    def _range(self, layout: Layout, query: Query) -> list[dict[str, Any]]:
        """A page of every item: positions skip to skip + limit of the order's rank column, or
        for an order without one, the rows an ORDER BY walks past."""
        table, order = quote(layout.table), query.order
        limit, skip = query.limit, query.skip
        ranked = layout.rank_of(order)
        if ranked is None:
            sql = (
                f"SELECT {layout.select} FROM {table} ORDER BY {order_sql(order)} LIMIT ? OFFSET ?"
            )
            found = self._connection.execute(sql, (limit, skip)).fetchall()
        else:
            rank, backwards = ranked
            if backwards:  # position p from the end is rank rows - 1 - p
                bound, parameter = (
                    f"{quote(rank)} <= ? ORDER BY {quote(rank)} DESC",
                    (self._rows[layout.table] - 1 - skip),
                )
            else:
                bound, parameter = f"{quote(rank)} >= ? ORDER BY {quote(rank)}", skip
            sql = f"SELECT {layout.select} FROM {table} WHERE {bound} LIMIT ?"
            found = self._connection.execute(sql, (parameter, limit)).fetchall()
        return layout.items(found)

    @staticmethod
    def _page_sql(layout: Layout, query: Query, walk: bool) -> tuple[str, list[Any]]:
        """A page of the matches: by walking the order's rank index and testing each entry
        until the page is full, or by collecting every match and sorting them. Collecting
        reads the index of a searched column and the rank, unless an equality filter is
        there to narrow the matches first (SQLite, without statistics, would not choose)."""
        where, parameters = where_sql(query, layout)
        table = quote(layout.table)
        ranked = layout.rank_of(query.order)
        if ranked is None:
            by = order_sql(query.order)
        else:
            rank, backwards = ranked
            by = f"{quote(rank)} {'DESC' if backwards else 'ASC'}"
            searched = [stored(c) for c in query.conditions if searches_dictionary(c, layout)]
            if walk:
                table += f" INDEXED BY {quote(layout.rank_index(rank))}"
            elif searched and all(c.match != "equals" for c in query.conditions):
                table += f" INDEXED BY {quote(layout.pair_index(searched[0], rank))}"
        sql = f"SELECT {layout.select} FROM {table}{where} ORDER BY {by} LIMIT ? OFFSET ?"
        return sql, [*parameters, query.limit, query.skip]

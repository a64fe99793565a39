"""Event groups in SQLite (the stdlib sqlite3 module). The columns are the fields of the
generated EventGroup model; each text field has a case-folded twin so the name filter can
match with Unicode full case folding; an integer primary key records creation order, the
default order of lists. Values only ever travel as SQL parameters."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from generated.models.customer_interface import EventGroup
from reference_server.errors import StoreError

TABLE: Final = "event_groups"
# The id: unique, looked up by the detail operation, and the tie-break of every sort.
KEY: Final = "event_group_id"
# Names a snake_case field of the spec cannot take, so they never collide with one.
CREATED: Final = "created:order"
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
SQL_TYPES: Final[Mapping[Any, str]] = {str: "TEXT", int: "INTEGER"}


def quote(identifier: str) -> str:
    """An SQL identifier built only from the model's field names (checked at import)."""
    return '"' + identifier + '"'


def casefolded(field_name: str) -> str:
    return f"{field_name}:casefold"


def column_types() -> dict[str, str]:
    """The SQLite type of each EventGroup field; fails at import for a field that has none."""
    types = {}
    for name, info in EventGroup.model_fields.items():
        if not IDENTIFIER.fullmatch(name) or info.annotation not in SQL_TYPES:
            raise StoreError(f"EventGroup.{name}: no SQLite column for this field")
        types[name] = SQL_TYPES[info.annotation]
    if KEY not in types:
        raise StoreError(f"EventGroup has no {KEY} field")
    return types


COLUMN_TYPES: Final = column_types()
FIELDS: Final = tuple(COLUMN_TYPES)
TEXT_FIELDS: Final = tuple(name for name, kind in COLUMN_TYPES.items() if kind == "TEXT")

COLUMNS: Final = (CREATED, *FIELDS, *map(casefolded, TEXT_FIELDS))
SELECT: Final = ", ".join(map(quote, FIELDS))


def create_table() -> str:
    columns = [f"{quote(CREATED)} INTEGER PRIMARY KEY"]
    for name, kind in COLUMN_TYPES.items():
        unique = " UNIQUE" if name == KEY else ""
        columns.append(f"{quote(name)} {kind} NOT NULL{unique}")
    columns += [f"{quote(casefolded(name))} TEXT NOT NULL" for name in TEXT_FIELDS]
    return f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(columns)})"


def create_indexes() -> list[str]:
    """One index per sortable column, with the tie-break: a page of a sorted list of many
    groups is a range scan, not a sort of all of them."""
    return [
        f"CREATE INDEX IF NOT EXISTS {quote(f'{TABLE}:by:{name}')} "
        f"ON {TABLE} ({quote(name)}, {quote(KEY)})"
        for name in FIELDS
        if name != KEY
    ]


@dataclass(frozen=True)
class Search:
    """What a list request asks the store for. `order_by` None means creation order."""

    exact: Mapping[str, str] = field(default_factory=dict)
    contains_casefolded: Mapping[str, str] = field(default_factory=dict)
    order_by: str | None = None
    descending: bool = False
    limit: int = -1
    offset: int = 0


@dataclass(frozen=True)
class Page:
    groups: list[EventGroup]
    total: int


# How many distinct filters keep their match count. Counting is most of a filtered list's
# cost (a substring match scans every row); the groups only change through add_all().
COUNT_CACHE_SIZE: Final = 1024


class EventGroupStore:
    """The groups a server serves. One connection, shared behind a lock, so the app may be
    created in one thread and serve in another."""

    def __init__(self, connection: sqlite3.Connection, where: str) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._counts: OrderedDict[tuple[str, tuple[Any, ...]], int] = OrderedDict()
        self.where = where

    @classmethod
    def open(cls, path: Path | None = None) -> EventGroupStore:
        """The store in the SQLite file at `path` (created when missing), or in memory."""
        where = str(path) if path is not None else ":memory:"
        try:
            connection = sqlite3.connect(where, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{where}: cannot open as an SQLite database ({exc})") from exc
        try:
            with connection:
                connection.execute(create_table())
                found = [row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})")]
                if tuple(found) != COLUMNS:
                    raise StoreError(
                        f"{where}: its {TABLE} table has the columns {found}, "
                        f"not {list(COLUMNS)}; use another file"
                    )
                for statement in create_indexes():
                    connection.execute(statement)
        except (sqlite3.Error, StoreError) as exc:
            connection.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{where}: cannot use as an SQLite database ({exc})") from exc
        return cls(connection, where)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def count(self) -> int:
        with self._lock:
            (total,) = self._connection.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()
        return int(total)

    def add_all(self, groups: Iterable[EventGroup]) -> int:
        """Store `groups` in their order (their creation order), all or none."""
        columns = (*FIELDS, *map(casefolded, TEXT_FIELDS))
        insert = (
            f"INSERT INTO {TABLE} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        added = 0
        with self._lock, self._connection:
            self._counts.clear()
            for index, group in enumerate(groups):
                values = group.model_dump()
                row = [values[name] for name in FIELDS]
                row += [str(values[name]).casefold() for name in TEXT_FIELDS]
                try:
                    self._connection.execute(insert, row)
                except sqlite3.IntegrityError as exc:
                    raise StoreError(
                        f"group {index}: {KEY} {values[KEY]!r} is already taken"
                    ) from exc
                except (OverflowError, UnicodeEncodeError, sqlite3.Error) as exc:
                    raise StoreError(f"group {index}: cannot be stored ({exc})") from exc
                added += 1
        return added

    def get(self, key: str) -> EventGroup | None:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {SELECT} FROM {TABLE} WHERE {quote(KEY)} = ?", (key,)
            ).fetchone()
        return (
            None if row is None else EventGroup.model_validate(dict(zip(FIELDS, row, strict=True)))
        )

    def search(self, search: Search) -> Page:
        """One page of the matching groups, in the requested order, and how many match."""
        conditions: list[str] = []
        parameters: list[Any] = []
        for name, value in search.exact.items():
            conditions.append(f"{quote(self._field(name))} = ?")
            parameters.append(value)
        for name, value in search.contains_casefolded.items():
            # instr(), not LIKE: `%` and `_` in the value are ordinary characters.
            conditions.append(f"instr({quote(casefolded(self._text_field(name)))}, ?) > 0")
            parameters.append(value.casefold())
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        if search.order_by is None:
            order = quote(CREATED)
        else:
            direction = "DESC" if search.descending else "ASC"
            order = f"{quote(self._field(search.order_by))} {direction}, {quote(KEY)} {direction}"
        with self._lock:
            total = self._count(where, parameters)
            rows = self._connection.execute(
                f"SELECT {SELECT} FROM {TABLE}{where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*parameters, search.limit, search.offset],
            ).fetchall()
        groups = [EventGroup.model_validate(dict(zip(FIELDS, row, strict=True))) for row in rows]
        return Page(groups, int(total))

    def forget_counts(self) -> None:
        """Drop the remembered match counts: after another process wrote to the file, or to
        measure what counting costs."""
        with self._lock:
            self._counts.clear()

    def _count(self, where: str, parameters: list[Any]) -> int:
        """The number of groups matching `where`, remembered for the most recent filters."""
        key = (where, tuple(parameters))
        if key in self._counts:
            self._counts.move_to_end(key)
            return self._counts[key]
        (total,) = self._connection.execute(
            f"SELECT COUNT(*) FROM {TABLE}{where}", parameters
        ).fetchone()
        self._counts[key] = int(total)
        if len(self._counts) > COUNT_CACHE_SIZE:
            self._counts.popitem(last=False)
        return int(total)

    @staticmethod
    def _field(name: str) -> str:
        if name not in FIELDS:
            raise ValueError(f"EventGroup has no field {name!r}")
        return name

    @staticmethod
    def _text_field(name: str) -> str:
        if name not in TEXT_FIELDS:
            raise ValueError(f"EventGroup has no text field {name!r}")
        return name

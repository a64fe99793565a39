"""The SQLite table of one declared resource, derived from its item schema: a column per item
property, a case-folded twin for each property a filter compares case-insensitively, an
integer primary key that records insertion order, and a rank column for each order a list can
be asked for (its position in that order, so a page at any offset is a range of one index).
Each column a substring filter searches has a dictionary beside it: its distinct values, how
many rows hold each, and a trigram index of them. Identifiers come from the spec, so every one
is quoted; values never appear in SQL text, only as parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from contract.spec.declarations import Filter, ListResource, Sorting
from reference_server.errors import SpecRulesError

# JSON Schema type -> SQLite column type. Booleans are stored as 0/1.
SQL_TYPES: Final[Mapping[str, str]] = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
# Names of the columns that are no item property; a `:` keeps them apart from usual properties,
# and a property that takes one anyway is refused at startup.
INSERTION: Final = "inserted:order"

# (property, descending) pairs, the first deciding; INSERTION names insertion order.
Order = tuple[tuple[str, bool], ...]


def quote(identifier: str) -> str:
    """An SQL identifier, whatever characters the spec gives it."""
    return '"' + identifier.replace('"', '""') + '"'


def noun(name: str) -> str:
    """A resource name in words, for messages: "OrderLine" -> "order line"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_", " ", name).lower()


def folded(column: str) -> str:
    """The twin column holding what a filter compares of `column` (see Filter.key)."""
    return f"{column}:compared"


def declared_order(sorting: Sorting | None, field: str | None, descending: bool) -> Order:
    """The order the x-sorting declaration promises for a field value (None: no field) and a
    direction, as (property, descending) pairs ending in a unique one."""
    if sorting is None:
        return ((INSERTION, False),)
    tie = sorting.tie_breaker
    if field is None:
        base = INSERTION if sorting.default_order == "insertion" else tie
        return ((base, descending and sorting.direction_without_field == "reverses-default"),)
    tie_descending = descending and sorting.descending_order == "exact-reverse"
    return ((sorting.fields[field], descending), (tie, tie_descending))


def reversed_order(order: Order) -> Order:
    return tuple((name, not descending) for name, descending in order)


def canonical(order: Order) -> tuple[Order, bool]:
    """`order` or its exact reverse, whichever starts ascending, and whether it was reversed:
    both are one rank column, read forwards or backwards."""
    if order and order[0][1]:
        return reversed_order(order), True
    return order, False


def order_sql(order: Order) -> str:
    return ", ".join(f"{quote(name)} {'DESC' if desc else 'ASC'}" for name, desc in order)


def rank_column(order: Order) -> str:
    return "rank:" + ",".join(name + (" desc" if desc else "") for name, desc in order)


@dataclass(frozen=True)
class Column:
    name: str
    json_type: str
    required: bool

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.json_type]


@dataclass(frozen=True)
class Layout:
    """Where one resource's items live, and the statements that create that place."""

    table: str
    columns: tuple[Column, ...]
    key: str  # the detail key
    tie_breaker: str | None
    folded: tuple[str, ...]  # properties with a twin column of what a filter compares
    keys: tuple[Filter, ...]  # the filter whose key() fills each twin column
    ranked: tuple[Order, ...] = ()  # the declared orders (canonical), each with a rank column
    substring: tuple[str, ...] = ()  # columns a contains or prefix filter searches
    filtered: tuple[str, ...] = ()  # columns any filter compares
    declared_unique: tuple[str, ...] = ()  # the x-unique properties

    @classmethod
    def of(cls, resource: ListResource) -> Layout:
        """The layout of `resource`; SpecRulesError for a property no column can hold."""
        schema = resource.item_schema
        required = set(schema.get("required") or [])
        columns = []
        for name, property_schema in (schema.get("properties") or {}).items():
            kind = property_schema.get("type") if isinstance(property_schema, dict) else None
            if kind not in SQL_TYPES:
                raise SpecRulesError(
                    f"{resource.name}.{name}: type {kind!r} cannot be stored "
                    f"(supported: {', '.join(SQL_TYPES)})"
                )
            columns.append(Column(name, str(kind), name in required))
        sorting = resource.sorting
        compared = {
            f: f.property_name if f.compares_as_is else folded(f.property_name)
            for f in resource.filters
        }
        keyed = {f.property_name: f for f in reversed(resource.filters) if not f.compares_as_is}
        if any(
            not f.compares_as_is
            and (keyed[f.property_name].case, keyed[f.property_name].normalization)
            != (f.case, f.normalization)
            for f in resource.filters
        ):
            raise SpecRulesError(f"{resource.name}: filters of one property compare it otherwise")
        layout = cls(
            table=resource.name,
            columns=tuple(columns),
            key=resource.detail.key,
            tie_breaker=sorting.tie_breaker if sorting else None,
            folded=tuple(keyed),
            keys=tuple(keyed.values()),
            ranked=tuple(
                dict.fromkeys(
                    canonical(declared_order(sorting, field, descending))[0]
                    for field in [None, *(sorting.fields if sorting else ())]
                    for descending in (False, True)
                )
            ),
            substring=tuple(
                dict.fromkeys(c for f, c in compared.items() if f.match in ("contains", "prefix"))
            ),
            filtered=tuple(dict.fromkeys(compared.values())),
            declared_unique=resource.unique,
        )
        taken = {INSERTION, *map(folded, layout.folded), *layout.ranks} & set(layout.names)
        if taken:
            raise SpecRulesError(f"{resource.name}: properties {sorted(taken)} clash with columns")
        return layout

    @cached_property
    def noun(self) -> str:
        return noun(self.table)

    @cached_property
    def select(self) -> str:
        return ", ".join(map(quote, self.names))

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The item properties, in schema order: what a row read back holds."""
        return tuple(column.name for column in self.columns)

    @property
    def stored(self) -> tuple[str, ...]:
        """The columns an insert fills: the properties, then their folded twins."""
        return (*self.names, *map(folded, self.folded))

    @cached_property
    def ranks(self) -> tuple[str, ...]:
        return tuple(map(rank_column, self.ranked))

    @property
    def all_columns(self) -> tuple[str, ...]:
        return (INSERTION, *self.stored, *self.ranks)

    def rank_of(self, order: Order) -> tuple[str, bool] | None:
        """The rank column that holds `order`, and whether to read it backwards; None for an
        order no declaration gives."""
        found, backwards = canonical(order)
        return (rank_column(found), backwards) if found in self.ranked else None

    @cached_property
    def booleans(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.json_type == "boolean")

    @cached_property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)

    @cached_property
    def unique(self) -> tuple[str, ...]:
        declared = (self.key, self.tie_breaker, *self.declared_unique)
        return tuple(dict.fromkeys(n for n in declared if n is not None))

    def create_table(self) -> str:
        parts = [f"{quote(INSERTION)} INTEGER PRIMARY KEY"]
        for column in self.columns:
            null = " NOT NULL" if column.required else ""
            unique = " UNIQUE" if column.name in self.unique else ""
            parts.append(f"{quote(column.name)} {column.sql_type}{null}{unique}")
        parts += [
            f"{quote(folded(name))} TEXT" + (" NOT NULL" if name not in self.optional else "")
            for name in self.folded
        ]
        parts += [f"{quote(rank)} INTEGER" for rank in self.ranks]
        return f"CREATE TABLE IF NOT EXISTS {quote(self.table)} ({', '.join(parts)})"

    def rank_index(self, rank: str) -> str:
        return f"{self.table}:by:{rank}"

    def pair_index(self, column: str, rank: str) -> str:
        return f"{self.table}:by:{column}:{rank}"

    def create_indexes(self) -> list[str]:
        """Per rank column, an index of it covering the searched columns: a page in a declared
        order is a range of it at any offset, and walking it tests a substring filter without
        reading rows. Per searched column and rank, an index of the two: the matches of a few
        values, in order, without reading rows. Per other filtered column, an index of it."""
        ranks = [(self.rank_index(rank), (rank, *self.substring)) for rank in self.ranks]
        pairs = [
            (self.pair_index(column, rank), (column, rank))
            for column in self.substring
            for rank in self.ranks
        ]
        others = [
            (f"{self.table}:by:{column}", (column,))
            for column in self.filtered
            if column not in self.substring
        ]
        return [
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(self.table)} "
            f"({', '.join(map(quote, columns))})"
            for name, columns in ranks + pairs + others
        ]

    def dictionary(self, column: str) -> str:
        """The table of `column`'s distinct values and how many rows hold each."""
        return f"{self.table}:values:{column}"

    def trigram_table(self, column: str) -> str:
        """The FTS5 table that indexes the dictionary of `column` by trigrams."""
        return f"{self.table}:trigram:{column}"

    def create_dictionaries(self) -> list[str]:
        """A dictionary and its FTS5 trigram index per searched column. The text is stored as
        it is (already case-folded where the filter folds), so the index compares it exactly."""
        statements = []
        for column in self.substring:
            statements += [
                f"CREATE TABLE IF NOT EXISTS {quote(self.dictionary(column))} "
                "(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE, rows INTEGER NOT NULL)",
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {quote(self.trigram_table(column))} "
                "USING fts5(text, tokenize='trigram case_sensitive 1')",
            ]
        return statements

    def refill(self) -> list[str]:
        """Statements that make the dictionaries and the rank columns agree with the rows."""
        table = quote(self.table)
        statements = []
        for column in self.substring:
            values, index = quote(self.dictionary(column)), quote(self.trigram_table(column))
            statements += [
                f"DELETE FROM {values}",
                f"INSERT INTO {values} (text, rows) SELECT {quote(column)}, COUNT(*) FROM {table} "
                f"WHERE {quote(column)} IS NOT NULL GROUP BY {quote(column)}",
                f"DELETE FROM {index}",
                f"INSERT INTO {index} (rowid, text) SELECT id, text FROM {values}",
            ]
        if self.ranks:
            numbers = ", ".join(
                f"ROW_NUMBER() OVER (ORDER BY {order_sql(order)}) - 1 AS {quote(rank)}"
                for order, rank in zip(self.ranked, self.ranks, strict=True)
            )
            key = quote(INSERTION)
            statements.append(
                f"UPDATE {table} SET "
                + ", ".join(f"{quote(rank)} = ranked.{quote(rank)}" for rank in self.ranks)
                + f" FROM (SELECT {key} AS id, {numbers} FROM {table}) AS ranked "
                f"WHERE {table}.{key} = ranked.id"
            )
        return statements

    def row(self, item: Mapping[str, Any]) -> list[Any]:
        """The values an insert of `item` takes, in the order of `stored`."""
        values = [item.get(name) for name in self.names]
        for name, compared in zip(self.folded, self.keys, strict=True):
            value = item.get(name)
            values.append(None if value is None else compared.key(str(value)))
        return values

    def items(self, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """The items rows read back hold; a page's worth in one call, as this is per item."""
        if self.booleans or self.optional:
            return [self.item(row) for row in rows]
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def item(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """The item a row read back holds (absent optional properties stay absent)."""
        item = dict(zip(self.names, row, strict=True))
        for name in self.booleans:
            if item[name] is not None:
                item[name] = bool(item[name])
        for name in self.optional:
            if item[name] is None:
                del item[name]
        return item

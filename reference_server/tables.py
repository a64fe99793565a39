"""The SQLite table of one declared resource, derived from its item schema: a column per item
property, a case-folded twin for each property a filter compares case-insensitively, and an
integer primary key that records insertion order. Identifiers come from the spec, so every one
is quoted; values never appear in SQL text, only as parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from reference_server.errors import SpecRulesError
from scripts.declarations import ListResource

# JSON Schema type -> SQLite column type. Booleans are stored as 0/1.
SQL_TYPES: Final[Mapping[str, str]] = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
# Names of the columns that are no item property; a `:` keeps them apart from usual properties,
# and a property that takes one anyway is refused at startup.
INSERTION: Final = "inserted:order"


def quote(identifier: str) -> str:
    """An SQL identifier, whatever characters the spec gives it."""
    return '"' + identifier.replace('"', '""') + '"'


def noun(name: str) -> str:
    """A resource name in words, for messages: "OrderLine" -> "order line"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_", " ", name).lower()


def folded(column: str) -> str:
    return f"{column}:casefold"


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
    folded: tuple[str, ...]  # properties with a case-folded twin column
    sortable: tuple[str, ...]  # properties a list may be sorted by
    substring: tuple[str, ...] = ()  # columns a `contains` filter searches: trigram-indexed

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
        layout = cls(
            table=resource.name,
            columns=tuple(columns),
            key=resource.detail.key,
            tie_breaker=sorting.tie_breaker if sorting else None,
            folded=tuple(dict.fromkeys(f.property_name for f in resource.filters if f.casefolds)),
            sortable=tuple(dict.fromkeys(sorting.fields.values())) if sorting else (),
            substring=tuple(
                dict.fromkeys(
                    folded(f.property_name) if f.casefolds else f.property_name
                    for f in resource.filters
                    if f.match == "contains"
                )
            ),
        )
        taken = {INSERTION, *map(folded, layout.folded)} & set(layout.names)
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

    @property
    def all_columns(self) -> tuple[str, ...]:
        return (INSERTION, *self.stored)

    @cached_property
    def booleans(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.json_type == "boolean")

    @cached_property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)

    @cached_property
    def unique(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.key, self.tie_breaker) if n is not None))

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
        return f"CREATE TABLE IF NOT EXISTS {quote(self.table)} ({', '.join(parts)})"

    def create_indexes(self) -> list[str]:
        """One index per sortable property, with the tie-breaker: a page of a sorted list of
        many items is a range scan, not a sort of all of them."""
        tail = [] if self.tie_breaker is None else [self.tie_breaker]
        return [
            f"CREATE INDEX IF NOT EXISTS {quote(f'{self.table}:by:{name}')} "
            f"ON {quote(self.table)} ({', '.join(map(quote, dict.fromkeys([name, *tail])))})"
            for name in self.sortable
        ]

    def trigram_table(self, column: str) -> str:
        """The FTS5 table that indexes `column` by trigrams, for substring search."""
        return f"{self.table}:trigram:{column}"

    def create_trigram_tables(self) -> list[str]:
        """One FTS5 trigram index per substring-searched column. The text is stored as it is
        (already case-folded where the filter folds), so the index compares it exactly."""
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {quote(self.trigram_table(column))} "
            "USING fts5(text, tokenize='trigram case_sensitive 1')"
            for column in self.substring
        ]

    def refill_trigram_tables(self) -> list[str]:
        """Statements that make each trigram index hold exactly the table's rows."""
        statements = []
        for column in self.substring:
            index = quote(self.trigram_table(column))
            statements.append(f"DELETE FROM {index}")
            statements.append(
                f"INSERT INTO {index} (rowid, text) SELECT {quote(INSERTION)}, {quote(column)} "
                f"FROM {quote(self.table)} WHERE {quote(column)} IS NOT NULL"
            )
        return statements

    def row(self, item: Mapping[str, Any]) -> list[Any]:
        """The values an insert of `item` takes, in the order of `stored`."""
        values = [item.get(name) for name in self.names]
        for name in self.folded:
            value = item.get(name)
            values.append(None if value is None else str(value).casefold())
        return values

    def item(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """The item a row read back holds (absent optional properties stay absent)."""
        item = dict(zip(self.names, row, strict=True))
        if not self.booleans and not self.optional:
            return item
        for name in self.booleans:
            if item[name] is not None:
                item[name] = bool(item[name])
        for name in self.optional:
            if item[name] is None:
                del item[name]
        return item

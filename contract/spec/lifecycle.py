"""The words of the deprecation lifecycle, as oasdiff and its users write them: `deprecated:
true` with an `x-sunset` date (RFC 3339 full-date, `YYYY-MM-DD`) announces a removal, and
`x-stability-level` says how much an operation promises. `make lint` holds the contract's own
spec to them and `make breaking` judges removals by them (contract/breaking/_lifecycle.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

SUNSET = "x-sunset"
STABILITY = "x-stability-level"
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")


def sunset_of(node: Any) -> dt.date | None:
    """The `x-sunset` date of a node, None where there is none or it is no date."""
    value = node.get(SUNSET) if isinstance(node, dict) else None
    if isinstance(value, dt.datetime):
        return value.date()  # YAML reads an unquoted timestamp as one
    if isinstance(value, dt.date):
        return value  # YAML reads an unquoted date as one
    try:
        return dt.date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def lifecycle_problems(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, rule, message) for each node of a spec that breaks the lifecycle's house rules:
    a deprecation needs an `x-sunset` date (`make breaking` checks, when it is introduced, that
    the date gives the notice the stability level promises), a sunset belongs to something
    deprecated, and a stability level is one of four."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from lifecycle_problems(item, (*path, index))
        return
    if not isinstance(node, dict):
        return
    deprecated = node.get("deprecated") is True
    if deprecated and SUNSET not in node:
        yield (path, "deprecation-sunset", "deprecated without an x-sunset date (YYYY-MM-DD)")
    elif SUNSET in node and sunset_of(node) is None:
        yield ((*path, SUNSET), "deprecation-sunset", f"x-sunset {node[SUNSET]!r} is no date")
    elif SUNSET in node and not deprecated:
        yield ((*path, SUNSET), "deprecation-sunset", "x-sunset on something not deprecated")
    if STABILITY in node and node[STABILITY] not in STABILITY_LEVELS:
        levels = ", ".join(STABILITY_LEVELS)
        yield ((*path, STABILITY), "stability-level", f"x-stability-level is none of {levels}")
    for key, value in node.items():
        if key != "properties" or not isinstance(value, dict):
            yield from lifecycle_problems(value, (*path, key))
        else:  # a property named `deprecated` or `x-sunset` is a schema, not a flag
            for name, schema in value.items():
                yield from lifecycle_problems(schema, (*path, key, name))

"""How a query or path string is read as its parameter's schema type: one reading for the
reference server, which answers it, and the conformance checks, which judge the answer. The
schema's own keywords (bounds, enum, pattern) then apply to the value read."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any, Final

DECIMAL_INTEGER: Final = re.compile(r"-?[0-9]+")


class UnreadableValueError(ValueError):
    """The string cannot stand for a value of the schema's type."""

    def __init__(self, raw: str, kind: str) -> None:
        super().__init__(f"{raw[:20]!r} is no {kind}")
        self.kind = kind


class TooManyDigitsError(ValueError):
    """An integer of more digits than CPython reads (leading zeros aside): beyond any bound a
    schema can state, so out of range rather than unreadable."""

    def __init__(self, negative: bool) -> None:
        limit = sys.get_int_max_str_digits()
        super().__init__(f"an integer of more than {limit} digits")
        self.negative = negative


def read_parameter(schema: Mapping[str, Any], raw: str) -> Any:
    """The value `raw` stands for under the schema's type: decimal digits for an integer,
    `true`/`false` for a boolean, the text itself for a string."""
    kind = schema.get("type")
    if kind == "integer":
        if not DECIMAL_INTEGER.fullmatch(raw):
            raise UnreadableValueError(raw, "integer")
        negative = raw.startswith("-")
        digits = raw.removeprefix("-").lstrip("0") or "0"
        limit = sys.get_int_max_str_digits()
        if limit and len(digits) > limit:
            raise TooManyDigitsError(negative)
        return -int(digits) if negative else int(digits)
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            raise UnreadableValueError(raw, "number") from None
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise UnreadableValueError(raw, "boolean")
        return raw == "true"
    return raw

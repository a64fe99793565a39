"""Where the served groups come from: the spec's documented list example (the default, so an
unfiltered list reproduces the documented response), a JSON file of one's own, or N
synthetic groups for load tests (deterministic for a given seed)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from pydantic import TypeAdapter, ValidationError

from generated.models.customer_interface import EventGroup, EventGroupListResponse
from reference_server.errors import DataError
from reference_server.spec_rules import SpecRules

DOCUMENTED_LIST_EXAMPLE: Final = "event-group-list"
MAX_REPORTED_PROBLEMS: Final = 10
GROUP_LIST: Final = TypeAdapter(list[EventGroup])

# Words of synthetic names: mixed case, non-ASCII letters whose case folding differs from
# lower-casing, and `%`/`_`, so that filters meet what they must handle.
ADJECTIVES: Final = ("Shopping", "Daily", "ÜBER", "Straße", "Loyalty", "Open", "50%", "Cafe_Club")
NOUNS: Final = ("Cart", "Tasks", "Points", "Shipments", "Orders", "Événements", "ΣΊΣΥΦΟΣ", "Visits")


def documented_groups(rules: SpecRules) -> list[EventGroup]:
    """The groups of the spec's documented list response, in their documented order."""
    value = rules.example(DOCUMENTED_LIST_EXAMPLE)
    try:
        return EventGroupListResponse.model_validate(value).data.event_groups
    except ValidationError as exc:
        raise DataError(f"example {DOCUMENTED_LIST_EXAMPLE!r} is no list response: {exc}") from exc


def load_groups(path: Path) -> list[EventGroup]:
    """The groups of a JSON file holding a list of EventGroup objects, in file order."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return GROUP_LIST.validate_json(raw)
    except ValidationError as exc:
        problems = [
            f"{path}: " + (f"group {where(error['loc'])}: " if error["loc"] else "") + error["msg"]
            for error in exc.errors(include_url=False)
        ]
        more = len(problems) - MAX_REPORTED_PROBLEMS
        lines = problems[:MAX_REPORTED_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
        fields = ", ".join(EventGroup.model_fields)
        expected = f"expected a JSON list of EventGroup objects ({fields})"
        raise DataError("\n".join([*lines, expected])) from exc


def where(loc: tuple[int | str, ...]) -> str:
    index, *rest = loc
    return f"{index}" + "".join(f", {part}" for part in rest)


def synthetic_groups(count: int, seed: int = 0) -> Iterator[EventGroup]:
    """`count` groups drawn from a generator seeded with `seed`: the same groups in the same
    order on every run. Names repeat, so sorting by name needs the tie-break; ids look like
    the documented ones (26 hex digits) and are unique; text ids are unique."""
    if count < 0:
        raise DataError(f"the number of synthetic groups must not be negative, not {count}")
    generator = random.Random(seed)
    seen: set[str] = set()
    for index in range(count):
        key = f"{generator.getrandbits(104):026x}"
        while key in seen:
            key = f"{generator.getrandbits(104):026x}"
        seen.add(key)
        name = f"{generator.choice(ADJECTIVES)} {generator.choice(NOUNS)}"
        slug = re.sub(r"\W+", "_", name.casefold()).strip("_")
        yield EventGroup(
            event_group_id=key,
            name=name,
            text_id=f"{slug}_{index}",
            state=generator.randrange(3),
        )

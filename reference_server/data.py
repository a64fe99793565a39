"""Where the served items come from: the documented examples of each list operation (the
default, so an unfiltered list reproduces the documented response), a JSON file of one's own,
or N synthetic items per resource for load tests (deterministic for a given seed). Every item
is checked against the resource's item schema, with bounded messages saying where and what."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from contract.spec.declarations import ListResource, documented_results, member
from reference_server.errors import DataError
from reference_server.parameters import describe
from reference_server.spec_rules import SpecRules
from reference_server.tables import noun

Item = dict[str, Any]
MAX_REPORTED_PROBLEMS: Final = 10
MAX_MESSAGE: Final = 200
# Synthetic items checked against the item schema: their values come from the same few words
# and ranges, so the first ones meet every shape; checking all would slow a large start.
CHECKED_SYNTHETIC: Final = 1000

# Words of synthetic text: mixed case, non-ASCII letters whose case folding differs from
# lower-casing, and `%`/`_`, so that filters meet what they must handle.
ADJECTIVES: Final = ("Shopping", "Daily", "ÜBER", "Straße", "Loyalty", "Open", "50%", "Cafe_Club")
NOUNS: Final = ("Cart", "Tasks", "Points", "Shipments", "Orders", "Événements", "ΣΊΣΥΦΟΣ", "Visits")


def problem(error: ValidationError) -> str:
    """Why a value breaks its schema, never echoing the value (it may be huge)."""
    if error.validator == "required":
        return error.message
    reason = describe(str(error.validator), error.validator_value) or error.message
    return reason if len(reason) <= MAX_MESSAGE else reason[:MAX_MESSAGE] + "..."


def where(path: Sequence[Any]) -> str:
    index, *rest = path
    return f"{index}" + "".join(f", {part}" for part in rest)


def expected(resource: ListResource) -> str:
    fields = ", ".join(resource.item_schema.get("properties") or {})
    return f"expected a JSON list of {resource.name} objects ({fields})"


def validated(resource: ListResource, value: Any, origin: str) -> list[Item]:
    """`value` if it is a list of valid items of `resource`, else DataError listing (at most
    ten of) its problems."""
    schema = {"type": "array", "items": resource.item_schema}
    errors = list(Draft202012Validator(schema).iter_errors(value))
    if not errors:
        return list(value)
    name = noun(resource.name)
    problems = [
        f"{origin}: "
        + (f"{name} {where(error.absolute_path)}: " if error.absolute_path else "")
        + problem(error)
        for error in errors
    ]
    more = len(problems) - MAX_REPORTED_PROBLEMS
    lines = problems[:MAX_REPORTED_PROBLEMS] + ([f"... and {more} more"] if more > 0 else [])
    raise DataError("\n".join([*lines, expected(resource)]))


def documented_items(rules: SpecRules, resource: ListResource) -> list[Item]:
    """The items of the list operation's documented 200 examples, in example order (an item
    that several examples show, once)."""
    values = documented_results(rules.document, resource)
    origin = f"the documented examples of {resource.operation_id}"
    items: dict[Any, Any] = {}
    for index, value in enumerate(values):
        try:
            found = member(value, resource.paging.results)
        except (KeyError, TypeError):
            raise DataError(f"{origin}: example {index} has no results member") from None
        for item in found if isinstance(found, list) else [found]:
            items.setdefault(json.dumps(item, sort_keys=True), item)
    return validated(resource, list(items.values()), origin)


def load_items(path: Path, resources: Sequence[ListResource]) -> dict[str, list[Item]]:
    """The items of a JSON file, in file order: a list of items for a spec with one
    resource, or an object {resource name: [items]}."""
    by_name = {resource.name: resource for resource in resources}
    shapes = [expected(resources[0])] if len(resources) == 1 else []
    shapes.append(f"or a JSON object of such lists by resource name ({', '.join(by_name)})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        value = json.loads(raw)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError
        raise DataError("\n".join([f"{path}: Invalid JSON ({exc})", *shapes])) from exc
    if isinstance(value, list) and len(resources) == 1:
        return {resources[0].name: validated(resources[0], value, str(path))}
    if not isinstance(value, dict) or not set(value) <= set(by_name):
        unknown = sorted(set(value) - set(by_name)) if isinstance(value, dict) else []
        found = f"names no resource: {unknown}" if unknown else "wrong shape"
        raise DataError("\n".join([f"{path}: {found}", *shapes]))
    return {name: validated(by_name[name], items, str(path)) for name, items in value.items()}


def synthetic_items(resource: ListResource, number: int, seed: int = 0) -> Iterator[Item]:
    """`number` items of `resource` drawn from a generator seeded with `seed`: the same items
    in the same order on every run. The first free text property repeats (so sorting by it
    needs the tie-breaker); the detail key and the tie-breaker are unique, a string key
    looking like 26 hex digits."""
    if number < 0:
        raise DataError(f"the number of synthetic items must not be negative, not {number}")
    properties: Mapping[str, Any] = resource.item_schema.get("properties") or {}
    key = resource.detail.key
    unique = {key, resource.sorting.tie_breaker if resource.sorting else key, *resource.unique}
    string_key = properties.get(key, {}).get("type") == "string"
    generator = random.Random(seed)
    seen: set[str] = set()
    check = Draft202012Validator(resource.item_schema)
    others = {name: schema for name, schema in properties.items() if name != key}
    for index in range(number):
        key_value: Any = index + 1
        if string_key:
            key_value = f"{generator.getrandbits(104):026x}"
            while key_value in seen:
                key_value = f"{generator.getrandbits(104):026x}"
            seen.add(key_value)
        words = f"{generator.choice(ADJECTIVES)} {generator.choice(NOUNS)}"
        slug = re.sub(r"\W+", "_", words.casefold()).strip("_")
        item = dict(values(others, unique, generator, index, words, slug))
        item[key] = key_value
        item = {name: item[name] for name in properties if name in item}
        if index < CHECKED_SYNTHETIC and not check.is_valid(item):
            validated(resource, [item], f"synthetic {noun(resource.name)} {index}")
        yield item


def values(
    properties: Mapping[str, Any],
    unique: set[str],
    generator: random.Random,
    index: int,
    words: str,
    slug: str,
) -> Iterable[tuple[str, Any]]:
    text_given = False
    for name, schema in properties.items():
        kind = schema.get("type")
        if "enum" in schema:
            yield name, generator.choice(schema["enum"])
        elif kind == "string" and name not in unique and not text_given:
            text_given = True
            yield name, words
        elif kind == "string":
            yield name, f"{slug}_{index}"
        elif kind == "integer":
            low = schema.get("minimum", 0)
            yield name, low + (index if name in unique else generator.randrange(3))
        elif kind == "boolean":
            yield name, generator.random() < 0.5

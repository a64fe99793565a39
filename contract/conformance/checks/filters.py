"""Filters: each filter alone and all of them together list exactly the items the declared
rules match, with a total that counts them. The values come from the data (a whole value, a
part of it, in another case, with `%` and `_`), from the edit grammar (values almost equal to
stored ones, a character added, removed or replaced by a separator, whitespace, a control
character, a confusable letter, a combining mark, an escape; the whole in another case or
normalisation), and from the item's other text properties, which a filter must not search.
The model says what each value matches, so a near miss that the declared rule does match is a
probe too: a server stricter than the rule shows there."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from contract.conformance._contract import Subject, parameter_ids
from contract.conformance._edits import Variant, sample
from contract.conformance._findings import Evidence, NotCheckedError
from contract.conformance._listing import fits, spread, walk_all
from contract.conformance._registry import Context, check
from contract.conformance.checks._shared import judge_whole
from contract.spec.declarations import FILTERING, Filter, Item, ListResource

NO_MATCH = "no such value \u2603 %_"
FILTER_SAMPLES = 4  # items whose values make the filter values
EDIT_SOURCES = 3  # stored values the near misses are made from, per filter
PAIRS = 4  # near misses of two edits, per filter


def speaks_for(subject: Subject) -> set[str]:
    resource = subject.resource
    found = {i for f in resource.filters for i in f.assumptions}
    found |= parameter_ids(subject.list_operation, [f.parameter for f in resource.filters])
    found |= set((subject.list_operation.get(FILTERING) or {}).get("assumptions") or ())
    return found if resource.filters else set()


def inner(text: str) -> str:
    """The middle half of `text` (at least one character)."""
    quarter = len(text) // 4
    return text[quarter : max(quarter + 1, 3 * quarter)]


def filter_values(text: str) -> list[str]:
    """Values a filter must get right, made from one stored value: the whole, a prefix and an
    inner part, each also with its case changed, and `_` or `%` in place of characters, which
    match more if the server treats them as wildcards."""
    parts = [text, text[: len(text) // 2 + 1], inner(text)]
    values = [variant for part in parts for variant in (part, part.swapcase())]
    if len(text) >= 3:
        values += [text[0] + "_" + text[2:], text[0] + "%" + text[-1], "%" + text[1:]]
    return values


def combined_queries(resource: ListResource, samples: Sequence[Item]) -> list[dict[str, str]]:
    """All filters at once: the first from one item and the others from the same or the next
    item, where AND and OR differ; and a part of each value of one item."""
    queries = []
    for a, b in zip(samples, [*samples[1:], *samples[:1]], strict=True):
        for rest in (a, b):
            sources = [a, *[rest] * (len(resource.filters) - 1)]
            queries.append(
                {
                    each.parameter: str(source[each.property_name])
                    for each, source in zip(resource.filters, sources, strict=True)
                }
            )
        queries.append(
            {each.parameter: inner(str(a[each.property_name])) for each in resource.filters}
        )
    return queries


@dataclass(frozen=True)
class FilterQuery:
    query: dict[str, str]
    note: str = ""  # what the value is, for the message


def edit_sources(each: Filter, everything: Sequence[Item]) -> list[str]:
    """Stored values to make near misses of: some from all over the collection, one with a
    character beyond ASCII and one with whitespace inside, where the data has them."""
    texts = [str(item[each.property_name]) for item in everything]
    chosen = [str(item[each.property_name]) for item in spread(everything, EDIT_SOURCES)]
    chosen += [t for t in texts if not t.isascii()][:1]
    chosen += [t for t in texts if " " in t.strip()][:1]
    return list(dict.fromkeys(chosen))


def near_misses(
    context: Context, each: Filter, everything: Sequence[Item], seed: int
) -> Iterator[FilterQuery]:
    """Values the edit grammar makes of stored ones, and the values of the item's other text
    properties (which the filter must not search)."""
    resource = context.subject.resource
    rng = random.Random(f"{seed} {resource.name} {each.parameter}")
    sources = edit_sources(each, everything)
    variants: list[Variant] = sample(sources, rng, per_cell=1, pairs=PAIRS)
    context.note_near_misses(each.parameter, sources, variants)
    for variant in variants:
        note = f" {variant.note()}"
        yield FilterQuery({each.parameter: variant.value}, note)
    others = [
        name
        for name, schema in (resource.item_schema.get("properties") or {}).items()
        if name != each.property_name and schema.get("type") == "string"
    ]
    for name in others:
        for item in spread(everything, 2):
            source = item[each.property_name]
            note = f" (the {name} of an item whose {each.property_name} is {source!r})"
            yield FilterQuery({each.parameter: str(item.get(name, ""))}, note)


def probes(context: Context, everything: Sequence[Item], seed: int) -> list[FilterQuery]:
    """Each filter alone, then all together, then the near misses; only values the
    parameter's schema allows, each query once."""
    resource = context.subject.resource
    samples = spread(everything, FILTER_SAMPLES)
    found: list[FilterQuery] = []
    for each in resource.filters:
        values = [NO_MATCH]
        values += [v for item in samples for v in filter_values(str(item[each.property_name]))]
        found += [FilterQuery({each.parameter: value}) for value in values]
    if len(resource.filters) > 1:
        found += [FilterQuery(query) for query in combined_queries(resource, samples)]
    for each in resource.filters:
        found += near_misses(context, each, everything, seed)
    unique = {tuple(sorted(p.query.items())): p for p in reversed(found)}
    return [
        p
        for p in reversed(unique.values())
        if all(fits(resource.parameters[name], value) for name, value in p.query.items())
    ]


@check("filters", speaks_for)
def check_filters(context: Context) -> Iterator[Evidence]:
    resource = context.subject.resource
    everything = context.everything()
    if not everything or not resource.filters:
        raise NotCheckedError(
            "no items to draw filter values from" if resource.filters else "no filters"
        )
    sent = probes(context, everything, context.seed)
    queries = [list(p.query.items()) for p in sent]
    size = context.page_size
    walked = walk_all(context.probe, resource, queries, size, go_on=True)
    for probe, params, got in zip(sent, queries, walked, strict=True):
        yield from judge_whole(context, everything, params, got, size, probe.note)

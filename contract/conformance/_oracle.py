"""The model-based oracle: the whole collection is read once in the declared default order,
and for generated list queries (filters alone and combined, sort fields, directions, page
sizes and offsets) the expected page and total are computed from the declarations and
compared with the server's answer. Queries are Hypothesis strategies built from the
declarations and the data, so a failing query is shrunk to a minimal one before it is
reported, once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from contract.spec.declarations import Item, ListResource

Query = dict[str, str]
Answer = tuple[list[Any], int]  # the keys of a page's items, and its total
Ask = Callable[[Query], Answer]

SETTINGS = settings(
    max_examples=60,
    database=None,
    derandomize=True,
    deadline=None,
    phases=(Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)


def values_from(text: str) -> list[str]:
    """Filter values drawn from one stored value: the whole, its start, its middle, each with
    its case changed under full case folding, and with `%`, `_` or a quote inside."""
    half, quarter = len(text) // 2, len(text) // 4
    parts = [text, text[: half + 1], text[quarter : max(quarter + 1, 3 * quarter)]]
    variants = [v for p in parts for v in (p, p.swapcase(), p.casefold(), p.upper())]
    if len(text) >= 2:
        variants += [text[0] + "%", "_" + text[1:], text[:half] + "'" + text[half:]]
    return [v for v in dict.fromkeys(variants) if v]


def queries(
    resource: ListResource, everything: Sequence[Item], allowed: Callable[[str, str], bool]
) -> st.SearchStrategy[Query]:
    """List queries: every filter (absent, or a value from the data or a hostile one), a sort
    field or none, either direction or none, page sizes from the smallest to the largest or
    none, and offsets at 0, inside, at the end and far past it."""
    parts: dict[str, st.SearchStrategy[str | None]] = {}
    for each in resource.filters:
        drawn = [v for item in everything for v in values_from(str(item[each.property_name]))]
        drawn += ["%", "_", "\\", "'", '"', "é", "ß", "SS", "ǅ", "İ", "i̇", "ς", "Σ"]
        usable = sorted({v for v in drawn if allowed(each.parameter, v)})
        if usable:
            parts[each.parameter] = st.none() | st.sampled_from(usable)
    if resource.sorting is not None:
        sorting = resource.sorting
        parts[sorting.field] = st.none() | st.sampled_from(sorted(sorting.fields))
        parts[sorting.direction] = st.none() | st.sampled_from(
            [sorting.ascending, sorting.descending]
        )
    step = resource.parameters[resource.paging.step]
    low, high = int(step.get("minimum", 1)), int(step.get("maximum", max(len(everything), 1)))
    parts[resource.paging.step] = st.none() | st.integers(low, high).map(str)
    length = len(everything)
    farthest = resource.parameters[resource.paging.offset].get("maximum", length + 1000)
    offsets = sorted({0, length // 3, length // 2, max(length - 1, 0), length, int(farthest)})
    parts[resource.paging.offset] = st.none() | st.sampled_from(offsets).map(str)
    return st.fixed_dictionaries(parts).map(
        lambda drawn: {name: value for name, value in drawn.items() if value is not None}
    )


def smallest_disagreement(
    resource: ListResource,
    everything: Sequence[Item],
    ask: Ask,
    allowed: Callable[[str, str], bool],
) -> Iterator[tuple[Query, Answer, Answer]]:
    """The minimal query on which the server and the model disagree, with both answers; none
    when they agree on every generated query."""
    answers: dict[str, tuple[Answer, Answer]] = {}

    def disagrees(query: Query) -> bool:
        got, wanted = ask(query), resource.promised(everything, query)
        answers[urlencode(sorted(query.items()))] = (got, wanted)
        return got != wanted

    try:
        query = find(queries(resource, everything, allowed), disagrees, settings=SETTINGS)
    except NoSuchExample:
        return
    got, wanted = answers[urlencode(sorted(query.items()))]
    yield query, got, wanted


def describe(query: Mapping[str, str], got: Answer, wanted: Answer) -> str:
    shown = urlencode(sorted(query.items())) or "(no parameters)"
    if got[1] != wanted[1]:
        return f"{shown}: total {got[1]}, the declarations give {wanted[1]}"
    return (
        f"{shown}: the page holds {len(got[0])} items {got[0][:5]}..., "
        f"the declarations give {len(wanted[0])} {wanted[0][:5]}..."
    )

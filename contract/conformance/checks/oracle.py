"""The model-based oracle: list queries drawn at random (the run's seed) from the
declarations and the data (filters alone and together, sort fields, directions, page sizes
and offsets) are answered by the server and computed from the declarations over the whole
collection. The first that disagrees is shrunk to a smallest one (a parameter left out, or a
value replaced by a simpler one) before it is reported, once. Every query of a round goes
out together: the draw is one round, each step of the shrinking another."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from contract.conformance._attribution import Answer
from contract.conformance._contract import Subject
from contract.conformance._findings import (
    Attribution,
    Evidence,
    NotCheckedError,
    UnexpectedResponseError,
)
from contract.conformance._listing import fits, keys, read_page, walk_all
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance.checks import filters, paging, sorting
from contract.conformance.checks._shared import asking, describe, page_expectation
from contract.spec.declarations import Item, ListResource

QUERIES = 60  # drawn per run
SHRINK_ROUNDS = 24
Query = dict[str, str]
Choices = dict[str, list[str]]  # parameter -> its values, the simplest first


def speaks_for(subject: Subject) -> set[str]:
    return paging.speaks_for(subject) | sorting.speaks_for(subject) | filters.speaks_for(subject)


def values_from(text: str) -> list[str]:
    """Filter values drawn from one stored value: the whole, its start, its middle, each with
    its case changed under full case folding, and with `%`, `_` or a quote inside."""
    half, quarter = len(text) // 2, len(text) // 4
    parts = [text, text[: half + 1], text[quarter : max(quarter + 1, 3 * quarter)]]
    variants = [v for p in parts for v in (p, p.swapcase(), p.casefold(), p.upper())]
    if len(text) >= 2:
        variants += [text[0] + "%", "_" + text[1:], text[:half] + "'" + text[half:]]
    return [v for v in dict.fromkeys(variants) if v]


def choices(resource: ListResource, everything: Sequence[Item]) -> Choices:
    """The values of each parameter a query may take: every filter value from the data or a
    hostile one, each sort field and direction, page sizes from the smallest to the largest,
    offsets at 0, inside, at the end and far past it."""
    found: Choices = {}
    for each in resource.filters:
        drawn = [v for item in everything for v in values_from(str(item[each.property_name]))]
        drawn += ["%", "_", "\\", "'", '"', "é", "ß", "SS", "ǅ", "İ", "i̇", "ς", "Σ"]
        schema = resource.parameters[each.parameter]
        usable = sorted({v for v in drawn if fits(schema, v)}, key=lambda v: (len(v), v))
        if usable:
            found[each.parameter] = usable
    if resource.sorting is not None:
        rule = resource.sorting
        found[rule.field] = sorted(rule.fields)
        found[rule.direction] = [rule.ascending, rule.descending]
    step = resource.parameters[resource.paging.step]
    low, high = int(step.get("minimum", 1)), int(step.get("maximum", max(len(everything), 1)))
    length = len(everything)
    sizes = {low, low + 1, 2, 3, 7, length // 3 + 1, length // 2 + 1, length, high}
    found[resource.paging.step] = [str(n) for n in sorted(sizes) if low <= n <= high]
    farthest = resource.parameters[resource.paging.offset].get("maximum", length + 1000)
    offsets = {0, 1, length // 3, length // 2, max(length - 1, 0), length, int(farthest)}
    found[resource.paging.offset] = [str(n) for n in sorted(offsets)]
    return found


def draw(options: Choices, rng: random.Random) -> Query:
    """A query: each parameter left out (as often as given) or one of its values."""
    return {name: rng.choice(values) for name, values in options.items() if rng.random() < 0.5}


def simpler(query: Mapping[str, str], options: Choices) -> list[Query]:
    """Each query one step simpler: a parameter left out, or its value replaced by one that
    comes before it in its choices (the first, or a quarter, half or all of the way back:
    a few candidates a round, however long the choices)."""
    found = [{k: v for k, v in query.items() if k != name} for name in query]
    for name, value in query.items():
        ranked = options.get(name, [])
        if value in ranked:
            at = ranked.index(value)
            earlier = sorted({0, at // 4, at // 2, at - 1} - {at}) if at else []
            found += [{**query, name: ranked[i]} for i in earlier]
    return found


def ask_all(context: Context, queries: Sequence[Query]) -> list[Answer]:
    """The keys and total of each query's page; an answer that is no page, as its error."""
    resource = context.subject.resource
    params = [list(query.items()) for query in queries]
    responses = context.probe.send([Request(resource.path, tuple(p)) for p in params])
    answers: list[Answer] = []
    for p, response in zip(params, responses, strict=True):
        try:
            page = read_page(resource, response, p)
        except UnexpectedResponseError as exc:
            answers.append(([str(exc)], -1))
        else:
            answers.append((keys(resource, page.items), page.total))
    return answers


def smallest_disagreement(
    context: Context, everything: Sequence[Item], options: Choices
) -> tuple[Query, Answer] | None:
    resource = context.subject.resource
    rng = random.Random(f"{context.seed} {resource.name} oracle")
    drawn = list(
        {tuple(sorted(q.items())): q for q in (draw(options, rng) for _ in range(QUERIES))}.values()
    )
    wrong: tuple[Query, Answer] | None = None
    for query, got in zip(drawn, ask_all(context, drawn), strict=True):
        if got == resource.promised(everything, query):
            context.exercise_query(everything, query)
        elif wrong is None:
            wrong = (query, got)
    for _ in range(SHRINK_ROUNDS):
        if wrong is None:
            break
        candidates = simpler(wrong[0], options)
        if not candidates:
            break
        smaller = [
            (q, got)
            for q, got in zip(candidates, ask_all(context, candidates), strict=True)
            if got != resource.promised(everything, q)
        ]
        if not smaller:
            break
        wrong = smaller[0]
    return wrong


@check("oracle", speaks_for, traffic=False)
def check_oracle(context: Context) -> Iterator[Evidence]:
    resource = context.subject.resource
    everything = context.everything()
    if not everything:
        raise NotCheckedError("no items: every query would answer an empty page")
    found = smallest_disagreement(context, everything, choices(resource, everything))
    if found is None:
        return
    query, got = found
    params = list(query.items())
    wanted: Any = resource.promised(everything, query)
    yield Evidence(
        describe(params, got, wanted),
        context.probe.curl(resource.path, params),
        explained(context, everything, query, got),
        page_expectation(resource, everything, params),
    )


def explained(
    context: Context, everything: Sequence[Item], query: Query, got: Answer
) -> Attribution:
    """The rule a wrong page breaks; when its page alone does not say, the rule the whole
    result of its query breaks (read page after page), if that is wrong too."""
    explainer, resource = context.explainer, context.subject.resource
    found = explainer.explain(everything, query, got, ask=asking(context))
    if found.ids:
        return found
    paging = {resource.paging.offset, resource.paging.step}
    rest = {k: v for k, v in query.items() if k not in paging}
    walked = walk_all(context.probe, resource, [list(rest.items())], context.page_size)[0]
    whole = (keys(resource, walked.items), walked.total)
    if whole == resource.promised(everything, explainer.whole(everything, rest)):
        return found
    better = explainer.explain(everything, rest, whole, True, asking(context, whole=True))
    return better if better.ids else found

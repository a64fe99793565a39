"""The query policy: a parameter the operation does not define is ignored or rejected as
declared, a defined one given twice is rejected, and a defined name in another case (`NAME`
for `name`) is an undefined parameter, never the parameter itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx

from contract.conformance._contract import Subject, body_ids, response_ids
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import answer, detail_path, fits, spread
from contract.conformance._probe import Params, Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance.checks._shared import (
    body_exercised,
    charged,
    error_body,
)
from contract.spec.declarations import Item, ListResource, member

FILTER_SAMPLES = 4


def speaks_for(subject: Subject) -> set[str]:
    listing = subject.list_operation
    detail = subject.resource.detail.policy
    return (
        set(subject.resource.policy.assumptions)
        | set(detail.assumptions if detail else ())
        | response_ids(listing, 400)
        | body_ids(listing, 400)
    )


def valid_value(schema: Mapping[str, Any]) -> str | None:
    """A value the parameter's schema allows, as it goes into a query string."""
    candidates = [schema.get("default"), *(schema.get("enum") or [])[:1], schema.get("minimum")]
    candidates.append("a" * max(1, int(schema.get("minLength", 1))))
    return next((str(c) for c in candidates if c is not None and fits(schema, c)), None)


def comparable(resource: ListResource, stable: bool) -> Callable[[httpx.Response], Any]:
    """What of an answer two answers must share to be the same answer: all of it, or, when
    the same request got two answers in different orders (an order the declarations leave
    open between requests, or one that breaks them: the sorting checks judge that), its
    status and its items in any order."""

    def whole(response: httpx.Response) -> Any:
        return answer(response)

    def unordered(response: httpx.Response) -> Any:
        status, body = answer(response)
        try:
            items = member(body, resource.paging.results)
            keys = sorted(str(item[resource.detail.key]) for item in items)
        except (KeyError, TypeError, IndexError):
            return status, body
        return status, keys, member(body, resource.paging.total)

    return whole if stable else unordered


def other_case_name(name: str) -> str:
    """A parameter name in another case: upper case, or lower case if it has no lower-case
    letter."""
    upper = name.upper()
    return upper if upper != name else name.lower()


@check("query-policy", speaks_for)
def check_query_policy(context: Context) -> Iterator[Evidence]:
    resource = context.subject.resource
    policy = resource.policy
    ids = policy.assumptions
    unknown = "undefined_parameter"
    while unknown in resource.parameters:
        unknown += "_"
    repeated = [
        (name, value)
        for name, schema in resource.parameters.items()
        if (value := valid_value(schema)) is not None
    ]
    queries: list[Params] = [[(unknown, "1")], [], []]
    if policy.repeated == "reject":
        queries += [[(name, value), (name, value)] for name, value in repeated]
    probe = context.probe
    answers = probe.send([Request(resource.path, tuple(q)) for q in queries])
    with_unknown, without = answers[0], answers[1]
    compared = comparable(resource, answer(without) == answer(answers[2]))
    context.exercise(ids)
    params = queries[0]
    shown = probe.curl(resource.path, params)
    if policy.unknown == "reject" and with_unknown.status_code != 400:
        yield Evidence(
            f"{unknown} gave {with_unknown.status_code}, not 400 (declared: reject)",
            shown,
            charged(ids, "the query policy's rule"),
            Expectation(resource.path, tuple(params), statuses=(400,)),
        )
    if policy.unknown == "reject":
        yield from error_body(
            context.subject.list_operation, with_unknown, shown,
            Expectation(resource.path, tuple(params), statuses=(400,)),
        )  # fmt: skip
    if policy.unknown == "ignore" and compared(with_unknown) != compared(without):
        yield Evidence(
            f"{unknown} changed the answer (declared: ignore)",
            shown,
            charged(ids, "the query policy's rule"),
            Expectation(resource.path, tuple(params), same_as=()),
        )
    for params, response in zip(queries[3:], answers[3:], strict=True):
        name = params[0][0]
        expect = Expectation(resource.path, tuple(params), statuses=(400,))
        if response.status_code != 400:
            yield Evidence(
                f"{name} given twice gave {response.status_code}, not 400 (declared: reject)",
                probe.curl(resource.path, params),
                charged(ids, "the query policy's rule"),
                expect,
            )
        else:
            body_exercised(context, context.subject.list_operation, 400)
            yield from error_body(
                context.subject.list_operation, response, probe.curl(resource.path, params), expect
            )
    yield from check_name_near_misses(context)
    yield from check_detail_policy(context)


def check_detail_policy(context: Context) -> Iterator[Evidence]:
    """The detail operation's query policy: a parameter it does not define (it defines
    none) gets the same answer as the request without it (ignore), or 400 (reject)."""
    resource = context.subject.resource
    policy = resource.detail.policy
    everything = context.everything()
    if policy is None or not everything:
        return
    path = detail_path(resource, everything[0][resource.detail.key])
    defined = {str(p.get("name")) for p in context.subject.detail_operation.get("parameters") or []}
    name = "undefined_parameter"
    while name in defined:
        name += "_"
    unknown: Params = [(name, "1")]
    ids = policy.assumptions
    answers = context.send_or_skip(ids, [Request(path, tuple(unknown)), Request(path)])
    if not answers:
        return
    context.exercise(ids)
    given, alone = answers
    shown = context.probe.curl(path, unknown)
    why = Attribution() if given.status_code >= 500 else charged(ids, "the query policy's rule")
    expect = Expectation(path, tuple(unknown), statuses=(400,))
    if policy.unknown == "reject" and given.status_code != 400:
        yield Evidence(
            f"{path}?{name}=1 gave {given.status_code}, not 400 (declared: reject)",
            shown,
            why,
            expect,
        )
    if policy.unknown == "reject":
        yield from error_body(context.subject.detail_operation, given, shown, expect)
    if policy.unknown == "ignore" and answer(given) != answer(alone):
        yield Evidence(
            f"{path}?{name}=1 changed the answer (declared: ignore)",
            shown,
            why,
            Expectation(path, tuple(unknown), same_as=()),
        )


def sample_values(resource: ListResource, everything: Sequence[Item], name: str) -> list[str]:
    """Values of the parameter `name` as a client sends them: its enum, its lowest integers,
    and for a filter, values from the data."""
    schema = resource.parameters[name]
    values: list[Any] = list(schema.get("enum") or [])
    if schema.get("type") == "integer":
        low = int(schema.get("minimum", 0))
        values += [low, low + 1, low + 2]
    compared = [f.property_name for f in resource.filters if f.parameter == name]
    values += [str(item[p]) for p in compared for item in spread(everything, FILTER_SAMPLES)]
    return [str(value) for value in dict.fromkeys(values) if fits(schema, value)]


def telling_value(
    resource: ListResource, everything: Sequence[Item], name: str
) -> tuple[dict[str, str], str] | None:
    """A query and a value of `name` that, added to it, changes the page the declarations
    promise: what a server that took another case of `name` for `name` would show. The
    query is empty, or one other parameter (a sort direction tells only with a sort field)."""
    contexts: list[dict[str, str]] = [{}]
    contexts += [
        {other: value}
        for other in resource.parameters
        if other != name
        for value in sample_values(resource, everything, other)[:3]
    ]
    for context in contexts:
        plain = resource.promised(everything, context)
        for value in sample_values(resource, everything, name):
            if resource.promised(everything, {**context, name: value}) != plain:
                return context, value
    return None


def check_name_near_misses(context: Context) -> Iterator[Evidence]:
    """A defined parameter's name in another case gets what the query policy declares for
    undefined ones: added to a query, the same answer as that query alone (ignore), or 400
    (reject); never the effect of the parameter. A router or framework that matches names in
    any case shows here, once for all the names it takes. The value is one that changes the
    answer the declarations promise, so that taking it for the parameter would show."""
    resource = context.subject.resource
    everything = context.everything()
    sent: list[tuple[str, str, Params, Params]] = []  # (name, other, with it, without it)
    for name in resource.parameters:
        other = other_case_name(name)
        found = telling_value(resource, everything, name)
        if other in resource.parameters or found is None:
            continue
        query, value = found
        sent.append((name, other, [*query.items(), (other, value)], list(query.items())))
    requests = [Request(resource.path, tuple(p)) for s in sent for p in (s[2], s[3], s[3])]
    answers = context.probe.send(requests)
    broken: list[Evidence] = []
    for number, (name, other, with_it, without) in enumerate(sent):
        given, alone, again = answers[3 * number : 3 * number + 3]
        compared = comparable(resource, answer(alone) == answer(again))
        if resource.policy.unknown == "reject":
            if given.status_code == 400:
                continue
            problem = (
                f"gave {given.status_code}, not 400 (declared: unknown parameters are "
                "rejected, and names are case-sensitive)"
            )
            expect = Expectation(resource.path, tuple(with_it), statuses=(400,))
        else:
            if compared(given) == compared(alone):
                continue
            problem = (
                "changed the answer (declared: unknown parameters are ignored, and names are "
                "case-sensitive)"
            )
            expect = Expectation(resource.path, tuple(with_it), same_as=tuple(without))
        value = with_it[-1][1]
        shown = f"{urlencode([(other, value)])} (the parameter {name} in another case)"
        broken.append(
            Evidence(
                f"{shown} {problem}",
                context.probe.curl(resource.path, with_it),
                charged(resource.policy.assumptions, "the query policy's rule"),
                expect,
            )
        )
    if broken:
        first = broken[0]
        also = [evidence.message.split("=", 1)[0] for evidence in broken[1:]]
        message = first.message + (f"; so did {', '.join(also)}" if also else "")
        yield Evidence(message, first.reproduce, first.attribution, first.expectation)

"""Parameter values: each query parameter and the detail key hold at and just past each edge
of their schema, enum values are case-sensitive, and values almost valid (the edit grammar's
near misses of a valid integer or enum value: ` 5`, `+5`, `1_0`, a full-width or Arabic-Indic
digit, `DESC `) are refused
unless the schema allows them; every rejection is a 400 with the declared error body. A value
let in that the schema refuses, or refused that it allows, breaks the parameter's own rule;
one refused with another status than 400 breaks the rule of the 400."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from contract.conformance._contract import Subject, body_ids, parameter_ids, response_ids
from contract.conformance._edits import sample
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import detail_path
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance._rules import parameter_allows
from contract.conformance.checks._shared import body_exercised, charged, error_body, short

Params = tuple[tuple[str, str], ...]


def speaks_for(subject: Subject) -> set[str]:
    found: set[str] = set()
    for operation in (subject.list_operation, subject.detail_operation):
        found |= parameter_ids(operation) | response_ids(operation, 400) | body_ids(operation, 400)
    return found


def edges(schema: Mapping[str, Any]) -> Iterator[tuple[str, bool]]:
    """(value, allowed) at and just past each bound of a parameter's schema, and the case
    variants of its enum values that the enum does not allow."""
    if schema.get("type") == "integer":
        for keyword, step in (("minimum", -1), ("maximum", 1)):
            if isinstance(schema.get(keyword), int):
                yield str(schema[keyword]), True
                yield str(schema[keyword] + step), False
    if schema.get("type") == "string" and "enum" not in schema:
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int):
            yield "a" * max(low, 1), True
            if low >= 1:
                yield "a" * (low - 1), False
        if isinstance(high, int):
            yield "a" * high, True
            yield "a" * (high + 1), False
    allowed = [str(value) for value in schema.get("enum") or []]
    for value in allowed:
        for variant in dict.fromkeys(
            (value.swapcase(), value.lower(), value.upper(), value.title())
        ):
            if variant not in allowed:
                yield variant, False


def judged_status(
    operation: Mapping[str, Any], name: str, status: int, wanted: set[int]
) -> Attribution:
    """Whose rule a wrong status breaks: an invalid value refused with another 4xx breaks the
    400's rule, a key no item has refused so the 404's; a value taken for valid or invalid
    the wrong way (a 404 for an invalid key: it was looked up) breaks the parameter's own
    rule; a 5xx the documented contract."""
    if status >= 500 or status == 401:
        return Attribution()
    if 400 in wanted and status == 404:  # looked up, as if the value were well-formed
        return charged(parameter_ids(operation, [name]), f"the rule of {name}")
    if 400 in wanted and 400 <= status < 500:
        return charged(response_ids(operation, 400), "an invalid parameter gets 400")
    if 404 in wanted and 400 < status < 500:
        return charged(response_ids(operation, 404), "a key no item has gets 404")
    return charged(parameter_ids(operation, [name]), f"the rule of {name}")


def near_misses(
    context: Context, name: str, schema: Mapping[str, Any]
) -> list[tuple[str, bool, str]]:
    """(value, allowed, what it is) for the edits the grammar makes of the valid values of
    an integer or an enum parameter (its default, its bounds; its enum values): allowed when
    the schema takes the edited value too (`10` from `1`), refused otherwise."""
    if schema.get("type") == "integer":
        candidates = [schema.get("default"), schema.get("minimum"), schema.get("maximum")]
        sources = [str(c) for c in dict.fromkeys(candidates) if c is not None]
    else:
        sources = [str(value) for value in schema.get("enum") or []]
    if not sources:
        return []
    rng = random.Random(f"{context.seed} {context.subject.resource.name} {name}")
    variants = sample(sources, rng, per_cell=1, pairs=2)
    context.note_near_misses(name, sources, variants)
    return [(v.value, parameter_allows(schema, v.value), f" {v.note()}") for v in variants]


@check("parameters", speaks_for)
def check_parameters(context: Context) -> Iterator[Evidence]:
    subject, probe = context.subject, context.probe
    resource = subject.resource
    # (operation, parameter, path, query, statuses due, value, what it is): list, then key
    sent: list[tuple[Mapping[str, Any], str, str, Params, set[int], str, str]] = []
    for name, schema in resource.parameters.items():
        values = [(v, allowed, "") for v, allowed in edges(schema)]
        for value, allowed, note in [*values, *near_misses(context, name, schema)]:
            params: Params = ((name, value),)
            wanted = {200 if allowed else 400}
            sent.append((subject.list_operation, name, resource.path, params, wanted, value, note))
    for value, allowed in edges(subject.key_schema):
        if value:  # an empty path segment is another path, not this operation
            path = detail_path(resource, value)
            sent.append(
                (
                    subject.detail_operation,
                    resource.detail.parameter,
                    path,
                    (),
                    {200, 404} if allowed else {400},
                    value,
                    "",
                )
            )
    listed = [s for s in sent if s[0] is subject.list_operation]
    keyed = [s for s in sent if s[0] is not subject.list_operation]
    answers = probe.send([Request(s[2], s[3]) for s in listed])
    detail = subject.detail_operation
    ids = parameter_ids(detail) | response_ids(detail, 400) | body_ids(detail, 400)
    answers += context.send_or_skip(ids, [Request(s[2], s[3]) for s in keyed])
    for probed, response in zip(sent, answers, strict=False):  # fewer: the key went unanswered
        yield from judge(context, *probed, response)


def judge(
    context: Context,
    operation: Mapping[str, Any],
    name: str,
    path: str,
    params: tuple[tuple[str, str], ...],
    wanted: set[int],
    value: str,
    note: str,
    response: httpx.Response,
) -> Iterator[Evidence]:
    context.exercise(parameter_ids(operation, [name]))
    if 400 in wanted:
        context.exercise(response_ids(operation, 400))
    shown = context.probe.curl(path, params)
    expect = Expectation(path, params, statuses=tuple(sorted(wanted)))
    if response.status_code not in wanted:
        said = " or ".join(map(str, sorted(wanted)))
        yield Evidence(
            f"{name}={short(value)}{note} gave {response.status_code}, not {said}",
            shown,
            judged_status(operation, name, response.status_code, wanted),
            expect,
        )
        return
    if response.status_code == 400:
        body_exercised(context, operation, 400)
    yield from error_body(operation, response, shown, expect)

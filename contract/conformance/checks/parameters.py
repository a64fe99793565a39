"""Parameter values: each query parameter and the detail key hold at and just past each edge
of their schema, enum values are case-sensitive, and values almost valid (the edit grammar's
near misses of a valid integer or enum value: ` 5`, `+5`, `1_0`, a full-width or Arabic-Indic
digit, `DESC `) are refused unless the schema allows them; every rejection is a 400 with the
declared error body. What x-query-values declares is probed too: an empty value (given, so
its schema judges it) and integers the syntax allows written otherwise (`001`, `-0`); and, as
x-error-reporting declares, a request with several invalid values lists each of them.

A value let in that the schema refuses, or refused that it allows, breaks the parameter's own
rule, or the rule of how values are read where that rule decides (an integer written
otherwise, an empty value); one refused with another status than 400 breaks the rule of the
400."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import httpx

from contract.conformance._contract import Subject, body_ids, parameter_ids, response_ids
from contract.conformance._edits import sample
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import answer, detail_path
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance._rules import parameter_allows
from contract.conformance.checks._shared import body_exercised, charged, error_body, short
from contract.spec.declarations import QueryValues
from contract.spec.parameter_values import (
    TooManyDigitsError,
    UnreadableValueError,
    read_parameter,
)

Params = tuple[tuple[str, str], ...]


def speaks_for(subject: Subject) -> set[str]:
    found: set[str] = set()
    for operation in (subject.list_operation, subject.detail_operation):
        found |= parameter_ids(operation) | response_ids(operation, 400) | body_ids(operation, 400)
    resource = subject.resource
    if resource.values is not None:  # the list's: its query values are probed
        found |= set(resource.values.assumptions)
    if resource.reporting is not None:
        found |= set(resource.reporting.assumptions)
    return found


def syntax_edges(
    schema: Mapping[str, Any], values: QueryValues | None
) -> Iterator[tuple[str, bool]]:
    """(value, allowed) that the declared integer syntax decides: a bound written with
    leading zeros, and minus zero (ascii-decimal allows both), each allowed when the value
    it reads as is within the schema."""
    if values is None or schema.get("type") != "integer":
        return
    for keyword in ("minimum", "maximum", "default"):
        bound = schema.get(keyword)
        if isinstance(bound, int) and bound >= 0:
            written = "00" + str(bound)
            yield written, parameter_allows(schema, written)
            break
    yield "-0", parameter_allows(schema, "-0")


def syntax_decides(schema: Mapping[str, Any], value: str) -> bool:
    """Whether the declared syntax decides about an integer `value`: one it cannot read, or
    one written otherwise than its value is (`007`, `-0`, `+5`). Its rule is how values are
    read, not the parameter's bounds."""
    if schema.get("type") != "integer":
        return False
    try:
        return str(read_parameter(schema, value)) != value
    except UnreadableValueError:
        return True
    except TooManyDigitsError:
        return False  # beyond any bound: the bounds' rule


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


def refused(schema: Mapping[str, Any]) -> str | None:
    """A value of a parameter that its schema refuses, non-empty (an empty path segment is
    another path)."""
    return next((value for value, allowed in edges(schema) if not allowed and value), None)


def judged_status(
    operation: Mapping[str, Any],
    name: str,
    status: int,
    wanted: set[int],
    syntax: tuple[str, ...] = (),
    order: tuple[str, ...] = (),
) -> Attribution:
    """Whose rule a wrong status breaks: an invalid value refused with another 4xx breaks the
    400's rule, a key no item has refused so the 404's; a value taken for valid or invalid
    the wrong way (a 404 for an invalid key: it was looked up) breaks the parameter's own
    rule, or, for a value whose reading the declared syntax decides (`syntax`: its
    assumptions), that syntax's rule; a 5xx the documented contract. A 404 for a key its
    schema refuses (unknown too) is explained as well by a server that looks keys up before
    checking them, so the declared order of errors (`order`: its assumptions) shares it."""
    if status >= 500 or status == 401:
        return Attribution()
    taken_wrong = (400 in wanted and status in (200, 404)) or (400 not in wanted and status == 400)
    if syntax and taken_wrong:
        return charged(syntax, "how values are read (x-query-values)")
    if 400 in wanted and status == 404:  # looked up, as if the value were well-formed
        return charged({*parameter_ids(operation, [name]), *order}, f"the rule of {name}")
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
    reading = resource.values
    for name, schema in resource.parameters.items():
        values = [(v, allowed, "") for v, allowed in edges(schema)]
        values += [
            (v, allowed, " (declared syntax)") for v, allowed in syntax_edges(schema, reading)
        ]
        if reading is not None and all(v for v, _, _ in values):  # empty: a value given
            values.append(("", parameter_allows(schema, ""), " (empty)"))
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
    checked = {
        probed[1]
        for probed, response in zip(sent, answers, strict=False)
        if probed[5] and 400 in probed[4] and response.status_code == 400
    }  # the parameters the server refuses a non-empty value of: it reads them
    for probed, response in zip(sent, answers, strict=False):  # fewer: the key went unanswered
        yield from judge(context, *probed, response, checked)
    yield from check_all_reported(context)


def check_all_reported(context: Context) -> Iterator[Evidence]:
    """A request with several invalid parameters gets 400 listing every one of them
    (declared: report-all), whatever the order of the list. Only the values the server
    refuses alone, naming them, are due in the list: for the others, the parameters' own
    probes tell what is wrong."""
    subject, probe = context.subject, context.probe
    resource = subject.resource
    reporting = resource.reporting
    if reporting is None or reporting.invalid != "report-all":
        return
    candidates = {}
    for name, schema in resource.parameters.items():
        value = refused(schema)
        if value is not None:
            candidates[name] = value
    if len(candidates) < 2:
        return
    params: Params = tuple(candidates.items())
    alone = [Request(resource.path, (pair,)) for pair in params]
    response, *singles = probe.send([Request(resource.path, params), *alone])
    invalid = [n for (n, _), single in zip(params, singles, strict=True) if n in named(single)]
    shown = probe.curl(resource.path, params)
    expect = Expectation(resource.path, params, statuses=(400,))
    if len(invalid) < 2 or response.status_code != 400:
        return  # each value alone tells whose rule a wrong status breaks
    if list(error_body(subject.list_operation, response, shown, expect)):
        return  # no error body: the parameters' own probes report it
    ids = reporting.assumptions
    context.exercise(ids)
    missing = sorted(set(invalid) - named(response))
    if missing:
        yield Evidence(
            f"{len(invalid)} invalid parameters gave a 400 whose invalid_params leaves out "
            f"{', '.join(missing)} (declared: report-all)",
            shown,
            charged(ids, "every rejected parameter is reported"),
            replace(expect, body_schema=every_name_listed(sorted(invalid))),
        )


def named(response: httpx.Response) -> set[Any]:
    """The parameter names a 400's invalid_params lists."""
    if response.status_code != 400:
        return set()
    _, body = answer(response)
    listed = body.get("invalid_params") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        return set()
    return {entry.get("name") for entry in listed if isinstance(entry, dict)}


def every_name_listed(names: Sequence[str]) -> dict[str, Any]:
    """A JSON Schema: an Error body whose invalid_params names each of `names`."""
    return {
        "type": "object",
        "required": ["invalid_params"],
        "properties": {
            "invalid_params": {
                "type": "array",
                "allOf": [
                    {
                        "contains": {
                            "type": "object",
                            "properties": {"name": {"const": name}},
                            "required": ["name"],
                        }
                    }
                    for name in names
                ],
            }
        },
    }


def syntax_ids(
    context: Context, operation: Mapping[str, Any], name: str, value: str, checked: bool
) -> tuple[str, ...]:
    """The assumptions of the declared reading of values when it decides about `value`: an
    integer the syntax refuses or writes otherwise (`007`, `-0`, `+5`), or an empty value of
    a parameter the server checks otherwise (`checked`; of one it does not read at all, the
    parameter's own rule explains a wrong answer). An empty string a minimum length or an
    enum refuses shares the charge with the parameter's own rule: a server that ignores that
    rule answers as one that takes the value for absent."""
    resource = context.subject.resource
    reading = resource.values if operation is context.subject.list_operation else None
    if reading is None:
        return ()
    schema = resource.parameters.get(name) or {}
    if value != "":
        return reading.assumptions if syntax_decides(schema, value) else ()
    if not checked:
        return ()
    own = parameter_ids(operation, [name]) if schema.get("type") == "string" else set()
    return tuple(sorted({*reading.assumptions, *own}))


def order_ids(context: Context, operation: Mapping[str, Any]) -> tuple[str, ...]:
    """The assumptions of the detail operation's error order, when it puts 400 before 404."""
    reporting = context.subject.resource.detail.reporting
    if operation is not context.subject.detail_operation or reporting is None:
        return ()
    order = reporting.order
    if 400 in order and 404 in order and order.index(400) < order.index(404):
        return reporting.assumptions
    return ()


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
    checked: set[str],
) -> Iterator[Evidence]:
    context.exercise(parameter_ids(operation, [name]))
    if 400 in wanted:
        context.exercise(response_ids(operation, 400))
    syntax = syntax_ids(context, operation, name, value, name in checked)
    context.exercise(syntax)
    shown = context.probe.curl(path, params)
    expect = Expectation(path, params, statuses=tuple(sorted(wanted)))
    if response.status_code not in wanted:
        said = " or ".join(map(str, sorted(wanted)))
        yield Evidence(
            f"{name}={short(value)}{note} gave {response.status_code}, not {said}",
            shown,
            judged_status(
                operation, name, response.status_code, wanted, syntax, order_ids(context, operation)
            ),
            expect,
        )
        return
    if response.status_code == 400:
        body_exercised(context, operation, 400)
    yield from error_body(operation, response, shown, expect)

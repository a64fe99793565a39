"""The detail operation: items from all over the collection come back by their key, equal to
their list entries on every property of the item schema; a key no item has gives 404 with the
error body, and so do keys almost equal to stored ones (from the edit grammar): keys compare
exactly, so a server that looks them up by a collation ignoring case or trailing spaces, by
prefix, or after decoding or normalising them again shows here."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from contract.conformance._contract import Subject, body_ids, parameter_ids, response_ids
from contract.conformance._edits import kind_of, sample
from contract.conformance._findings import Attribution, Evidence, NotCheckedError
from contract.conformance._listing import detail_item, detail_path, fits, keys, spread, unused_key
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance._rules import detail_problems
from contract.conformance.checks._shared import body_exercised, charged, error_body
from contract.spec.declarations import Item

DETAIL_SAMPLES = 20  # items from all over the collection fetched one by one
KINDS = 40  # items with values of different kinds, at most
KEY_SOURCES = 3  # stored keys the near misses are made from


def speaks_for(subject: Subject) -> set[str]:
    detail = subject.detail_operation
    return parameter_ids(detail) | response_ids(detail, 404) | body_ids(detail, 404)


def unknown_key_attribution(subject: Subject, status: int) -> Attribution:
    """What a key no item has, answered with `status` instead of 404, breaks: a 400 the
    key's format (the path parameter's rule), another 4xx the 404's rule; a 5xx the
    documented contract. An item found for it breaks the exact comparison of keys, which
    both the key's rule and the 404's state: neither alone is charged."""
    detail = subject.detail_operation
    if status == 400:
        return charged(parameter_ids(detail), "the key's format allows it")
    if 400 <= status < 500 and status != 401:
        return charged(response_ids(detail, 404), "a key no item has gets 404")
    if 200 <= status < 300:
        both = parameter_ids(detail) | response_ids(detail, 404)
        return Attribution((), "keys compare exactly, as two rules say", tuple(sorted(both)))
    return Attribution()


@check("detail", speaks_for)
def check_detail(context: Context) -> Iterator[Evidence]:
    subject, probe = context.subject, context.probe
    resource = subject.resource
    everything = context.everything()
    listed = diverse(subject, everything)
    taken = [str(key) for key in keys(resource, everything)]
    misses = [(variant.value, variant.note()) for variant in key_near_misses(context, taken)]
    unknown = unused_key(subject.key_schema, keys(resource, everything))
    if unknown is not None:
        misses.append((str(unknown), "(a key no item has)"))
    paths = [detail_path(resource, item[resource.detail.key]) for item in listed]
    paths += [detail_path(resource, value) for value, _ in misses]
    answers = probe.send([Request(path) for path in paths])
    for item, path, response in zip(listed, paths, answers, strict=False):
        yield from compare_detail(context, path, item, response)
    for (value, what), path, response in zip(
        misses, paths[len(listed) :], answers[len(listed) :], strict=True
    ):
        yield from judge_unknown(context, value, what, path, response)
    if not everything:
        raise NotCheckedError("no items to fetch one by one")


def signature(item: Item, names: Sequence[str]) -> tuple[Any, ...]:
    """What kind of value each text property of an item holds: the classes of the edit
    grammar of its first and last characters and of those inside."""
    shapes = []
    for name in names:
        text = str(item.get(name, ""))
        inner = frozenset(kind_of(c) for c in text[1:-1])
        shapes.append(
            (kind_of(text[:1]) if text else "", kind_of(text[-1:]) if text else "", inner)
        )
    return tuple(shapes)


def diverse(subject: Subject, everything: Sequence[Item]) -> list[Item]:
    """Items from all over the collection, and one of each kind of value its text
    properties hold (leading or trailing whitespace, punctuation, other scripts, ...): a
    server that changes such a value on its way to the detail shows only on such an item."""
    schema = subject.resource.item_schema
    names = [n for n, s in (schema.get("properties") or {}).items() if s.get("type") == "string"]
    chosen = {id(item): item for item in spread(everything, DETAIL_SAMPLES)}
    kinds: dict[tuple[Any, ...], Item] = {}
    for item in everything:
        kinds.setdefault(signature(item, names), item)
    for item in list(kinds.values())[:KINDS]:
        chosen.setdefault(id(item), item)
    return list(chosen.values())


def key_near_misses(context: Context, taken: list[str]) -> list[Any]:
    """Keys the edit grammar makes of stored ones that no item has and the key's schema
    accepts. String keys only: what an integer key is almost (`01`) is for the path
    parameter's schema to say."""
    subject = context.subject
    if subject.key_schema.get("type") != "string" or not taken:
        return []
    rng = random.Random(f"{context.seed} {subject.resource.name} keys")
    sources = [
        taken[round(i * (len(taken) - 1) / max(KEY_SOURCES - 1, 1))] for i in range(KEY_SOURCES)
    ]
    stored = set(taken)
    sources = list(dict.fromkeys(sources))
    found = [
        v
        for v in sample(sources, rng, per_cell=1, pairs=2)
        if v.value and v.value not in stored and fits(subject.key_schema, v.value)
    ]
    context.note_near_misses(subject.resource.detail.parameter, sources, found)
    return found


def compare_detail(
    context: Context, path: str, item: Item, response: httpx.Response
) -> Iterator[Evidence]:
    """The detail operation gives the listed item back: the same value for every property
    of the item schema (others may be added)."""
    resource = context.subject.resource
    found = detail_item(response, resource)
    declared = [name for name in resource.item_schema.get("properties") or {} if name in item]
    expect = Expectation(
        path, statuses=(200,), item=(resource.detail.item, {name: item[name] for name in declared})
    )
    if not isinstance(found, dict):
        message = f"status {response.status_code}, no item where the declaration says"
        yield Evidence(message, context.probe.curl(path), Attribution(), expect)
        return
    for problem in detail_problems(resource, str(item[resource.detail.key]), found, item):
        yield Evidence(problem, context.probe.curl(path), Attribution(), expect)


def judge_unknown(
    context: Context, value: str, what: str, path: str, response: httpx.Response
) -> Iterator[Evidence]:
    """A key no item has gets 404 and the error body."""
    subject = context.subject
    resource = subject.resource
    detail: Mapping[str, Any] = subject.detail_operation
    context.exercise(parameter_ids(detail) | response_ids(detail, 404))
    expect = Expectation(path, statuses=(404,))
    shown = context.probe.curl(path)
    if response.status_code != 404:
        found = detail_item(response, resource)
        outcome = (
            f"found the item {found.get(resource.detail.key)!r}"
            if isinstance(found, dict)
            else f"gave {response.status_code}"
        )
        yield Evidence(
            f"{resource.detail.parameter}={quote(value, safe='')} {what} {outcome}, "
            "not 404 (keys compare exactly)",
            shown,
            unknown_key_attribution(subject, response.status_code),
            expect,
        )
        return
    body_exercised(context, detail, 404)
    yield from error_body(detail, response, shown, expect)

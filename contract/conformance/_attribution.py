"""Which declared rule a list answer speaks for, and which one a wrong answer breaks. Both
come from one set of alternatives: the resource with one declared rule changed (every other
value the declarations schema allows for a field of `x-sorting` or `x-filter`, another
tie-breaker, sort property or filtered property, another default of a parameter, filters
combined the other way, `%` and `_` read as wildcards, a parameter ignored, a total that
counts something else), each charged to the assumptions of the rule it changes, as the spec
states them.

- A probe *exercises* an assumption when some alternative of its rule promises another answer
  to that probe than the declarations do: had the server followed the alternative, the probe
  would have shown it. Only an exercised assumption can be held.
- A wrong answer is *charged* to the assumptions of the alternatives that promise exactly what
  the server sent (only those they all share, when several of different rules do). When none
  does, the answer is taken apart: the right items in another order break the order's rule,
  the right page with another total the total's, and a whole result in the declared order but
  holding other items the rule of the one filter asked for. What no rule explains alone is
  charged to none and leaves the assumptions the probe exercised undecided."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final

from contract.conformance._contract import Subject, parameter_ids, schema_member_ids
from contract.conformance._findings import Attribution
from contract.spec.declarations import (
    FILTER,
    FILTERING,
    SCHEMA_FILE,
    SORTING,
    Filter,
    Item,
    ListResource,
)
from contract.spec.source import read_yaml

UNATTRIBUTED: Final = "no single change of a declared rule gives this answer"
AMBIGUOUS: Final = "changes of different rules give this answer, so none is charged"
Answer = tuple[list[Any], int]  # the keys of a page's items, and its total
Query = Mapping[str, str]
# What a changed resource promises for a query over the collection.
Promise = Callable[[Sequence[Item], Query], Answer]


@dataclass(frozen=True)
class Alternative:
    """A rule of the declarations changed: what the resource then promises, and the
    assumptions of the rule that was changed."""

    label: str
    promise: Promise
    ids: tuple[str, ...]
    # The queries for which it may promise another answer (for the others it cannot).
    relevant: Callable[[Query], bool] = lambda query: True


@cache
def allowed(declaration: str, key: str) -> tuple[str, ...]:
    """The values the declarations schema allows for one field of a declaration."""
    schema = read_yaml(SCHEMA_FILE)["$defs"][declaration]["properties"][key]
    return tuple(schema.get("enum") or ())


def other_values(declaration: str, rule: object, *names: str) -> Iterator[tuple[str, Any]]:
    """(what changes, the changed fields) for every other allowed value of each field."""
    for name in names:
        key, old = name.replace("_", "-"), getattr(rule, name)
        for new in allowed(declaration, key):
            if new != old:
                yield f"{key}: {old} -> {new}", {name: new}


def item_properties(resource: ListResource, types: set[str]) -> list[str]:
    """The required item properties of one of `types`: those every item has to compare."""
    schema = resource.item_schema
    required = set(schema.get("required") or ())
    return [
        name
        for name, node in (schema.get("properties") or {}).items()
        if name in required and node.get("type") in types
    ]


def narrowed(declared: Sequence[str], about: set[str]) -> tuple[str, ...]:
    """The declaration's assumptions that the parameter a field is about carries, or all of
    them when the spec does not tie that parameter to one."""
    return tuple(i for i in declared if i in about) or tuple(sorted(about)) or tuple(declared)


def with_default(resource: ListResource, parameter: str, value: Any) -> ListResource:
    schema = {**resource.parameters[parameter], "default": value}
    return replace(resource, parameters={**resource.parameters, parameter: schema})


def like(value: str, casefolds: bool) -> re.Pattern[str]:
    """SQL LIKE's reading of `value`: `%` any text, `_` any one character."""
    wild = {"%": ".*", "_": "."}
    text = value.casefold() if casefolds else value
    return re.compile("".join(wild.get(c, re.escape(c)) for c in text), re.DOTALL)


def matching(resource: ListResource, keep: Callable[[Query, Item], bool]) -> Promise:
    """What `resource` promises when an item is kept by `keep` instead of its filters."""

    def promise(everything: Sequence[Item], query: Query) -> Answer:
        named = {f.parameter for f in resource.filters}
        kept = [item for item in everything if keep(query, item)]
        unfiltered = {k: v for k, v in query.items() if k not in named}
        keys, _ = resource.promised(kept, unfiltered)
        return keys, len(kept)

    return promise


def filters_given(resource: ListResource, query: Query) -> list[Filter]:
    return [f for f in resource.filters if f.parameter in query]


def given_filter(parameter: str) -> Callable[[Query], bool]:
    return lambda query: parameter in query


def combined_with_or(resource: ListResource) -> Promise:
    def keep(query: Query, item: Item) -> bool:
        given = filters_given(resource, query)
        return not given or any(
            resource.matches({f.parameter: query[f.parameter]}, item) for f in given
        )

    return matching(resource, keep)


def with_wildcards(resource: ListResource, each: Filter) -> Promise:
    def keep(query: Query, item: Item) -> bool:
        others = {f.parameter: query[f.parameter] for f in filters_given(resource, query)}
        value = others.pop(each.parameter, None)
        if not resource.matches(others, item):
            return False
        if value is None:
            return True
        text = str(item[each.property_name])
        pattern = like(value, each.casefolds)
        candidate = text.casefold() if each.casefolds else text
        found = {
            "equals": pattern.fullmatch,
            "prefix": pattern.match,
            "contains": pattern.search,
        }[each.match](candidate)
        return found is not None

    return matching(resource, keep)


def ignoring(resource: ListResource, rest: Query) -> Promise:
    """What `resource` promises when the parameters not in `rest` are ignored."""

    def promise(everything: Sequence[Item], _query: Query) -> Answer:
        return resource.promised(everything, rest)

    return promise


def total_of_page(resource: ListResource) -> Promise:
    def promise(everything: Sequence[Item], query: Query) -> Answer:
        keys, _ = resource.promised(everything, query)
        return keys, len(keys)

    return promise


def total_unfiltered(resource: ListResource) -> Promise:
    def promise(everything: Sequence[Item], query: Query) -> Answer:
        keys, _ = resource.promised(everything, query)
        return keys, len(everything)

    return promise


class Explainer:
    """The alternatives of one resource, worked out once for a run."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.resource = subject.resource
        self.fixed = list(self._alternatives())

    # -- where the spec states each rule's assumptions ------------------------------------

    def parameter(self, name: str, declared: Sequence[str] = ()) -> tuple[str, ...]:
        """The assumptions of a parameter's rule: its own, narrowed from a declaration's."""
        return narrowed(declared, parameter_ids(self.subject.list_operation, [name]))

    @property
    def total_ids(self) -> tuple[str, ...]:
        paging = self.resource.paging
        own = schema_member_ids(self._body_schema(), paging.total)
        return narrowed(paging.assumptions, own)

    def _body_schema(self) -> Mapping[str, Any]:
        content = ((self.subject.list_operation.get("responses") or {}).get("200") or {}).get(
            "content"
        ) or {}
        return (content.get("application/json") or {}).get("schema") or {}

    @property
    def combine_ids(self) -> tuple[str, ...]:
        declared = self.subject.list_operation.get(FILTERING) or {}
        return tuple(declared.get("assumptions") or ())

    def filter_ids(self, each: Filter) -> tuple[str, ...]:
        own = parameter_ids(self.subject.list_operation, [each.parameter])
        return tuple(dict.fromkeys([*sorted(own), *each.assumptions]))

    def sort_ids(self, query: Query | None = None) -> tuple[str, ...]:
        """The assumptions of the order a query asks for: the sort field's (which also
        decides the order without one), and (given a query) the direction's when it gives
        one with a field."""
        rule = self.resource.sorting
        if rule is None:
            return ()
        ids = list(self.parameter(rule.field, rule.assumptions))
        if query is not None and rule.field in query and rule.direction in query:
            ids += self.parameter(rule.direction, rule.assumptions)
        return tuple(dict.fromkeys(ids))

    # -- the alternatives -------------------------------------------------------------------

    def _alternatives(self) -> Iterator[Alternative]:
        yield from self._sorting()
        yield from self._filtering()
        resource = self.resource
        yield Alternative("the total counts the page", total_of_page(resource), self.total_ids)
        if resource.filters:
            yield Alternative(
                "the total counts every item, filtered or not",
                total_unfiltered(resource),
                self.total_ids,
                lambda query: bool(filters_given(resource, query)),
            )

    def _sorting(self) -> Iterator[Alternative]:
        resource, rule = self.resource, self.resource.sorting
        if rule is None:
            return
        by_field = self.parameter(rule.field, rule.assumptions)
        by_direction = self.parameter(rule.direction, rule.assumptions)
        directions = other_values(SORTING, rule, "descending_order", "direction_without_field")
        changed = [(text, fields, by_direction) for text, fields in directions]
        changed += [
            (t, fields, by_field) for t, fields in other_values(SORTING, rule, "default_order")
        ]
        comparable = item_properties(resource, {"string", "integer"})
        changed += [
            (f"tie-breaker: {rule.tie_breaker} -> {p}", {"tie_breaker": p}, by_field)
            for p in comparable
            if p != rule.tie_breaker
        ]
        changed += [
            (f"fields.{value}: {old} -> {p}", {"fields": {**rule.fields, value: p}}, by_field)
            for value, old in rule.fields.items()
            for p in comparable
            if p != old
        ]
        changed += [
            (
                f"collation.{value}: numeric -> code-point",
                {"collation": {**rule.collation, value: "code-point"}},
                by_field,
            )
            for value, collation in rule.collation.items()
            if collation == "numeric"
        ]
        for text, fields, ids in changed:
            other = replace(resource, sorting=replace(rule, **fields))
            yield Alternative(f"{SORTING} {text}", other.promised, ids)
        default = resource.default(rule.direction)
        for value in (rule.ascending, rule.descending):
            if value != default:
                other = with_default(resource, rule.direction, value)
                yield Alternative(
                    f"{rule.direction} default: {default} -> {value}", other.promised, by_direction
                )

    def _filtering(self) -> Iterator[Alternative]:
        resource = self.resource
        strings = item_properties(resource, {"string"})
        for each in resource.filters:
            changed = [
                *other_values(FILTER, each, "match", "case", "normalization"),
                *(
                    (f"property: {each.property_name} -> {p}", {"property_name": p})
                    for p in strings
                    if p != each.property_name
                ),
            ]
            given = given_filter(each.parameter)
            for text, fields in changed:
                filters = tuple(replace(f, **fields) if f is each else f for f in resource.filters)
                other = replace(resource, filters=filters)
                yield Alternative(
                    f"{each.parameter} {FILTER} {text}", other.promised, self.filter_ids(each),
                    given,
                )  # fmt: skip
            yield Alternative(
                f"{each.parameter} {FILTER} wildcards: none -> % and _",
                with_wildcards(resource, each),
                self.filter_ids(each),
                given,
            )
        if len(resource.filters) > 1:
            yield Alternative(
                f"{FILTERING} combine: {resource.combine} -> or",
                combined_with_or(resource),
                self.combine_ids,
                lambda query: len(filters_given(resource, query)) > 1,
            )

    def alternatives(
        self, query: Query, got: Answer | None = None, whole: bool = False
    ) -> Iterator[Alternative]:
        """Every alternative worth trying for `query`: the fixed ones, each parameter of the
        query ignored, and, for a page asked without a size, another default size (the size
        of the page that came back). For a whole result (`whole`), read page by page, the
        paging parameters are the walk's, not the query's: they are not tried."""
        yield from self.fixed
        resource = self.resource
        paging = {resource.paging.offset, resource.paging.step}
        for name in query:
            if whole and name in paging:
                continue
            rest = {other: value for other, value in query.items() if other != name}
            declared = resource.paging.assumptions if name in paging else ()
            ids = self.parameter(name, declared)
            if not ids:
                each = next((f for f in resource.filters if f.parameter == name), None)
                ids = self.filter_ids(each) if each is not None else ()
            yield Alternative(f"{name} were ignored", ignoring(resource, rest), ids)
        step = resource.paging.step
        if got is not None and step not in query and got[0] and not whole:
            other = with_default(resource, step, len(got[0]))
            yield Alternative(
                f"{step} default: {resource.default(step)} -> {len(got[0])}",
                other.promised,
                self.parameter(step, resource.paging.assumptions),
            )

    # -- what a probe exercises, what a wrong answer breaks -----------------------------------

    def exercised(
        self,
        everything: Sequence[Item],
        query: Query,
        known: Collection[str] = (),
        whole: bool = False,
    ) -> set[str]:
        """The assumptions an answer to `query` over `everything` can contradict: those of
        each alternative that promises another answer than the declarations (`known`, the
        assumptions exercised already, are not worked out again). `whole`: the query's
        whole result, every page of it, is judged."""
        query = self.whole(everything, query) if whole else query
        promised = self.resource.promised(everything, query)
        found: set[str] = set()
        for alternative in self.alternatives(query, whole=whole):
            if set(alternative.ids) <= {*known, *found} or not alternative.relevant(query):
                continue
            if alternative.promise(everything, query) != promised:
                found |= set(alternative.ids)
        return found

    def whole(self, everything: Sequence[Item], params: Query) -> dict[str, str]:
        """`params` as a query for the whole result: one page from the start holding every
        item (what a walk through every page gives)."""
        paging = self.resource.paging
        return {**params, paging.offset: "0", paging.step: str(max(len(everything), 1))}

    def explain(
        self,
        everything: Sequence[Item],
        query: Query,
        got: Answer,
        whole: bool = False,
        ask: Callable[[Query], Answer] | None = None,
    ) -> Attribution:
        """The assumptions of the rules whose single change promises `got` for `query` over
        `everything` (the collection in default order); else those of the one part of the
        answer that is wrong; else none, leaving what the query exercised undecided.
        `whole`: `got` is the query's whole result, every page of it. `ask` answers a
        simpler query the way the server does: an alternative that promises another answer
        to the query with one filter left than the server gives, where the server follows
        the declarations, is ruled out."""
        exercised = self.exercised(everything, query, whole=whole)
        query = self.whole(everything, query) if whole else query
        found = [
            a for a in self.alternatives(query, got, whole) if a.promise(everything, query) == got
        ]
        if ask is not None and len({a.ids for a in found}) > 1:
            found = self.not_refuted(found, everything, query, ask) or found
        if found:
            ids = tuple(i for i in found[0].ids if all(i in a.ids for a in found))
            explanation = "the server answers as if " + " or ".join(a.label for a in found)
            if ids:
                return Attribution(ids, explanation)
            undecided = {i for a in found for i in a.ids}
            return Attribution((), f"{explanation}: {AMBIGUOUS}", tuple(sorted(undecided)))
        part = self._wrong_part(everything, query, got, whole)
        if part is not None:
            return part
        return Attribution((), UNATTRIBUTED, tuple(sorted(exercised)))

    def not_refuted(
        self,
        found: Sequence[Alternative],
        everything: Sequence[Item],
        query: Query,
        ask: Callable[[Query], Answer],
    ) -> list[Alternative]:
        """The alternatives the server's answers to `query` with one filter left do not
        rule out."""
        named = {f.parameter for f in self.resource.filters}
        rest = {k: v for k, v in query.items() if k not in named}
        simpler = [{**rest, k: v} for k, v in query.items() if k in named]
        answers: dict[int, Answer] = {}
        kept = []
        for alternative in found:
            refuted = False
            for number, sub in enumerate(simpler):
                declared = self.resource.promised(everything, sub)
                if alternative.promise(everything, sub) == declared:
                    continue
                if number not in answers:
                    answers[number] = ask(sub)
                if answers[number] == declared:
                    refuted = True
                    break
            if not refuted:
                kept.append(alternative)
        return kept

    def _wrong_part(
        self, everything: Sequence[Item], query: Query, got: Answer, whole: bool
    ) -> Attribution | None:
        """The one part of the answer that is wrong, when only one is: the total, the order
        of the right items, or (for a whole result) which items one filter keeps."""
        resource = self.resource
        keys, total = resource.promised(everything, query)
        if got[0] == keys and got[1] != total:
            return Attribution(self.total_ids, "the page is right, its total is not")
        if got[1] == total and sorted(map(str, got[0])) == sorted(map(str, keys)):
            return Attribution(self.sort_ids(), "the right items in another order")
        if whole and got[1] == len(got[0]) < total and got[0] == keys[: len(got[0])]:
            return Attribution(self.total_ids, "a total short of the matches ends the walk early")
        given = filters_given(resource, query)
        if len(given) == 1 and whole and got[0] != keys:
            held = {str(key) for key in got[0]}
            kept = [i for i in everything if str(i[resource.detail.key]) in held]
            if len(kept) == len(held) == len(got[0]):
                unfiltered = {k: v for k, v in query.items() if k != given[0].parameter}
                ordered, _ = resource.promised(kept, unfiltered)
                if [str(k) for k in ordered] == [str(k) for k in got[0]]:
                    return Attribution(
                        self.filter_ids(given[0]),
                        f"{given[0].parameter} keeps other items than its declared rule",
                    )
        return None

"""How a change of one schema breaks clients, judged by the side the schema is on. A request
schema may only accept more than before (every request an old client sends stays valid); a
response schema may only promise more (every response an old client reads stays readable).
So each rule says whether a change makes the set of valid values narrower, wider, or other
(neither, or no rule can tell), and the side turns that into a verdict: narrower breaks
requests, wider breaks responses, other breaks both."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from enum import Enum
from fractions import Fraction
from typing import Any

from contract.breaking._catalog import schema_rule_id, verdict_of
from contract.breaking._digest import (
    is_annotation,
    mapping_targets,
    ref_name,
    same,
    same_meaning,
)
from contract.breaking._lifecycle import deprecation_findings
from contract.breaking.changes import Change, Kind
from contract.spec.source import escape_pointer_token


class Direction(Enum):
    NARROWER = "narrower"
    WIDER = "wider"
    OTHER = "other"


NARROWER, WIDER, OTHER = Direction.NARROWER, Direction.WIDER, Direction.OTHER
DIRECTION_WORDS = {NARROWER: "narrowed", WIDER: "widened", OTHER: "changed"}

LOWER_BOUNDS = (
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
)
UPPER_BOUNDS = (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
)
# Keywords that add a condition a value must meet: adding one narrows, removing one widens,
# changing one may do either. (`prefixItems` replaces `items` for the first positions, so
# any change of it is "other".)
CONDITIONS = (
    "format",
    "const",
    "contains",
    "propertyNames",
    "patternProperties",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "contentSchema",
    "contentMediaType",
    "contentEncoding",
)
# One more alternative widens. oneOf is read as a union, as generated clients read it: that
# a value matching two parts fails a oneOf (so an overlapping part added to a request can
# refuse values) is not judged.
ALTERNATIVES = ("oneOf", "anyOf")
CONJUNCTION = "allOf"  # one more part narrows
MATCHES_ANYTHING = frozenset({"", ".*", "^.*$", "^.*", ".*$"})
SCALARS = frozenset({"boolean", "integer", "number"})
JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


def breaks(direction: Direction, *, request: bool) -> bool:
    """Narrower breaks old requests, wider breaks old clients' reading of responses."""
    if direction is OTHER:
        return True
    return direction is (NARROWER if request else WIDER)


def show(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def consequence(direction: Direction, *, request: bool) -> str:
    if request:
        what = {NARROWER: "narrower", WIDER: "wider", OTHER: "different"}[direction]
        if breaks(direction, request=True):
            return f"accepts {what} values, so requests that were valid may be rejected"
        return f"accepts {what} values; every request that was valid still is"
    what = {NARROWER: "narrower", WIDER: "wider", OTHER: "different"}[direction]
    if breaks(direction, request=False):
        return f"may send {what} values than clients were built to read"
    return f"sends {what} values; clients read every one of them"


class _Walk:
    """Compare two schemas at one place of a request or a response."""

    def __init__(self, label: str, *, request: bool, text: bool, stability: str | None) -> None:
        self.label = label
        self.stability = stability  # the operation's x-stability-level, None if unstated
        self.request = request
        self.text = text  # a parameter: every scalar travels as text
        self.following: set[tuple[int, int]] = set()  # mapped schemas being walked

    def side(self) -> str:
        return "request" if self.request else "response"

    def change(
        self, at: str, kind: Kind, direction: Direction, what: str, field: str, aspect: str
    ) -> Change:
        """A change of one aspect of a schema; its rule (and so its verdict) follows from the
        side and the direction (contract/breaking/_catalog.py)."""
        rule = schema_rule_id(self.side(), aspect, DIRECTION_WORDS[direction])
        where = f"{self.label} property '{field}'" if field else self.label
        reason = f"{where}: {what}, so it {consequence(direction, request=self.request)}"
        return Change(at, verdict_of(rule), kind, reason, rule)

    def fixed(self, at: str, kind: Kind, what: str, field: str, rule: str) -> Change:
        """A change whose rule does not depend on a direction."""
        where = f"{self.label} property '{field}'" if field else self.label
        return Change(at, verdict_of(rule), kind, f"{where}: {what}", rule)

    def schemas(self, old: Any, new: Any, at: str, field: str = "") -> Iterator[Change]:
        if old is True or old == {}:
            old = {}
        if new is True or new == {}:
            new = {}
        if old is False or new is False:
            if old != new:
                direction = NARROWER if new is False else WIDER
                yield self.change(
                    at,
                    Kind.CHANGED,
                    direction,
                    "now rejects every value" if new is False else "now accepts any value",
                    field,
                    "schema",
                )
            return
        if not isinstance(old, dict) or not isinstance(new, dict) or "$ref" in old or "$ref" in new:
            return
        if same(old, new):
            return  # a schema used in many places is compared at once where it is unchanged
        written = old, new  # the view's own nodes, by which a mapping's schemas are found
        old, new = normalized(old), normalized(new)
        yield from self.default(old, new, at, field)
        yield from self.types(old, new, at, field)
        yield from self.bounds(old, new, at, field)
        yield from self.pattern(old, new, at, field)
        yield from self.multiple_of(old, new, at, field)
        yield from self.flags(old, new, at, field)
        yield from self.enum(old, new, at, field)
        yield from self.conditions(old, new, at, field)
        yield from self.discriminator(*written, at, field)
        yield from self.required(old, new, at, field)
        yield from self.properties(old, new, at, field)
        yield from self.composition(old, new, at, field)
        if "items" in old or "items" in new:
            yield from self.schemas(
                old.get("items", {}), new.get("items", {}), f"{at}/items", f"{field}[]"
            )
        if not same_meaning(old.get("prefixItems"), new.get("prefixItems")):
            kind = (
                Kind.CHANGED
                if "prefixItems" in old and "prefixItems" in new
                else (Kind.ADDED if "prefixItems" in new else Kind.REMOVED)
            )
            yield self.change(
                f"{at}/prefixItems",
                kind,
                OTHER,
                f"prefixItems {kind.value}: the first items must match other schemas",
                field,
                "condition",
            )

    def gone_names(self, before: Sequence[Any], after: Sequence[Any]) -> Iterator[int]:
        """On a request, the parts of `before` that are a component no part of `after` is."""
        if not self.request:
            return
        kept = {ref_name(part) for part in after} - {None}
        for index, part in enumerate(before):
            name = ref_name(part)
            if name is not None and name not in kept:
                yield index

    def default(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        """A client that omits a value (or reads an absent one) gets the default: adding,
        changing or removing it changes what such a client gets (on a response, adding one
        only says what an absent value meant)."""
        if "default" not in old and "default" not in new:
            return
        if "default" not in old:
            what = f"default {show(new['default'])} added"
            yield self.fixed(
                f"{at}/default", Kind.ADDED, what, field, f"{self.side()}-default-added"
            )
        elif "default" not in new:
            what = f"default {show(old['default'])} removed"
            rule = f"{self.side()}-default-changed"
            yield self.fixed(f"{at}/default", Kind.REMOVED, what, field, rule)
        elif not same(new["default"], old["default"]):
            what = f"default changed from {show(old['default'])} to {show(new['default'])}"
            rule = f"{self.side()}-default-changed"
            yield self.fixed(f"{at}/default", Kind.CHANGED, what, field, rule)

    def types(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        before, after = type_set(old), type_set(new)
        if before == after:
            return
        direction = type_direction(before, after, text=self.text)
        what = f"type {show(sorted(before))} became {show(sorted(after))}"
        yield self.change(f"{at}/type", Kind.CHANGED, direction, what, field, "type")

    def bounds(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.get(key), new.get(key)
            if same(before, after):
                continue
            if before is None and number(after):
                direction, kind, what = NARROWER, Kind.ADDED, f"{key} {show(after)} added"
            elif after is None and number(before):
                direction, kind, what = WIDER, Kind.REMOVED, f"{key} {show(before)} removed"
            elif isinstance(before, int | float) and isinstance(after, int | float):
                lower = key in LOWER_BOUNDS
                raised = after > before
                direction = NARROWER if raised == lower else WIDER
                moved = "raised" if raised else "lowered"
                kind, what = Kind.CHANGED, f"{key} {moved} from {show(before)} to {show(after)}"
            else:
                continue
            yield self.change(f"{at}/{key}", kind, direction, what, field, "bound")

    def pattern(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        before, after = effective_pattern(old), effective_pattern(new)
        if before == after:
            return
        if before is None:
            direction, kind, what = NARROWER, Kind.ADDED, f"pattern {show(after)} added"
        elif after is None:
            direction, kind, what = WIDER, Kind.REMOVED, f"pattern {show(before)} removed"
        else:
            direction, kind = OTHER, Kind.CHANGED
            what = f"pattern changed from {show(before)} to {show(after)}"
        yield self.change(f"{at}/pattern", kind, direction, what, field, "bound")

    def multiple_of(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        before, after = old.get("multipleOf"), new.get("multipleOf")
        if before == after or not (number(before) or number(after)):
            return
        if not number(before):
            direction = NARROWER
        elif not number(after) or divides(after, before):
            direction = WIDER
        elif divides(before, after):
            direction = NARROWER
        else:
            direction = OTHER
        what = f"multipleOf {show(before)} became {show(after)}"
        yield self.change(f"{at}/multipleOf", Kind.CHANGED, direction, what, field, "bound")

    def flags(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
        if before != after:
            direction = NARROWER if after else WIDER
            kind = Kind.ADDED if after else Kind.REMOVED
            yield self.change(
                f"{at}/uniqueItems",
                kind,
                direction,
                f"uniqueItems {kind.value}",
                field,
                "bound",
            )
        before_extra, after_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if before_extra is False or after_extra is False:
            if before_extra is not after_extra:
                direction = NARROWER if after_extra is False else WIDER
                what = "other properties " + (
                    "now refused" if after_extra is False else "now allowed"
                )
                yield self.change(
                    f"{at}/additionalProperties",
                    Kind.CHANGED,
                    direction,
                    what,
                    field,
                    "schema",
                )
        elif isinstance(before_extra, dict) or isinstance(after_extra, dict):
            yield from self.schemas(
                before_extra if before_extra is not None else {},
                after_extra if after_extra is not None else {},
                f"{at}/additionalProperties",
                f"{field}{{}}",
            )

    def enum(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        for key in ("enum", "x-extensible-enum"):
            before, after = old.get(key), new.get(key)
            if same(before, after) or not (isinstance(before, list) or isinstance(after, list)):
                continue
            if not isinstance(before, list):
                direction, kind, what = NARROWER, Kind.ADDED, f"{key} {show(after)} added"
            elif not isinstance(after, list):
                direction, kind, what = WIDER, Kind.REMOVED, f"{key} {show(before)} removed"
            else:
                removed = [v for v in before if not any(same(v, w) for w in after)]
                added = [v for v in after if not any(same(v, w) for w in before)]
                if not removed and not added:
                    continue  # reordered
                direction = OTHER if removed and added else (NARROWER if removed else WIDER)
                parts = [f"{show(removed)} removed"] * bool(removed) + [
                    f"{show(added)} added"
                ] * bool(added)
                kind, what = Kind.CHANGED, f"{key} values {' and '.join(parts)}"
            if key == "x-extensible-enum" and direction is not NARROWER and not self.request:
                direction = NARROWER  # an extensible enum promises clients tolerate new values
            yield self.change(f"{at}/{key}", kind, direction, what, field, "enum")

    def conditions(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        for key in CONDITIONS:
            before, after = old.get(key), new.get(key)
            if (key in old) == (key in new) and same_meaning(before, after):
                continue
            if key not in old:
                direction, kind = NARROWER, Kind.ADDED
            elif key not in new:
                direction, kind = WIDER, Kind.REMOVED
            else:
                direction, kind = OTHER, Kind.CHANGED
            if key == "patternProperties" and (closed(old) or closed(new)):
                direction = OTHER  # under additionalProperties: false it also admits names
            if key == "format" and kind is Kind.CHANGED:
                what = f"format changed from {show(before)} to {show(after)}"
            else:
                what = f"{key} {kind.value}" + (f": {show(after)}" if key in new else "")
            yield self.change(
                f"{at}/{escape_pointer_token(key)}",
                kind,
                direction,
                what,
                field,
                "condition",
            )

    def discriminator(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        """Clients choose the part of a union by the discriminator property: another name
        sends them (and servers) looking in the wrong place."""
        before, after = old.get("discriminator"), new.get("discriminator")
        if not isinstance(before, dict) or not isinstance(after, dict):
            return
        if before.get("propertyName") != after.get("propertyName"):
            what = (
                f"discriminator property {show(before.get('propertyName'))} became "
                f"{show(after.get('propertyName'))}"
            )
            yield self.change(
                f"{at}/discriminator/propertyName",
                Kind.CHANGED,
                OTHER,
                what,
                field,
                "discriminator",
            )
        old_map, new_map = mapping_targets(old), mapping_targets(new)
        for value in sorted(old_map.keys() & new_map.keys()):
            # A schema that only a mapping names is compared here, where clients meet it.
            was, now = old_map[value], new_map[value]
            if (id(was), id(now)) in self.following:
                continue
            self.following.add((id(was), id(now)))
            place = f"{at}/discriminator/mapping/{escape_pointer_token(value)}"
            yield from self.schemas(was, now, place, f"{field}<{value}>")
            self.following.discard((id(was), id(now)))

    def required(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        """A request property that is now required breaks the clients that leave it out; a
        response property that is no longer required breaks the clients that read it.
        readOnly properties are never sent, writeOnly ones never read."""
        before, after = set(names(old.get("required"))), set(names(new.get("required")))
        properties = {**mapping(old.get("properties")), **mapping(new.get("properties"))}
        exempt = "readOnly" if self.request else "writeOnly"
        for name in sorted(before ^ after):
            schema = properties.get(name)
            if isinstance(schema, dict) and schema.get(exempt) is True:
                continue
            if name not in mapping(new.get("properties")) and name in before:
                continue  # a removed property: reported once, with its removal
            required = name in after
            yield self.change(
                f"{at}/properties/{escape_pointer_token(name)}",
                Kind.CHANGED,
                NARROWER if required else WIDER,
                "now required" if required else "no longer required",
                f"{field}.{name}" if field else name,
                "required",
            )

    def properties(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        """Each property both versions have, unless the side never carries it (readOnly
        ones are never sent, writeOnly ones never read); a removed one that a response had to
        carry, or that a request may no longer carry (the schema refuses other properties)."""
        old_props, new_props = mapping(old.get("properties")), mapping(new.get("properties"))
        unused = "readOnly" if self.request else "writeOnly"
        for name, schema in old_props.items():
            child = f"{field}.{name}" if field else name
            place = f"{at}/properties/{escape_pointer_token(name)}"
            if name in new_props:
                findings = deprecation_findings(
                    "property",
                    schema,
                    new_props[name],
                    self.stability or "stable",
                    declared="stated" if self.stability else "unstated",
                )
                for rule, key, words in findings:
                    yield self.fixed(f"{place}/{key}", Kind.CHANGED, words, child, rule)
                if mapping(new_props[name]).get(unused) is not True:
                    yield from self.schemas(schema, new_props[name], place, child)
            elif mapping(schema).get(unused) is True:
                continue  # never carried on this side
            elif not self.request and name in names(old.get("required")):
                yield self.change(place, Kind.REMOVED, WIDER, "removed", child, "property-removed")
            elif self.request and closed(new):
                what = "removed, and other properties are refused"
                yield self.change(place, Kind.REMOVED, NARROWER, what, child, "property-removed")
            else:
                rule = f"{self.side()}-optional-property-removed"
                yield self.fixed(place, Kind.REMOVED, "optional property removed", child, rule)
        required = names(new.get("required"))
        for name in new_props.keys() - old_props.keys():
            if (
                name in required
                and self.request
                and mapping(new_props[name]).get(unused) is not True
            ):
                continue  # a new required request property: the required rule reports it
            child = f"{field}.{name}" if field else name
            place = f"{at}/properties/{escape_pointer_token(name)}"
            what = "required property added" if name in required else "optional property added"
            yield self.fixed(place, Kind.ADDED, what, child, f"{self.side()}-property-added")

    def composition(
        self, old: dict[str, Any], new: dict[str, Any], at: str, field: str
    ) -> Iterator[Change]:
        for key in (*ALTERNATIVES, CONJUNCTION):
            before, after = old.get(key) or [], new.get(key) or []
            if not isinstance(before, list) or not isinstance(after, list):
                continue
            named = set(self.gone_names(before, after)) if key in ALTERNATIVES else set()
            if same_meaning(before, after) and not named:
                continue
            if not before or not after:
                # a value must now match (or no longer match) some of these parts
                direction, kind = (NARROWER, Kind.ADDED) if after else (WIDER, Kind.REMOVED)
                what = f"{key} {kind.value}: {show(after or before, 60)}"
                yield self.change(f"{at}/{key}", kind, direction, what, field, "composition")
                continue
            removed, added, paired = match(before, after)
            grows = WIDER if key in ALTERNATIVES else NARROWER
            shrinks = NARROWER if key in ALTERNATIVES else WIDER
            # A part that repeats one that stays says nothing more (oneOf is read as a
            # union, see ALTERNATIVES)...
            repeated = [(i, Kind.REMOVED) for i in removed if contains(after, before[i])]
            repeated += [(j, Kind.ADDED) for j in added if contains(before, after[j])]
            # ...but a named alternative that goes from a request is a type that generated
            # clients build and send by its name, as oasdiff judges it.
            for index, kind in repeated:
                if index in named and kind is Kind.REMOVED:
                    continue
                what = f"{key} part {index} {kind.value}, which repeats a part that stays"
                yield self.fixed(
                    f"{at}/{key}/{index}", kind, what, field, "composition-part-repeated"
                )
            removed = [i for i in removed if i in named or not contains(after, before[i])]
            added = [j for j in added if not contains(before, after[j])]
            for index in sorted(named - set(removed)):
                what = f"{key} part {index} ({ref_name(before[index])}) removed"
                yield self.change(
                    f"{at}/{key}/{index}", Kind.REMOVED, shrinks, what, field, "composition"
                )
            for index in removed:
                what = f"{key} part {index} removed: {show(before[index], 60)}"
                yield self.change(
                    f"{at}/{key}/{index}", Kind.REMOVED, shrinks, what, field, "composition"
                )
            for index in added:
                what = f"{key} part {index} added: {show(after[index], 60)}"
                yield self.change(
                    f"{at}/{key}/{index}", Kind.ADDED, grows, what, field, "composition"
                )
            for i, j in paired:
                yield from self.schemas(before[i], after[j], f"{at}/{key}/{j}", field)


def match(
    before: Sequence[Any], after: Sequence[Any]
) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """The parts of a oneOf/anyOf/allOf that went, came, or stayed (perhaps edited): equal
    parts match first, then parts with the same title, then the most alike parts, as long
    as at least half of what they say is the same."""
    left, right = list(range(len(before))), list(range(len(after)))
    paired: list[tuple[int, int]] = []

    def pair(i: int, j: int) -> None:
        left.remove(i)
        right.remove(j)
        if not same(before[i], after[j]):
            paired.append((i, j))

    for i in list(left):
        j = next((j for j in right if same(before[i], after[j])), None)
        if j is not None:
            pair(i, j)
    for i in list(left):
        j = next((j for j in right if same_meaning(before[i], after[j])), None)
        if j is not None:
            pair(i, j)
    for i in list(left):
        j = next(
            (j for j in right if title(before[i]) and title(before[i]) == title(after[j])), None
        )
        if j is not None:
            pair(i, j)
    scored = sorted(
        ((likeness(before[i], after[j]), i, j) for i in left for j in right), reverse=True
    )
    for score, i, j in scored:
        if score >= 0.5 and i in left and j in right:
            pair(i, j)
    return left, right, paired


def leaves(node: Any, path: str = "") -> set[str]:
    """What a schema says, as pointer=value strings; annotations, deprecation and
    extensions say nothing about which values are valid."""
    if isinstance(node, dict):
        return {
            leaf
            for key, value in node.items()
            if not (is_annotation(key, value) or key == "deprecated" or str(key).startswith("x-"))
            for leaf in leaves(value, f"{path}/{key}")
        }
    if isinstance(node, list):
        return {leaf for i, value in enumerate(node) for leaf in leaves(value, f"{path}/{i}")}
    return {f"{path}={json.dumps(node)}"}


def likeness(a: Any, b: Any) -> float:
    """The share of their leaves (pointer and value) that two schemas have in common."""
    mine, theirs = leaves(a), leaves(b)
    return len(mine & theirs) / len(mine | theirs) if mine | theirs else 1.0


# A schema keyword whose value `true` or `{}` allows anything, as if it were absent.
OPEN_WHEN_TRUE = (
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
)


def normalized(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with what changes nothing taken out: a keyword that allows anything, and
    OpenAPI 3.0's boolean exclusiveMinimum/Maximum written the 3.1 way (a number)."""
    schema = {k: v for k, v in schema.items() if not (k in OPEN_WHEN_TRUE and v in (True, {}))}
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if schema.get(exclusive) is True and number(schema.get(bound)):
            schema[exclusive] = schema.pop(bound)
        elif isinstance(schema.get(exclusive), bool):
            del schema[exclusive]
    return schema


def divides(divisor: Any, value: Any) -> bool:
    """Whether `value` is a multiple of `divisor`, exactly (0.1 divides 0.3)."""
    try:
        return Fraction(str(value)) % Fraction(str(divisor)) == 0
    except (ValueError, ZeroDivisionError):
        return False


def closed(schema: dict[str, Any]) -> bool:
    """Whether the schema refuses properties it does not name."""
    return (
        schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False
    )


def contains(parts: Sequence[Any], part: Any) -> bool:
    """Whether `part` says what one of `parts` says, whatever components they are."""
    return any(same_meaning(part, other) for other in parts)


def mapping(node: Any) -> dict[str, Any]:
    """`node` if it is an object, else an empty one: a provider's file may hold anything."""
    return node if isinstance(node, dict) else {}


def names(node: Any) -> list[str]:
    """The strings of a list (a `required` list, say), whatever else it holds."""
    return [item for item in node if isinstance(item, str)] if isinstance(node, list) else []


def title(schema: Any) -> str:
    return str(schema.get("title", "")) if isinstance(schema, dict) else ""


def number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def effective_pattern(schema: dict[str, Any]) -> str | None:
    pattern = schema.get("pattern")
    return pattern if isinstance(pattern, str) and pattern not in MATCHES_ANYTHING else None


def type_set(schema: dict[str, Any]) -> frozenset[str]:
    """The JSON types a schema allows; no `type` allows any, `nullable` (OpenAPI 3.0) adds
    null."""
    declared = schema.get("type")
    if declared is None:
        types = set(JSON_TYPES)
    elif isinstance(declared, list):
        types = {str(t) for t in declared}
    else:
        types = {str(declared)}
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def type_direction(before: frozenset[str], after: frozenset[str], *, text: bool) -> Direction:
    """Wider when every old type is still allowed (an integer is a number; in a parameter,
    where values travel as text, a string takes any scalar), narrower when every new type
    was allowed before."""

    def within(types: frozenset[str], others: frozenset[str]) -> bool:
        return all(
            t in others
            or (t == "integer" and "number" in others)
            or (text and t in SCALARS and "string" in others)
            for t in types
        )

    if within(before, after):
        return WIDER
    if within(after, before):
        return NARROWER
    return OTHER


def schema_changes(
    old: Any,
    new: Any,
    at: str,
    label: str,
    *,
    request: bool,
    text: bool = False,
    stability: str | None = None,
) -> Iterator[Change]:
    """Every change between the schemas `old` and `new` at `at`, judged for its side;
    `text` for a parameter's schema, whose values travel as text."""
    walk = _Walk(label, request=request, text=text, stability=stability)
    yield from walk.schemas(old, new, at)

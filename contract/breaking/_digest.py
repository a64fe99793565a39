"""Whether two parts of two specs say the same, in time independent of how often a shared
schema is used: each node's digest is computed once (a client view shares the node of every
use of one schema, contract/spec/client_view.py) from its members' digests, so comparing two
unchanged operations costs one comparison, not a walk of everything they use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import blake2b
from typing import Any

# Keywords that only describe: a reworded description in a `not` or an `if` changes no value's
# validity. `example` only where it is not a property named so (a schema, so a dict).
ANNOTATIONS = {"description": str, "title": str, "$comment": str, "examples": list}


class _Digests:
    """Digests by object identity; each entry keeps its node alive, so an id is never reused
    for another node while the entry lasts."""

    def __init__(self) -> None:
        self.full: dict[int, tuple[Any, bytes]] = {}
        self.meaning: dict[int, tuple[Any, bytes]] = {}
        # The component each shared node of the two client views is (inline_shared fills it).
        self.names: dict[int, tuple[Any, str]] = {}
        # The schemas each discriminator mapping names (inline_shared fills it): part of what
        # the schema holding the mapping says, though no reference reaches them.
        self.mapped: dict[int, tuple[Any, dict[str, Any]]] = {}
        self.walking: set[int] = set()  # nodes whose digest is being computed

    def of(self, node: Any, *, meaning: bool) -> bytes:
        if not isinstance(node, dict | list):
            return _scalar(node)
        memo = self.meaning if meaning else self.full
        hit = memo.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        if id(node) in self.walking:
            return b"cycle"  # a mapping that leads back to where it is
        hasher = blake2b(digest_size=16)
        named = self.names.get(id(node))
        if not meaning and named is not None and named[0] is node:
            hasher.update(named[1].encode())  # two components that read alike are two types
        if isinstance(node, list):
            hasher.update(b"[")
            for item in node:
                hasher.update(self.of(item, meaning=meaning))
        else:
            hasher.update(b"{")
            for key in sorted(node, key=_key_order):  # YAML keys may be numbers too
                value = node[key]
                if meaning and is_annotation(key, value):
                    continue
                hasher.update(_scalar(key))
                hasher.update(self.of(value, meaning=meaning))
            hit_map = self.mapped.get(id(node))
            if hit_map is not None and hit_map[0] is node:
                self.walking.add(id(node))
                for value, target in sorted(hit_map[1].items()):
                    hasher.update(_scalar(value))
                    hasher.update(self.of(target, meaning=meaning))
                self.walking.discard(id(node))
        digest = hasher.digest()
        memo[id(node)] = (node, digest)
        return digest


def _scalar(value: Any) -> bytes:
    """A scalar as bytes that tell its JSON type apart: "1", 1, 1.0 and true all differ."""
    return f"{type(value).__name__}:{value!r}".encode()


def _key_order(key: Any) -> tuple[str, str]:
    return type(key).__name__, str(key)


def is_annotation(key: Any, value: Any) -> bool:
    kind = ANNOTATIONS.get(key)
    return (kind is not None and isinstance(value, kind)) or (
        key == "example" and not isinstance(value, dict)
    )


_scope: list[_Digests] = []


@contextmanager
def digest_scope() -> Iterator[_Digests]:
    """Keep digests for the length of one comparison (and no longer: they keep nodes alive);
    yields the scope, whose tables of component names and mapped schemas the client views
    fill."""
    _scope.append(_Digests())
    try:
        yield _scope[-1]
    finally:
        _scope.pop()


def mapping_targets(schema: Any) -> dict[str, Any]:
    """The schemas the discriminator mapping of `schema` names, by mapping value."""
    hit = _digests().mapped.get(id(schema))
    return hit[1] if hit is not None and hit[0] is schema else {}


def ref_name(node: Any) -> str | None:
    """The `$ref` that `node` was reached by in its client view, if it is a component."""
    hit = _digests().names.get(id(node))
    return hit[1] if hit is not None and hit[0] is node else None


def _digests() -> _Digests:
    return _scope[-1] if _scope else _Digests()


def same(a: Any, b: Any) -> bool:
    """Equal as JSON (1 and true, 0 and false differ, though Python calls them equal), and
    made of the same components."""
    if a is b:
        return True
    if not isinstance(a, dict | list) or not isinstance(b, dict | list):
        return type(a) is type(b) and a == b
    digests = _digests()
    return digests.of(a, meaning=False) == digests.of(b, meaning=False)


def same_meaning(a: Any, b: Any) -> bool:
    """Equal but for annotations and the names of components, at any depth."""
    if not isinstance(a, dict | list) or not isinstance(b, dict | list):
        return type(a) is type(b) and a == b
    digests = _digests()
    return digests.of(a, meaning=True) == digests.of(b, meaning=True)


def same_items(a: list[Any], b: list[Any]) -> bool:
    """The same items, perhaps in another order (an enum, a `required` list, the parts of a
    oneOf: lists whose order says nothing)."""
    digests = _digests()
    return sorted(digests.of(x, meaning=False) for x in a) == sorted(
        digests.of(x, meaning=False) for x in b
    )

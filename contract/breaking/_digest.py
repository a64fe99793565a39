"""Whether two parts of two specs say the same, in time independent of how often a shared
schema is used: each node's digest is computed once (a client view shares the node of every
use of one schema, contract/spec/client_view.py) from its members' digests, so comparing two
unchanged operations costs one comparison, not a walk of everything they use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import blake2b
from typing import Any

from contract.spec.source import lookup

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
        self.views: tuple[Any, Any] = ({}, {})  # the old and the new client view

    def of(self, node: Any, *, meaning: bool) -> bytes:
        if not isinstance(node, dict | list):
            return _scalar(node)
        memo = self.meaning if meaning else self.full
        hit = memo.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
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
def digest_scope() -> Iterator[dict[int, tuple[Any, str]]]:
    """Keep digests for the length of one comparison (and no longer: they keep nodes alive);
    yields the table of component names for the client views to fill."""
    _scope.append(_Digests())
    try:
        yield _scope[-1].names
    finally:
        _scope.pop()


def set_views(before: Any, after: Any) -> None:
    """The two client views being compared, for mapped() to find what a mapping names."""
    _digests().views = (before, after)


def mapped(ref: Any, *, new: bool) -> Any:
    """The schema a discriminator mapping names (a reference written as a string), in the
    new view or the old; None where it names nothing there."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    found = lookup(_digests().views[1 if new else 0], ref[1:])
    return found if isinstance(found, dict) else None


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

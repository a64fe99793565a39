"""Load the split spec as one document while remembering which file and JSON pointer each
node came from, so problems found in the whole document can be reported where they are
written. Redocly bundles for the generators; this loader exists only for precise messages."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from contract.errors import SpecLoadError
from contract.layout import display_path

PathKey = tuple[str | int, ...]

# libyaml's safe loader where PyYAML was built with it: ten times faster on a large spec.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The fields of an OpenAPI path item that hold operations.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class _Missing:
    """The value of a pointer that leads nowhere; distinct from a JSON null."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@dataclass(frozen=True, order=True)
class Location:
    """A node's place in the source: file and JSON pointer (RFC 6901) inside it."""

    file: Path
    pointer: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}#{self.pointer or '/'}"


class SourceMap:
    """Maps paths in the inlined document back to their source location."""

    def __init__(self) -> None:
        self._origins: dict[PathKey, Location] = {}

    def record(self, path: PathKey, location: Location) -> None:
        self._origins[path] = location

    def locate(self, path: Sequence[str | int]) -> Location:
        """The location of the node at `path`: the deepest recorded ancestor, plus the rest
        of the path, which lies inside the same file."""
        key = tuple(path)
        for depth in range(len(key), -1, -1):
            origin = self._origins.get(key[:depth])
            if origin is not None:
                rest = "".join("/" + escape_pointer_token(t) for t in key[depth:])
                return Location(origin.file, origin.pointer + rest)
        raise KeyError(f"no source recorded for {key!r}")  # root is always recorded


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning I/O and syntax errors into a message with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecLoadError(f"{display_path(path)}: cannot read ({exc.strerror})") from exc
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecLoadError(f"{display_path(path)}{where}: invalid YAML ({problem})") from exc


def lookup(document: Any, json_pointer: str) -> Any:
    """The node at `json_pointer` (RFC 6901, "" for the whole document), or MISSING."""
    node = document
    for raw in json_pointer.split("/")[1:] if json_pointer.strip("/") else []:
        token = unescape_pointer_token(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def ref_name(ref: str) -> str:
    """The name a reference gives its target: the last token of its pointer, unescaped
    (`#/components/schemas/SortDirection` -> `SortDirection`)."""
    return unescape_pointer_token(ref.partition("#")[2].rsplit("/", 1)[-1])


def deref(node: Any, document: Any, seen: tuple[str, ...] = ()) -> Any:
    """Follow the local `$ref` at the top of `node` (repeatedly), keys beside it overriding
    the target's; members below stay as they are. SpecLoadError for a reference to another
    file (a bundled spec has none), a cycle or a target that is not there."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            raise SpecLoadError(f"{ref}: the bundled spec should hold only local references")
        if ref in seen:
            raise SpecLoadError(f"{ref}: reference cycle")
        seen = (*seen, ref)
        target = lookup(document, ref[1:])
        if target is MISSING:
            raise SpecLoadError(f"{ref}: reference target not found")
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**target, **siblings} if siblings and isinstance(target, dict) else target
    return node


def inline(
    node: Any, document: Any, seen: tuple[str, ...] = (), *, keep_unresolved: bool = False
) -> Any:
    """`node` with every local `$ref`, at any depth, replaced by its target: for instance a
    standalone JSON Schema that jsonschema can check without the rest of the document. With
    `keep_unresolved`, a reference that recurses into itself (a tree schema, valid OpenAPI),
    leads elsewhere or to nothing stays a reference instead of a SpecLoadError: what any
    spec a user compares must survive."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        try:
            target = deref(node, document, seen)
        except SpecLoadError:
            if not keep_unresolved:
                raise
            return {key: inline(value, document, seen, keep_unresolved=True)
                    for key, value in node.items()}  # fmt: skip
        return inline(target, document, (*seen, ref), keep_unresolved=keep_unresolved)
    if isinstance(node, dict):
        return {
            key: inline(value, document, seen, keep_unresolved=keep_unresolved)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [inline(item, document, seen, keep_unresolved=keep_unresolved) for item in node]
    return node


def operations(document: Any) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, path item, operation) for every operation of `document`, the path item
    followed if it is a local reference."""
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        item = deref(item, document)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield str(path), method, item, operation


def parameters(item: Any, operation: Any, document: Any) -> list[Any]:
    """An operation's parameters as OpenAPI defines them: its own, then those of its path item
    that it does not override (same `in` and `name`); references followed."""

    def listed(node: Any) -> list[Any]:
        found = node.get("parameters") if isinstance(node, dict) else None
        return [deref(p, document) for p in found] if isinstance(found, list) else []

    def key(parameter: Any) -> str:  # a provider's file may hold anything
        return json.dumps([parameter.get("in"), parameter.get("name")], default=str)

    own = listed(operation)
    taken = {key(p) for p in own if isinstance(p, dict)}
    shared = [p for p in listed(item) if isinstance(p, dict)]
    return own + [p for p in shared if key(p) not in taken]


def server_prefix(document: Mapping[str, Any]) -> str:
    """The path of the first server URL, its variables set to their defaults: the API's base
    path (OpenAPI's default server is `/`, so no servers means no prefix)."""
    servers = document.get("servers") or [{"url": "/"}]
    url = str(servers[0]["url"])
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    return urlsplit(url).path.rstrip("/")


def resolve_pointer(document: Any, pointer: str, location: Location) -> Any:
    node = lookup(document, pointer if pointer.startswith("/") else "/" + pointer)
    if node is MISSING:
        raise SpecLoadError(f"{location}: $ref target not found")
    return node


class _Inliner:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[Path, Any] = {}
        self.source_map = SourceMap()

    def load(self, path: Path) -> Any:
        if path not in self.files:
            self.files[path] = read_yaml(path)
        return self.files[path]

    def inline(self, node: Any, here: Location, path: PathKey, stack: tuple[Path, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not (here.file == self.root and ref.startswith("#")):
                return self.follow(ref, here, path, stack)
            return {
                key: self.inline(
                    value,
                    Location(here.file, f"{here.pointer}/{escape_pointer_token(key)}"),
                    (*path, key),
                    stack,
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [
                self.inline(item, Location(here.file, f"{here.pointer}/{i}"), (*path, i), stack)
                for i, item in enumerate(node)
            ]
        return node

    def follow(self, ref: str, here: Location, path: PathKey, stack: tuple[Path, ...]) -> Any:
        target_name, _, fragment = ref.partition("#")
        target = (here.file.parent / target_name).resolve() if target_name else here.file
        ref_location = Location(here.file, f"{here.pointer}/$ref")
        if target in stack:
            raise SpecLoadError(f"{ref_location}: $ref cycle through {display_path(target)}")
        if not target.is_file():
            raise SpecLoadError(f"{ref_location}: $ref to a missing file {ref!r}")
        node = resolve_pointer(self.load(target), fragment, ref_location)
        origin = Location(target, fragment.rstrip("/"))
        self.source_map.record(path, origin)
        return self.inline(node, origin, path, (*stack, target))


def load_inlined(root: Path) -> tuple[Any, SourceMap]:
    """The spec rooted at `root` with every reference to another file replaced by its target.
    References inside the root file (`#/components/...`) are kept as they are."""
    root = root.resolve()
    inliner = _Inliner(root)
    origin = Location(root, "")
    inliner.source_map.record((), origin)
    document = inliner.inline(inliner.load(root), origin, (), (root,))
    return document, inliner.source_map


@lru_cache(maxsize=512)  # a split spec's files, not every file a long process ever read
def _composed(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def forget_lines() -> None:
    _composed.cache_clear()


def line_of(location: Location) -> int | None:
    """The 1-based line where the node at `location` is written: the line of its key (or of
    the item, in a list), for the deepest node of its pointer that exists in the file (a
    missing member is reported at its parent)."""
    node = _composed(location.file)
    if node is None:
        return None
    mark = node.start_mark
    for raw in location.pointer.split("/")[1:] if location.pointer.strip("/") else []:
        token = unescape_pointer_token(raw)
        found: tuple[yaml.Node, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit():
            item = node.value[int(token)] if int(token) < len(node.value) else None
            found = (item, item) if item is not None else None
        if found is None:
            break
        mark, node = found[0].start_mark, found[1]
    return int(mark.line) + 1


class SpecFiles:
    """Each file of a split spec read once, for the calls of locate() that share it."""

    def __init__(self) -> None:
        self.read: dict[Path, Any] = {}

    def __call__(self, path: Path) -> Any:
        if path not in self.read:
            self.read[path] = read_yaml(path)
        return self.read[path]


def locate(root: Path, client_pointer: str, files: SpecFiles | None = None) -> Location | None:
    """Where the node at `client_pointer` (a pointer into the client view of the spec rooted
    at `root`: references followed, path-level parameters appended to each operation's own,
    contract/spec/client_view.py) is written in the split spec: the file and the pointer in
    it. Only the files on the way are read. None where the pointer leads nowhere."""
    files = files or SpecFiles()
    node, here = _follow(files(root.resolve()), Location(root.resolve(), ""), files)
    trail = [(node, here)]
    tokens = [unescape_pointer_token(t) for t in client_pointer.split("/")[1:]]
    for depth, token in enumerate(tokens):
        step = _step(node, here, token, files)
        in_parameters = tokens[:1] == ["paths"] and tokens[3:4] == ["parameters"]
        if step is None and in_parameters and depth == 3:  # the operation has none of its own
            step = [], Location(here.file, f"{here.pointer}/parameters")
        elif step is None and in_parameters and depth == 4:
            step = _path_item_parameter(trail[2], node, token, files)
        if step is None:
            return None
        node, here = _follow(*step, files)
        trail.append((node, here))
    return here


def _follow(node: Any, here: Location, files: SpecFiles) -> tuple[Any, Location]:
    """Through every `$ref` that stands alone at `node` to what it names."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(node) == 1:
        ref = str(node["$ref"])
        if (here.file, ref) in seen:
            break
        seen.add((here.file, ref))
        target_name, _, fragment = ref.partition("#")
        target = (here.file.parent / target_name).resolve() if target_name else here.file
        if not target.is_file():
            break
        found = lookup(files(target), fragment.rstrip("/"))
        if found is MISSING:
            break
        node, here = found, Location(target, fragment.rstrip("/"))
    return node, here


def _step(node: Any, here: Location, token: str, files: SpecFiles) -> tuple[Any, Location] | None:
    """One token down from `node`; a key beside a `$ref` first, then the reference's target."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and token not in node:
        node, here = _follow({"$ref": node["$ref"]}, here, files)
    at = Location(here.file, f"{here.pointer}/{escape_pointer_token(token)}")
    if isinstance(node, dict):
        key = next((k for k in (token, *_numeric(token)) if k in node), None)
        if key is not None:  # YAML reads an unquoted 200 as a number
            return node[key], at
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)], at
    return None


def _numeric(token: str) -> tuple[int, ...]:
    return (int(token),) if token.isdigit() else ()


def _path_item_parameter(
    path_item: tuple[Any, Location], own: Any, token: str, files: SpecFiles
) -> tuple[Any, Location] | None:
    """The path item's parameter that an operation's parameter past its own list stands for:
    client_view appends those the operation does not override, in order."""
    item, here = path_item
    shared = item.get("parameters") if isinstance(item, dict) else None
    if not isinstance(shared, list) or not isinstance(own, list) or not token.isdigit():
        return None

    def key(parameter: Any, at: Location) -> str:
        found, _ = _follow(parameter, at, files)
        return json.dumps([found.get("in"), found.get("name")] if isinstance(found, dict) else None)

    taken = {key(p, here) for p in own}
    kept = [i for i, p in enumerate(shared) if key(p, here) not in taken]
    index = int(token) - len(own)
    if index >= len(kept):
        return None
    at = Location(here.file, f"{here.pointer}/parameters/{kept[index]}")
    return shared[kept[index]], at

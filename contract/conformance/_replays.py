"""Findings as tests: each finding of the property checks becomes a small pytest file that
sends the request that showed it and asserts what the spec promises for it, so it fails while
the server breaks the rule and passes once it is fixed. The files read BASE_URL (with the
API's path) and AUTH (user:password) from the environment, never hold a credential, and need
only httpx and jsonschema."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from contract.conformance._credentials import Recipe
from contract.layout import display_path

if TYPE_CHECKING:
    from contract.conformance._findings import Finding

FOLDER: Final = "replays"
# A request without credentials. Without a recipe, a replay sends the real credentials from
# $AUTH; with one, what the recipe builds from them: no file holds any part of them.
WITHOUT_AUTH: Final = Recipe(absent=True)
BACKSLASH, QUOTES = chr(92), chr(34) * 3


@dataclass(frozen=True)
class Listing:
    """How a replay reads every page of a query: the list path, its paging parameters and a
    page size, and the member paths of the items, the total and the key."""

    path: str
    offset: str
    step: str
    size: int
    results: tuple[str, ...]
    total: tuple[str, ...]
    key: str


REPLAY_PAGES: Final = 2000  # pages a replay reads of one query, at most
# What a relation across queries asserts of the whole results of its queries (a, b, c ...).
RELATIONS: Final = {
    "equal": "assert keys(a) == keys(b)",
    "same-total": "assert a[1] == b[1], (a[1], b[1])",
    "reverse": "assert keys(a) == keys(b)[::-1]",
    "subset": "assert set(keys(a)) <= set(keys(b)), set(keys(a)) - set(keys(b))",
    "intersection": "assert set(keys(a)) == set(keys(b)) & set(keys(c))",
    "permutation": "assert sorted(keys(a)) == sorted(keys(b))",
    "disjoint": "assert not set(keys(a)) & set(keys(b))",
    "reachable": "assert len(a[0]) == a[1], (len(a[0]), a[1])",
    "holds": "assert KEY in keys(a), KEY",
    "unique": (
        "values = [str(item[KEY]) for item in a[0]]\n"
        "assert len(values) == len(set(values)), sorted({v for v in values if values.count(v) > 1})"
    ),
}


@dataclass(frozen=True)
class Relation:
    """A relation across the whole results of several queries, as a replay asserts it."""

    kind: str  # a key of RELATIONS
    listing: Listing
    queries: tuple[tuple[tuple[str, str], ...], ...]
    key: Any = None  # the key `holds` asks for
    sizes: tuple[int, ...] = ()  # the page size each query was read with (else listing.size)


@dataclass(frozen=True)
class Expectation:
    """One request and what a correct server answers to it: the rule a replay asserts."""

    path: str  # below BASE_URL, percent-encoded, with a query string of its own if any
    params: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    authorization: Recipe | None = None  # None: the credentials of $AUTH
    statuses: tuple[int, ...] = ()  # the answer's status is one of these (none: any but 5xx)
    page: tuple[tuple[Any, ...], int] | None = None  # the keys of the page, in order, and total
    members: tuple[tuple[str, ...], tuple[str, ...], str] = ((), (), "")  # results, total, key
    # Each value sent under these headers fits its schema (`headers`: those that must be sent).
    header_schemas: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    body_schema: Mapping[str, Any] | None = None  # the body fits it
    media_type: str | None = None  # of the answer's Content-Type
    headers: tuple[str, ...] = ()  # the answer has these headers
    # Only an answer of this status is held to the media type, headers and body
    # schema: a correct server may answer the request with another documented status.
    when_status: int | None = None
    same_as: tuple[tuple[str, str], ...] | None = None  # the same answer as to these params
    item: tuple[tuple[str, ...], Mapping[str, Any]] | None = None  # at this member, these values
    timeout: float | None = None  # the answer comes within this many seconds
    relation: Relation | None = None  # instead of one request: the results of several


def literal(value: Any, indent: str = "") -> str:
    """`value` as Python source: on one line when short, else one element per line."""
    text = repr(value)
    if len(text) <= 60 or not isinstance(value, (list, dict)):
        return text
    inner = indent + "    "
    if isinstance(value, dict):
        rows = [f"{inner}{k!r}: {literal(v, inner)}," for k, v in value.items()]
        return "{\n" + "\n".join(rows) + f"\n{indent}}}"
    rows = [f"{inner}{literal(v, inner)}," for v in value]
    return "[\n" + "\n".join(rows) + f"\n{indent}]"


def access(path: Sequence[str]) -> str:
    return "".join(f"[{name!r}]" for name in path)


def request_lines(expect: Expectation) -> list[str]:
    params = f", params={literal(list(expect.params))}" if expect.params else ""
    timeout = f", timeout={expect.timeout!r}" if expect.timeout is not None else ""
    lines = []
    if expect.authorization is None:
        auth = ", auth=AUTH"
    else:
        auth = ", headers=headers"
        lines += expect.authorization.python()
    call = "httpx.get(" if expect.method == "GET" else f"httpx.request({expect.method!r}, "
    lines.append(f"response = {call}BASE_URL + {expect.path!r}{params}{auth}{timeout})")
    return lines


def answer_lines(expect: Expectation) -> list[str]:
    """The assertions on the answer's media type, headers and body."""
    lines: list[str] = []
    if expect.media_type is not None:
        lines.append(
            'media_type = response.headers.get("Content-Type", "").split(";")[0].strip()\n'
            f"assert media_type == {expect.media_type!r}, media_type"
        )
    for header in expect.headers:
        lines.append(f"assert {header!r} in response.headers, response.headers")
    for name, schema in expect.header_schemas:
        lines.append(
            f"for value in response.headers.get_list({name!r}):\n"
            f"    jsonschema.validate(value, {literal(dict(schema))})"
        )
    if expect.body_schema is not None:
        lines.append(f"jsonschema.validate(response.json(), {literal(dict(expect.body_schema))})")
    return lines


def assertion_lines(expect: Expectation) -> list[str]:
    lines = []
    if expect.statuses:
        wanted = expect.statuses[0] if len(expect.statuses) == 1 else expect.statuses
        operator = "==" if len(expect.statuses) == 1 else "in"
        lines.append(f"assert response.status_code {operator} {wanted!r}, response.text")
    else:
        lines.append("assert response.status_code < 500, response.text")
    held = answer_lines(expect)
    if expect.when_status is not None and held:
        lines.append(f"if response.status_code == {expect.when_status}:")
        held = ["    " + line for chunk in held for line in chunk.split("\n")]
    lines += held
    if expect.page is not None:
        results, total, key = expect.members
        keys, count = expect.page
        lines += [
            "body = response.json()",
            f"assert [item[{key!r}] for item in body{access(results)}] == {literal(list(keys))}",
            f"assert body{access(total)} == {count!r}",
        ]
    if expect.same_as is not None:
        params = f", params={list(expect.same_as)!r}" if expect.same_as else ""
        lines += [
            f"without = httpx.get(BASE_URL + {expect.path!r}{params}, auth=AUTH)",
            "assert (response.status_code, response.json()) == "
            "(without.status_code, without.json())",
        ]
    if expect.item is not None:
        where, values = expect.item
        lines += [
            f"item = response.json(){access(where)}",
            f"assert {{name: item.get(name) for name in {sorted(values)!r}}} == "
            f"{literal(dict(sorted(values.items())))}",
        ]
    return lines


def printable(text: str) -> str:
    """`text` safe inside a docstring: backslashes doubled, unprintable characters escaped."""
    text = text.replace(BACKSLASH, BACKSLASH * 2).replace(QUOTES, "'''")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def relation_lines(relation: Relation) -> list[str]:
    """Reading every page of each query, then the relation's assertion."""
    listing = relation.listing
    lines = [
        "def listing(params, size):",
        '    """Every page of a query, `size` items a page (the size the run read it with):',
        '    (its items, the total of its first page)."""',
        "    items, total = [], None",
        f"    for _ in range({REPLAY_PAGES}):  # a server that never ends its listing",
        f"        paged = [*params, ({listing.step!r}, str(size)), "
        f"({listing.offset!r}, str(len(items)))]",
        f"        response = httpx.get(BASE_URL + {listing.path!r}, params=paged, auth=AUTH)",
        "        assert response.status_code == 200, response.text",
        "        body = response.json()",
        f"        page, count = body{access(listing.results)}, body{access(listing.total)}",
        "        total = count if total is None else total",
        "        items += page",
        f"        if not page or len(items) >= count or len(items) > {100 * listing.size}:",
        "            break",
        "    return items, total",
        "",
        "def keys(result):",
        f"    return [str(item[{listing.key!r}]) for item in result[0]]",
        "",
    ]
    names = "abcdefgh"
    sizes = relation.sizes or (listing.size,) * len(relation.queries)
    for name, params, size in zip(names, relation.queries, sizes, strict=False):
        lines.append(f"{name} = listing({literal(list(params))}, {size})")
    if relation.key is not None:
        lines.append(f"KEY = {str(relation.key)!r}")
    lines.append(RELATIONS[relation.kind])
    return lines


def source(finding: Finding, expect: Expectation, shown: str) -> str:
    """The pytest file of one finding; `shown` is where it is written, for the command."""
    if expect.relation is not None:
        body = relation_lines(expect.relation)
    else:
        body = request_lines(expect) + assertion_lines(expect)
    imports = ["import os", "", "import httpx"]
    if expect.authorization is not None and "base64" in "\n".join(expect.authorization.python()):
        imports.insert(0, "import base64")
    if expect.body_schema is not None or expect.header_schemas:
        imports.append("import jsonschema")
    indented = "\n".join(
        "    " + line if line else "" for chunk in body for line in chunk.split("\n")
    )
    return f'''"""Replays a finding of `make conformance`: it fails while the server breaks the rule
and passes once it is fixed. Run it with BASE_URL (the API's URL, with its path) and
AUTH=user:password exported:

    pytest {shown}

The finding:
[{finding.check}] {printable(finding.message)}
"""

{chr(10).join(imports)}

BASE_URL = os.environ["BASE_URL"].rstrip("/")
AUTH = tuple(os.environ["AUTH"].split(":", 1))


def test_{slug(finding.check)}() -> None:
{indented}
'''


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def write_replays(findings: Sequence[Finding], reports: Path) -> Iterator[Path]:
    """One file per finding that knows its request, in reports/replays/ (emptied first, so
    no replay of an earlier run lingers)."""
    folder = reports / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.expectation is None:
            continue
        name = slug(finding.check)
        counts[name] = counts.get(name, 0) + 1
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"test_{name}_{counts[name]}.py"
        path.write_text(source(finding, finding.expectation, display_path(path)), "utf-8")
        yield path

"""Findings as tests: each finding of the property checks becomes a small pytest file that
sends the request that showed it and asserts what the spec promises for it, so it fails while
the server breaks the rule and passes once it is fixed. The files read BASE_URL (with the
API's path) and AUTH (user:password) from the environment, never hold a credential, and need
only httpx and jsonschema (and, for near-miss credentials, this package's list of them)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from contract.layout import display_path

if TYPE_CHECKING:
    from contract.conformance.properties import Finding

FOLDER: Final = "replays"
# How a replay authenticates: the real credentials from $AUTH, none, or a bad credential made
# from $AUTH (its label in bad_authorizations), so that no file holds any part of them.
WITH_AUTH, WITHOUT_AUTH, BAD = "auth", "none", "bad:"
BACKSLASH, QUOTES = chr(92), chr(34) * 3


@dataclass(frozen=True)
class Expectation:
    """One request and what a correct server answers to it: the rule a replay asserts."""

    path: str  # below BASE_URL, percent-encoded, with a query string of its own if any
    params: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    credentials: str = WITH_AUTH
    statuses: tuple[int, ...] = ()  # the answer's status is one of these (none: any but 5xx)
    page: tuple[tuple[Any, ...], int] | None = None  # the keys of the page, in order, and total
    members: tuple[tuple[str, ...], tuple[str, ...], str] = ((), (), "")  # results, total, key
    challenge: bool = False  # a WWW-Authenticate header names the Basic scheme
    body_schema: Mapping[str, Any] | None = None  # the body fits it
    media_type: str | None = None  # of the answer's Content-Type
    headers: tuple[str, ...] = ()  # the answer has these headers
    # Only an answer of this status is held to the media type, headers, challenge and body
    # schema: a correct server may answer the request with another documented status.
    when_status: int | None = None
    same_as: tuple[tuple[str, str], ...] | None = None  # the same answer as to these params
    item: tuple[tuple[str, ...], Mapping[str, Any]] | None = None  # at this member, these values


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
    if expect.credentials == WITH_AUTH:
        auth = ", auth=AUTH"
    elif expect.credentials.startswith(BAD):
        auth = ", headers=headers"
    else:
        auth = ""
    lines = []
    if expect.credentials.startswith(BAD):
        label = expect.credentials.removeprefix(BAD)
        lines += [
            "from contract.conformance.properties import bad_authorizations",
            "",
            "bad = {b.label: b for b in bad_authorizations(*AUTH)}" + f"[{label!r}]",
            'headers = {"Authorization": bad.authorization}',
        ]
    call = "httpx.get(" if expect.method == "GET" else f"httpx.request({expect.method!r}, "
    lines.append(f"response = {call}BASE_URL + {expect.path!r}{params}{auth})")
    return lines


def answer_lines(expect: Expectation) -> list[str]:
    """The assertions on the answer's media type, headers, challenge and body."""
    lines: list[str] = []
    if expect.media_type is not None:
        lines.append(
            'media_type = response.headers.get("Content-Type", "").split(";")[0].strip()\n'
            f"assert media_type == {expect.media_type!r}, media_type"
        )
    for header in expect.headers:
        lines.append(f"assert {header!r} in response.headers, response.headers")
    if expect.challenge:
        lines.append(
            'challenges = response.headers.get_list("WWW-Authenticate")\n'
            'assert any(c.strip().lower().startswith("basic") for c in challenges), challenges'
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


def source(finding: Finding, expect: Expectation, shown: str) -> str:
    """The pytest file of one finding; `shown` is where it is written, for the command."""
    body = request_lines(expect) + assertion_lines(expect)
    imports = ["import os", "", "import httpx"]
    if expect.body_schema is not None:
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

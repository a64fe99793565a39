"""The client's iterators page the way each list operation's x-pagination says: generated for
the two-resource fixture, `iter_list_segments` sends `start`/`limit` and reads `segments` and
`total`, names of that declaration alone. The generated package shares its name with
generated/client, so it runs in a subprocess of its own."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from contract.docs import behaviour_rules
from contract.generate._template_declarations import declared_paging
from contract.spec.declarations import list_operations
from contract.spec.source import read_yaml

PACKAGE = "customer_interface_client"
SEGMENTS = "get /segments"

# Serves 5 segments from an httpx.MockTransport, honouring only start and limit (default 3,
# standing in for the server's default), and prints the query of every request and the codes
# iterated.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    import httpx
    from customer_interface_client import CustomerInterface

    segments = [
        {"segment_id": n, "title": f"T{n}", "code": f"c{n}", "size": n} for n in range(1, 6)
    ]
    queries = []

    def answer(request):
        query = dict(request.url.params)
        queries.append(query)
        start, limit = int(query.get("start", 0)), int(query.get("limit", 3))
        body = {"segments": segments[start : start + limit], "total": len(segments)}
        return httpx.Response(200, json=body)

    api = CustomerInterface("http://127.0.0.1/api", "u", "p", transport=httpx.MockTransport(answer))
    runs = {}
    for label, size in (("two", 2), ("default", None)):
        queries.clear()
        codes = [s.code for s in api.segments.iter_list_segments(title="T", page_size=size)]
        runs[label] = {"codes": codes, "queries": list(queries)}
    json.dump(runs, sys.stdout)
    """
)


@pytest.fixture(scope="module")
def generated(two_resources: Path) -> Path:
    return two_resources


@pytest.fixture(scope="module")
def paging(generated: Path) -> dict[str, dict[str, Any]]:
    return declared_paging(read_yaml(generated / "openapi.yaml"))


def iterators(generated: Path) -> dict[str, ast.FunctionDef]:
    """The sync facade's iter_* methods by name."""
    source = (generated / "client" / PACKAGE / "api" / "__init__.py").read_text("utf-8")
    found: dict[str, ast.FunctionDef] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("Async"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("iter_"):
                    found[item.name] = item
    return found


def words(node: ast.AST) -> set[str]:
    """Every name, attribute, keyword and argument in `node`'s code (no strings: the
    docstring may name anything)."""
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
        elif isinstance(child, ast.keyword | ast.arg) and child.arg:
            found.add(child.arg)
    return found


def test_iteration_pages_with_the_declared_parameters_and_members(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "PYTHONPATH": str(generated / "client")},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    runs = json.loads(result.stdout)

    every = [f"c{n}" for n in range(1, 6)]
    assert runs["two"]["codes"] == every
    assert [(q["start"], q["limit"]) for q in runs["two"]["queries"]] == [
        ("0", "2"),
        ("2", "2"),
        ("4", "2"),
    ]
    # No page size given: the server's default, and the offset advances by what came back.
    assert runs["default"]["codes"] == every
    assert [q["start"] for q in runs["default"]["queries"]] == ["0", "3"]
    assert not any("limit" in q for q in runs["default"]["queries"])
    assert all(q["title"] == "T" for run in runs.values() for q in run["queries"])


def test_an_iterator_exists_exactly_for_each_declared_list(
    generated: Path, paging: dict[str, dict[str, Any]]
) -> None:
    assert sorted(iterators(generated)) == ["iter_list_event_groups", "iter_list_segments"]
    assert len(paging) == 2


def test_the_segments_iterator_names_only_its_own_declaration(
    generated: Path, paging: dict[str, dict[str, Any]]
) -> None:
    segments = paging.pop(SEGMENTS)
    own = {segments["skip"], segments["step"], *segments["results"], *segments["total"]}
    others = {
        name
        for declared in paging.values()
        for name in (declared["skip"], declared["step"], *declared["results"], *declared["total"])
    } - own
    method = iterators(generated)["iter_list_segments"]

    assert others, "the fixture's other list should page differently"
    assert own <= words(method)
    assert not others & words(method)


def test_the_page_size_defaults_to_the_servers_own(generated: Path) -> None:
    for name, method in iterators(generated).items():
        (default,) = [
            value
            for arg, value in zip(method.args.kwonlyargs, method.args.kw_defaults, strict=True)
            if arg.arg == "page_size"
        ]
        assert isinstance(default, ast.Constant), name
        assert default.value is None, name


def test_the_client_readme_states_each_lists_declared_behaviour(generated: Path) -> None:
    readme = (generated / "client" / "README.md").read_text("utf-8")

    lists = list_operations(read_yaml(generated / "openapi.yaml"))
    for resource in lists.values():
        assert behaviour_rules(resource) in readme, resource.operation_id
    assert len(lists) == 2

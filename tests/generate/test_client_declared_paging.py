"""The client's `list` methods page the way each list operation's x-pagination says: generated
for the two-resource fixture, `api.segments.list` sends `start`/`limit` and reads `segments` and
`total`, names of that declaration alone, and every method bears the name client_names.py
gives it. The generated package shares its name with generated/client, so it runs in a
subprocess of its own."""

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
from contract.generate.client_names import client_methods
from contract.spec.declarations import list_operations
from contract.spec.source import read_yaml

PACKAGE = "customer_interface_client"
SEGMENTS = "get /segments"

# Serves 5 segments from an httpx.MockTransport, honouring only start and limit (capped at 3,
# as a server may cap the page size), and prints the query of every request and the codes
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
        start, limit = int(query.get("start", 0)), min(int(query.get("limit", 3)), 3)
        body = {"segments": segments[start : start + limit], "total": len(segments)}
        return httpx.Response(200, json=body)

    api = CustomerInterface("http://127.0.0.1/api", "u", "p", transport=httpx.MockTransport(answer))
    runs = {}
    for label, sizes in (("two", {"limit": 2}), ("default", {})):
        queries.clear()
        codes = [s.code for s in api.segments.list(title="T", **sizes)]
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


def methods(generated: Path, *, raw: bool = False) -> dict[str, dict[str, ast.FunctionDef]]:
    """The sync facade's methods by group (`segments`) and name; with `raw`, those of its
    `with_raw_response`, which send and parse."""
    source = (generated / "client" / PACKAGE / "api" / "__init__.py").read_text("utf-8")
    classes = {
        node.name: node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("Async")
    }
    (client,) = [
        node for name, node in classes.items() if not name.endswith(("Api", "ApiWithRawResponse"))
    ]
    init = next(f for f in client.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
    groups = {  # self.<group> = <Class>Api(self._connection)
        node.targets[0].attr: node.value.func.id
        for node in ast.walk(init)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Attribute)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in classes
    }
    return {
        group: {
            item.name: item
            for item in classes[name + ("WithRawResponse" if raw else "")].body
            if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
        }
        for group, name in groups.items()
    }


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
    # The declared default page size (20), capped by the server at 3: the next page starts
    # after the items that came back, not after the size asked for.
    assert runs["default"]["codes"] == every
    assert [(q["start"], q["limit"]) for q in runs["default"]["queries"]] == [
        ("0", "20"),
        ("3", "20"),
    ]
    assert all(q["title"] == "T" for run in runs.values() for q in run["queries"])


def test_every_method_bears_the_name_the_declarations_give_it(generated: Path) -> None:
    """`list` for each declared list, `retrieve` for the detail operation its link names, the
    operationId's name for the rest; the facade has no other public method."""
    expected: dict[str, set[str]] = {}
    for called in client_methods(read_yaml(generated / "openapi.yaml")).values():
        expected.setdefault(called.group, set()).add(called.name)

    assert {group: set(found) for group, found in methods(generated).items()} == expected
    assert expected == {"event_groups": {"list", "retrieve"}, "segments": {"list", "retrieve"}}


def test_the_segments_list_names_only_its_own_declaration(
    generated: Path, paging: dict[str, dict[str, Any]]
) -> None:
    segments = paging.pop(SEGMENTS)
    own = {segments["skip"], segments["step"], *segments["results"], *segments["total"]}
    others = {
        name
        for declared in paging.values()
        for name in (declared["skip"], declared["step"], *declared["results"], *declared["total"])
    } - own
    method = methods(generated, raw=True)["segments"]["list"]  # the plain one passes them on

    assert others, "the fixture's other list should page differently"
    assert own <= words(method)
    assert not others & words(method)


def test_the_client_readme_states_each_lists_declared_behaviour(generated: Path) -> None:
    readme = (generated / "client" / "README.md").read_text("utf-8")

    lists = list_operations(read_yaml(generated / "openapi.yaml"))
    for resource in lists.values():
        assert behaviour_rules(resource) in readme, resource.operation_id
    assert len(lists) == 2

"""The client's method names come from the declarations: `list` and `retrieve` where they cover
an operation, the operationId's name elsewhere, and a clash of two names in one group is a lint
error that names both operations, never a client whose second method silently replaces the
first."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract.errors import LintError
from contract.generate import generate
from contract.generate._client_checks import client_problems
from contract.generate.client_names import client_methods, group_name, python_name
from contract.layout import GENERATED_DIR
from contract.spec.declarations import EVERY_OPERATION
from contract.spec.source import read_yaml

STATISTICS = "/event-groups/{event_group_id}/statistics"


def with_statistics(operation_id: str) -> dict[str, Any]:
    """The bundled spec with one more operation, which no declaration covers."""
    document: dict[str, Any] = copy.deepcopy(read_yaml(GENERATED_DIR / "openapi.yaml"))
    detail = document["paths"]["/event-groups/{event_group_id}"]["get"]
    # What every operation declares (how it reads its query and reports errors): the detail's.
    declared = {key: detail[key] for key in EVERY_OPERATION}
    document["paths"][STATISTICS] = {
        "parameters": [{"$ref": "#/components/parameters/event_group_id"}],
        "get": {
            "operationId": operation_id,
            "summary": "Count the events of a group",
            "description": "How many events the group has recorded.",
            "tags": ["Event groups"],
            "responses": {
                "200": {
                    "description": "The count.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["events"],
                                "properties": {"events": {"type": "integer"}},
                            },
                            "example": {"events": 3},
                        }
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
            **declared,
        },
    }
    return document


def test_the_event_groups_operations_are_list_and_retrieve() -> None:
    methods = client_methods(read_yaml(GENERATED_DIR / "openapi.yaml"))

    assert {key: (m.group, m.name, m.role) for key, m in methods.items()} == {
        "get /event-groups": ("event_groups", "list", "list"),
        "get /event-groups/{event_group_id}": ("event_groups", "retrieve", "retrieve"),
    }


def test_an_operation_no_declaration_covers_keeps_its_operation_ids_name() -> None:
    methods = client_methods(with_statistics("getEventGroupStatistics"))

    called = methods[f"get {STATISTICS}"]
    assert (called.group, called.name, called.role) == (
        "event_groups",
        "get_event_group_statistics",
        None,
    )
    assert python_name("getEventGroupStatistics") == "get_event_group_statistics"
    assert group_name("Event groups") == "event_groups"


@pytest.mark.parametrize("operation_id", ["retrieve", "Retrieve"])
def test_a_name_two_operations_of_a_group_would_share_is_a_lint_error(operation_id: str) -> None:
    with pytest.raises(LintError) as raised:
        client_methods(with_statistics(operation_id))

    message = str(raised.value)
    assert "api.event_groups.retrieve" in message
    assert f"{operation_id} (get {STATISTICS})" in message
    assert "getEventGroup (get /event-groups/{event_group_id})" in message


def test_an_operation_id_python_reserves_is_no_clash_with_list() -> None:
    assert client_methods(with_statistics("list"))[f"get {STATISTICS}"].name == "list_"


def test_the_generated_client_calls_the_undeclared_operation_by_that_name(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(with_statistics("getEventGroupStatistics")), "utf-8")
    generate(spec, tmp_path / "generated")
    script = textwrap.dedent(
        """
        import httpx
        from customer_interface_client import CustomerInterface

        def answer(request):
            return httpx.Response(200, json={"events": len(request.url.path)})

        transport = httpx.MockTransport(answer)
        api = CustomerInterface("http://127.0.0.1/v1", "u", "p", transport=transport)
        print(sorted(m for m in dir(api.event_groups) if not m.startswith("_")))
        print(api.event_groups.get_event_group_statistics("abc").events)
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "generated" / "client")},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    names, events = result.stdout.splitlines()
    assert names == "['get_event_group_statistics', 'list', 'retrieve', 'with_raw_response']"
    assert events == str(len("/v1/event-groups/abc/statistics"))


@pytest.mark.parametrize("name", ["timeout", "max_retries", "extra_query"])
def test_a_parameter_named_like_a_per_call_option_is_refused_at_its_place(
    name: str, tmp_path: Path
) -> None:
    document = copy.deepcopy(read_yaml(GENERATED_DIR / "openapi.yaml"))
    document["components"]["parameters"]["text_id"]["name"] = name  # a query filter
    root = tmp_path / "openapi.json"
    root.write_text(json.dumps(document), "utf-8")

    (problem,) = client_problems(root)

    assert problem.rule == "client-parameter-name"
    assert problem.location.pointer == "/components/parameters/text_id/name"
    assert f"`{python_name(name)}` in the client" in problem.message


def test_a_success_the_facade_cannot_return_as_a_model_is_refused_at_its_place(
    tmp_path: Path,
) -> None:
    document = with_statistics("getEventGroupStatistics")
    statistics = document["paths"][STATISTICS]["get"]["responses"]
    statistics["200"]["content"]["application/json"]["schema"] = {"type": "integer"}
    detail = document["paths"]["/event-groups/{event_group_id}"]["get"]["responses"]
    detail["204"] = {"description": "Nothing to say."}
    root = tmp_path / "openapi.json"
    root.write_text(json.dumps(document), "utf-8")

    found = {(p.location.pointer, p.rule) for p in client_problems(root)}

    assert found == {
        ("/paths/~1event-groups~1{event_group_id}/get/responses", "client-success-body"),
        (
            "/paths/~1event-groups~1{event_group_id}~1statistics/get/responses/200",
            "client-success-body",
        ),
    }

"""The reference server takes its request rules from the spec: what the spec says is what it
enforces, and a change to the spec changes the server (or stops it at startup when the change
needs code the server does not have)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from contract.spec.declarations import ERROR_REPORTING, EVERY_OPERATION
from reference_server.app import create_app
from reference_server.errors import SpecRulesError
from reference_server.spec_rules import load_rules, rules_from_document
from tests.support import spec_facts
from tests.support.server_client import InProcessClient

SpecChange = Callable[[dict[str, Any]], None]


def changed_spec(change: SpecChange) -> dict[str, Any]:
    document = copy.deepcopy(spec_facts.SPEC)
    change(document)
    return document


def server_for(change: SpecChange) -> InProcessClient:
    return InProcessClient(create_app(rules=rules_from_document(changed_spec(change))))


def test_the_prefix_is_the_path_of_the_spec_server_url() -> None:
    assert load_rules().prefix == spec_facts.PREFIX == "/rest-api/customer-interface/v1.0"


def test_every_operation_of_the_spec_is_served_with_its_parameters_and_schemas() -> None:
    rules = load_rules()

    served = {(op.method, op.path): op for op in rules.operations}
    for path, item in spec_facts.SPEC["paths"].items():
        operation = served[("GET", path)]
        assert operation.operation_id == item["get"]["operationId"]
        assert [(p.name, p.location, p.schema) for p in operation.parameters] == [
            (p["name"], p["in"], p["schema"]) for p in spec_facts.parameters(path)
        ]
    assert len(served) == len(spec_facts.SPEC["paths"])


def test_error_titles_and_the_challenge_come_from_the_spec_examples() -> None:
    rules = load_rules()
    responses = spec_facts.resolve(spec_facts.SPEC["components"]["responses"])
    for response in responses.values():
        for example in response["content"]["application/json"]["examples"].values():
            assert rules.error_titles[example["value"]["status"]] == example["value"]["title"]

    assert rules.challenge == spec_facts.unauthorized_challenge()


def test_a_new_bound_in_the_spec_is_enforced() -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["count"]["schema"].update(maximum=5, default=3)

    api = server_for(change)

    assert api.get("/event-groups?count=5").status_code == 200
    assert api.get("/event-groups?count=6").json()["invalid_params"] == [
        {"name": "count", "reason": "must be at most 5"}
    ]


def test_a_new_default_in_the_spec_is_applied() -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["count"]["schema"]["default"] = 2

    assert len(server_for(change).list()["data"]["event_groups"]) == 2


def test_a_sort_field_removed_from_the_spec_is_rejected() -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["EventGroupSortField"]["enum"].remove("state")
        del document["paths"]["/event-groups"]["get"]["x-sorting"]["fields"]["state"]
        del document["paths"]["/event-groups"]["get"]["x-sorting"]["collation"]["state"]

    api = server_for(change)

    assert api.get("/event-groups?sort_field=name").status_code == 200
    assert api.get("/event-groups?sort_field=state").status_code == 400


def test_a_new_server_path_moves_every_route() -> None:
    def change(document: dict[str, Any]) -> None:
        document["servers"][0]["url"] = "https://{projectURL}/api/v2/"

    api = server_for(change)

    assert api.get("/event-groups", prefix="/api/v2").status_code == 200
    assert api.get("/event-groups").status_code == 404


def add_query_parameter(document: dict[str, Any]) -> None:
    get = document["paths"]["/event-groups"]["get"]
    get["parameters"].append({"name": "colour", "in": "query", "schema": {"type": "string"}})


def add_header_parameter(document: dict[str, Any]) -> None:
    get = document["paths"]["/event-groups"]["get"]
    get["parameters"].append({"name": "X-Tenant", "in": "header", "schema": {"type": "string"}})


def add_boolean_parameter(document: dict[str, Any]) -> None:
    get = document["paths"]["/event-groups"]["get"]
    get["parameters"].append({"name": "colour", "in": "query", "schema": {"type": "boolean"}})


def add_operation(document: dict[str, Any]) -> None:
    listing = document["paths"]["/event-groups"]["get"]
    document["paths"]["/event-groups"]["post"] = {
        "operationId": "createEventGroup",
        **{key: listing[key] for key in EVERY_OPERATION if key != ERROR_REPORTING},
    }


def add_sort_field(document: dict[str, Any]) -> None:
    document["components"]["schemas"]["EventGroupSortField"]["enum"].append("colour")


def use_another_scheme(document: dict[str, Any]) -> None:
    document["components"]["securitySchemes"]["basicAuth"] = {"type": "http", "scheme": "bearer"}


def drop_the_challenge(document: dict[str, Any]) -> None:
    del document["components"]["responses"]["Unauthorized"]["headers"]


def break_a_default(document: dict[str, Any]) -> None:
    document["components"]["parameters"]["count"]["schema"]["default"] = 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (add_query_parameter, "query parameter 'colour' has no declared meaning"),
        (add_header_parameter, "parameters in header are not supported"),
        (add_boolean_parameter, "type 'boolean' is not supported"),
        (add_operation, "createEventGroup'\\] are neither a list declared"),
        (add_sort_field, "allows \\[.*'colour'\\], the declaration"),
        (use_another_scheme, "not HTTP Basic"),
        (drop_the_challenge, "WWW-Authenticate"),
        (break_a_default, "default breaks its own schema"),
    ],
)
def test_a_spec_change_the_server_cannot_serve_stops_it_at_startup(
    change: SpecChange, message: str
) -> None:
    with pytest.raises(SpecRulesError, match=message):
        create_app(rules=rules_from_document(changed_spec(change)))

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from customer_interface_client import models
from pydantic import BaseModel, ValidationError

from tests.support.spec_facts import SPEC, documented_list, resolve


def response_examples() -> Iterator[Any]:
    """The model class and example value of every JSON response example, one param each."""
    for item in SPEC["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                media = resolve(response)["content"]["application/json"]
                model_name = media["schema"]["title"]  # the generated class is named after it
                for name, example in media["examples"].items():
                    value = resolve(example)["value"]
                    yield pytest.param(
                        getattr(models, model_name),
                        value,
                        id=f"{operation['operationId']}-{status}-{name}",
                    )


@pytest.mark.parametrize(("model", "value"), list(response_examples()))
def test_models_parse_every_response_example_of_the_spec(
    model: type[BaseModel], value: Any
) -> None:
    parsed = model.model_validate(value)

    assert parsed.model_dump(mode="json", exclude_none=True) == value


def test_the_providers_documented_bodies_parse() -> None:
    detail = resolve(SPEC["components"]["examples"]["event-group"])["value"]

    page = models.EventGroupListResponse.model_validate(documented_list())
    group = models.EventGroupResponse.model_validate(detail)

    assert page.data.total_items == 4
    assert [g.text_id for g in page.data.event_groups] == [
        "shopping_cart",
        "tasks",
        "points",
        "shipments",
    ]
    # The page prints the detail's id one character short; the example shows the listed id.
    assert group.data.event_group_id == page.data.event_groups[0].event_group_id


@pytest.mark.parametrize(
    ("field", "value"),
    [("state", "1"), ("state", 1.5), ("name", 7), ("event_group_id", None)],
)
def test_event_group_rejects_wrong_types(field: str, value: Any) -> None:
    body = documented_list()
    body["data"]["event_groups"][0][field] = value

    with pytest.raises(ValidationError, match=field):
        models.EventGroupListResponse.model_validate(body)


@pytest.mark.parametrize("field", ["event_group_id", "name", "text_id", "state"])
def test_event_group_rejects_a_missing_field(field: str) -> None:
    body = documented_list()
    del body["data"]["event_groups"][1][field]

    with pytest.raises(ValidationError, match=field):
        models.EventGroupListResponse.model_validate(body)


def test_list_rejects_a_missing_envelope_or_total() -> None:
    body = documented_list()
    with pytest.raises(ValidationError):
        models.EventGroupListResponse.model_validate(body["data"])
    del body["data"]["total_items"]
    with pytest.raises(ValidationError, match="total_items"):
        models.EventGroupListResponse.model_validate(body)


def test_unknown_properties_are_kept_as_the_spec_allows_them() -> None:
    body = documented_list()
    body["data"]["color"] = "red"
    body["data"]["event_groups"][0]["owner"] = {"id": 7}

    parsed = models.EventGroupListResponse.model_validate_json(json.dumps(body))

    assert parsed.data.model_extra == {"color": "red"}
    assert parsed.data.event_groups[0].model_extra == {"owner": {"id": 7}}
    assert parsed.model_dump(mode="json") == body  # nothing read is lost on the way back

"""The generated client against the reference server over real HTTP on loopback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from customer_interface_client import Client
from customer_interface_client.api.event_groups import get_event_group, list_event_groups
from customer_interface_client.models import (
    Error,
    EventGroupListResponse,
    EventGroupResponse,
    EventGroupSortField,
    SortDirection,
)

from contract.conformance.live_server import LiveServer
from tests.support.spec_facts import documented_list

DOCUMENTED: list[dict[str, Any]] = documented_list()["data"]["event_groups"]


@pytest.fixture
def client(live_server: LiveServer) -> Client:
    return Client(
        base_url=live_server.base_url,
        httpx_args={"auth": live_server.auth},
        raise_on_unexpected_status=True,
    )


def test_list_without_parameters_returns_the_documented_groups(client: Client) -> None:
    with client:
        page = list_event_groups.sync(client=client)

    assert isinstance(page, EventGroupListResponse)
    assert [group.model_dump(mode="json") for group in page.data.event_groups] == DOCUMENTED
    assert page.data.total_items == len(DOCUMENTED)


def test_list_sends_every_parameter_and_the_server_applies_them(client: Client) -> None:
    with client:
        page = list_event_groups.sync(
            client=client,
            count=2,
            offset=1,
            sort_field=EventGroupSortField.NAME,
            sort_direction=SortDirection.DESC,
            name="S",
        )
        exact = list_event_groups.sync(client=client, text_id="points", name="oint", count=1)

    by_name_desc = sorted(DOCUMENTED, key=lambda g: g["name"], reverse=True)
    assert isinstance(page, EventGroupListResponse)
    assert [g.name for g in page.data.event_groups] == [g["name"] for g in by_name_desc[1:3]]
    assert page.data.total_items == len(DOCUMENTED)
    assert isinstance(exact, EventGroupListResponse)
    assert [g.text_id for g in exact.data.event_groups] == ["points"]
    assert exact.data.total_items == 1


def test_detail_returns_the_listed_group(client: Client) -> None:
    with client:
        detail = get_event_group.sync(client=client, event_group_id=DOCUMENTED[1]["event_group_id"])

    assert isinstance(detail, EventGroupResponse)
    assert detail.data.model_dump(mode="json") == DOCUMENTED[1]


def test_unknown_id_gives_the_error_model_with_404(client: Client) -> None:
    with client:
        response = get_event_group.sync_detailed(client=client, event_group_id="no-such-group")

    assert response.status_code == 404
    assert isinstance(response.parsed, Error)
    assert response.parsed.status == 404


@pytest.mark.parametrize(
    "auth", [None, httpx.BasicAuth("live-user", "wrong")], ids=["none", "wrong"]
)
def test_missing_or_wrong_credentials_give_the_error_model_with_401(
    live_server: LiveServer, auth: httpx.BasicAuth | None
) -> None:
    client = Client(base_url=live_server.base_url, httpx_args={"auth": auth})
    with client:
        response = list_event_groups.sync_detailed(client=client)

    assert response.status_code == 401
    assert isinstance(response.parsed, Error)
    assert response.headers["WWW-Authenticate"].startswith("Basic")

"""The client's high-level facade against the reference server, sync and async: unwrapped
models, typed errors, iteration over every page, and the README's quick start as pasted."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from customer_interface_client import (
    AsyncCustomerInterface,
    BadRequestError,
    CustomerInterface,
    NotFoundError,
    UnauthorizedError,
)
from customer_interface_client.models import EventGroupSortField, SortDirection

from contract.conformance.live_server import LiveServer, start_live_server
from contract.layout import GENERATED_DIR
from tests.support.spec_facts import documented_list

DOCUMENTED: list[dict[str, Any]] = documented_list()["data"]["event_groups"]
T = TypeVar("T")


def run(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(coroutine())


@pytest.fixture
def api(live_server: LiveServer) -> CustomerInterface:
    return CustomerInterface(live_server.base_url, live_server.user, live_server.password)


def test_list_returns_the_success_model_unwrapped(api: CustomerInterface) -> None:
    with api:
        page = api.event_groups.list_event_groups(
            sort_field=EventGroupSortField.NAME, sort_direction=SortDirection.DESC, count=2
        )

    names = sorted((g["name"] for g in DOCUMENTED), reverse=True)[:2]
    assert [g.name for g in page.data.event_groups] == names
    assert page.data.total_items == len(DOCUMENTED)


def test_iteration_yields_every_group_across_pages_in_order(api: CustomerInterface) -> None:
    with api:
        groups = list(api.event_groups.iter_list_event_groups(page_size=1))
        filtered = list(api.event_groups.iter_list_event_groups(name="S", text_id="tasks"))

    assert [g.to_dict() for g in groups] == DOCUMENTED
    assert [g.text_id for g in filtered] == ["tasks"]


def test_detail_returns_the_group(api: CustomerInterface) -> None:
    with api:
        group = api.event_groups.get_event_group(DOCUMENTED[2]["event_group_id"])

    assert group.data.to_dict() == DOCUMENTED[2]


def test_errors_are_typed_and_carry_the_parsed_error_body(api: CustomerInterface) -> None:
    with api:
        with pytest.raises(NotFoundError) as missing:
            api.event_groups.get_event_group("no-such-group")
        with pytest.raises(BadRequestError) as invalid:
            api.event_groups.list_event_groups(count=0)

    assert missing.value.status_code == 404
    assert missing.value.error.status == 404
    assert [p.name for p in invalid.value.error.invalid_params] == ["count"]
    assert "GET " in str(invalid.value)


def test_wrong_credentials_raise_unauthorized(live_server: LiveServer) -> None:
    with (
        CustomerInterface(live_server.base_url, live_server.user, "wrong") as api,
        pytest.raises(UnauthorizedError) as raised,
    ):
        api.event_groups.list_event_groups()

    assert raised.value.status_code == 401
    assert "wrong" not in str(raised.value)


def test_async_facade_lists_iterates_and_raises(live_server: LiveServer) -> None:
    async def scenario() -> tuple[int, list[str], int | None]:
        async with AsyncCustomerInterface(
            live_server.base_url, live_server.user, live_server.password
        ) as api:
            page = await api.event_groups.list_event_groups(count=1)
            ids = [
                g.event_group_id async for g in api.event_groups.iter_list_event_groups(page_size=3)
            ]
            try:
                await api.event_groups.get_event_group("no-such-group")
            except NotFoundError as error:
                return page.data.total_items, ids, error.status_code
        raise AssertionError("no 404")

    total, ids, status = run(scenario)

    assert total == len(DOCUMENTED)
    assert ids == [g["event_group_id"] for g in DOCUMENTED]
    assert status == 404


def test_the_readme_quick_start_runs_as_pasted_against_the_reference_server(
    tmp_path: Path,
) -> None:
    readme = (GENERATED_DIR / "client" / "README.md").read_text("utf-8")
    (snippet,) = re.findall(r"## Quick start.*?```python\n(.*?)```", readme, re.S)
    output = io.StringIO()

    # `make serve` defaults: demo / demo-password on port 8080; here on a free port.
    with start_live_server(tmp_path, user="demo", password="demo-password") as server:
        pasted = snippet.replace("http://127.0.0.1:8080", server.base_url.split("/rest-api")[0])
        with contextlib.redirect_stdout(output):
            exec(compile(pasted, "README.md", "exec"), {})

    lines = output.getvalue().splitlines()
    assert lines[0].startswith(f"{len(DOCUMENTED)} [")
    assert lines[-1].startswith("404 ")
    assert len(snippet.strip().splitlines()) <= 16

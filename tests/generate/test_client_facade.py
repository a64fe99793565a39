"""The client's high-level facade against the reference server, sync and async: unwrapped
models, typed errors, iteration over every page, and the README's quick start as pasted."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import re
import weakref
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from customer_interface_client import (
    AsyncCustomerInterface,
    BadRequestError,
    CustomerInterface,
    InvalidParameterError,
    NotFoundError,
    UnauthorizedError,
)
from customer_interface_client.models import EventGroup, EventGroupSortField, SortDirection

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


def test_list_returns_one_page_with_its_items_total_and_body(api: CustomerInterface) -> None:
    with api:
        page = api.event_groups.list(
            sort_field=EventGroupSortField.NAME, sort_direction=SortDirection.DESC, count=2
        )

    names = sorted((g["name"] for g in DOCUMENTED), reverse=True)[:2]
    assert [g.name for g in page.items] == names
    assert page.total == len(DOCUMENTED)
    assert page.offset == 0
    assert page.body.data.event_groups == page.items
    assert repr(page) == f"Page(offset=0, items=2, total={len(DOCUMENTED)})"


def test_iterating_a_list_yields_every_match_across_pages_in_order(
    api: CustomerInterface,
) -> None:
    with api:
        groups = list(api.event_groups.list(count=1))
        filtered = list(api.event_groups.list(name="S", text_id="tasks"))
        from_the_third = list(api.event_groups.list(offset=2, count=2))

    assert [g.model_dump(mode="json") for g in groups] == DOCUMENTED
    assert [g.text_id for g in filtered] == ["tasks"]
    assert [g.model_dump(mode="json") for g in from_the_third] == DOCUMENTED[2:]


def test_a_page_walks_the_pages_after_it_and_none_past_the_last(api: CustomerInterface) -> None:
    with api:
        first = api.event_groups.list(count=2)
        pages = list(first.iter_pages())
        last = pages[-1]
        with pytest.raises(RuntimeError, match="has_next_page"):
            last.next_page()

    assert [page.offset for page in pages] == list(range(0, len(DOCUMENTED), 2))
    assert [g.model_dump(mode="json") for page in pages for g in page.items] == DOCUMENTED
    assert first.has_next_page()
    assert not last.has_next_page()


def test_a_loop_over_every_match_lets_each_page_go_before_it_fetches_the_next(
    api: CustomerInterface, live_server: LiveServer
) -> None:
    """Memory stays that of about one page however many there are: no page is kept alive by
    the loop (the first one included) once the loop has moved past it."""
    seen: list[weakref.ref[Any]] = []

    def alive() -> int:
        gc.collect()
        return sum(ref() is not None for ref in seen)

    def track(fetch: Callable[[int], Any]) -> Callable[[int], Any]:
        def tracked(offset: int) -> Any:
            held = alive()
            page = fetch(offset)
            page._fetch = tracked
            seen.append(weakref.ref(page))
            counts.append(held)
            return page

        return tracked

    counts: list[int] = []
    with api:
        first = api.event_groups.list(count=1)
        first._fetch = track(first._fetch)  # and so on, page by page
        seen.append(weakref.ref(first))
        loop = iter(first)
        del first
        names = [group.name for group in loop]

    assert names == [g["name"] for g in DOCUMENTED]
    assert counts == [0] * (len(DOCUMENTED) - 1)

    async def scenario() -> list[int]:
        seen.clear()
        counts.clear()
        async with AsyncCustomerInterface(
            live_server.base_url, live_server.user, live_server.password
        ) as aapi:
            first = await aapi.event_groups.list(count=1)
            fetch = first._fetch

            async def tracked(offset: int) -> Any:
                held = alive()
                page = await fetch(offset)
                page._fetch = tracked
                seen.append(weakref.ref(page))
                counts.append(held)
                return page

            first._fetch = tracked
            seen.append(weakref.ref(first))
            loop = aiter(first)
            del first
            return [len(group.name) async for group in loop]

    assert len(run(scenario)) == len(DOCUMENTED)
    assert counts == [0] * (len(DOCUMENTED) - 1)


def test_a_read_response_is_freed_at_once_not_left_to_the_cycle_collector(
    api: CustomerInterface, live_server: LiveServer
) -> None:
    """httpx binds a response to its stream, a cycle that would keep each page's body alive
    until the cyclic collector runs; the client unbinds it, so nothing waits for that."""

    def responses() -> int:
        return sum(isinstance(o, httpx.Response) for o in gc.get_objects())

    async def walk_async() -> int:
        async with AsyncCustomerInterface(
            live_server.base_url, live_server.user, live_server.password
        ) as aapi:
            return len([group async for group in aapi.event_groups.list(count=1)])

    gc.collect()
    gc.disable()
    try:
        before = responses()
        with api:
            walked = len(list(api.event_groups.list(count=1)))
        walked += run(walk_async)
        left = responses() - before
    finally:
        gc.enable()

    assert walked == 2 * len(DOCUMENTED)
    assert left == 0


def test_enum_parameters_take_the_value_as_the_docs_spell_it(api: CustomerInterface) -> None:
    with api:
        by_member = api.event_groups.list(
            sort_field=EventGroupSortField.TEXT_ID, sort_direction=SortDirection.DESC
        )
        by_value = api.event_groups.list(sort_field="text_id", sort_direction="DESC")

    assert [g.text_id for g in by_value.items] == [g.text_id for g in by_member.items]
    assert [g.text_id for g in by_value.items] == sorted(
        (g["text_id"] for g in DOCUMENTED), reverse=True
    )


def test_a_value_no_enum_member_has_is_refused_before_sending_naming_what_is_allowed(
    api: CustomerInterface,
) -> None:
    with api, pytest.raises(InvalidParameterError) as refused:
        api.event_groups.list(sort_direction="desc")  # type: ignore[arg-type]

    assert str(refused.value) == (
        "sort_direction='desc' is none of the values it takes: 'ASC', 'DESC'"
    )
    assert isinstance(refused.value, ValueError)  # code that catches ValueError still does
    assert refused.value.request is None  # nothing was sent


def test_retrieve_returns_the_item_itself(api: CustomerInterface) -> None:
    with api:
        group = api.event_groups.retrieve(DOCUMENTED[2]["event_group_id"])

    assert isinstance(group, EventGroup)
    assert group.model_dump(mode="json") == DOCUMENTED[2]


def test_errors_are_typed_and_carry_the_parsed_error_body(api: CustomerInterface) -> None:
    with api:
        with pytest.raises(NotFoundError) as missing:
            api.event_groups.retrieve("no-such-group")
        with pytest.raises(BadRequestError) as invalid:
            api.event_groups.list(count=0)

    assert missing.value.status_code == 404
    assert missing.value.error.status == 404
    assert [p.name for p in invalid.value.error.invalid_params] == ["count"]
    assert "GET " in str(invalid.value)


def test_wrong_credentials_raise_unauthorized(live_server: LiveServer) -> None:
    with (
        CustomerInterface(live_server.base_url, live_server.user, "wrong") as api,
        pytest.raises(UnauthorizedError) as raised,
    ):
        api.event_groups.list()

    assert raised.value.status_code == 401
    assert "wrong" not in str(raised.value)


def test_what_the_caller_does_not_pass_is_read_from_the_environment(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from customer_interface_client.api import ENVIRONMENT

    assert ENVIRONMENT == {
        "base_url": "CUSTOMER_INTERFACE_BASE_URL",
        "username": "CUSTOMER_INTERFACE_USERNAME",
        "password": "CUSTOMER_INTERFACE_PASSWORD",
        "log": "CUSTOMER_INTERFACE_LOG",
    }
    monkeypatch.setenv("CUSTOMER_INTERFACE_BASE_URL", live_server.base_url)
    monkeypatch.setenv("CUSTOMER_INTERFACE_USERNAME", live_server.user)
    monkeypatch.setenv("CUSTOMER_INTERFACE_PASSWORD", live_server.password)
    with CustomerInterface() as api:
        assert api.event_groups.list().total == len(DOCUMENTED)
    with CustomerInterface(password="wrong") as api, pytest.raises(UnauthorizedError):
        api.event_groups.list()  # what is passed wins over the environment

    monkeypatch.delenv("CUSTOMER_INTERFACE_PASSWORD")
    with pytest.raises(InvalidParameterError) as missing:
        CustomerInterface()
    assert str(missing.value) == (
        "no password: pass password= or set the environment variable CUSTOMER_INTERFACE_PASSWORD"
    )


def test_async_list_is_awaited_for_a_page_or_iterated_for_every_match(
    live_server: LiveServer,
) -> None:
    async def scenario() -> tuple[int, list[str], list[str], list[str], str, int | None]:
        async with AsyncCustomerInterface(
            live_server.base_url, live_server.user, live_server.password
        ) as api:
            page = await api.event_groups.list(count=1)
            every = [g.event_group_id async for g in api.event_groups.list(count=3)]
            from_page = [g.event_group_id async for g in page]
            offsets = [str(p.offset) async for p in page.iter_pages()]
            found = await api.event_groups.retrieve(DOCUMENTED[1]["event_group_id"])
            try:
                await api.event_groups.retrieve("no-such-group")
            except NotFoundError as error:
                return page.total, every, from_page, offsets, found.name, error.status_code
        raise AssertionError("no 404")

    total, every, from_page, offsets, name, status = run(scenario)

    assert total == len(DOCUMENTED)
    assert every == from_page == [g["event_group_id"] for g in DOCUMENTED]
    assert offsets == [str(n) for n in range(len(DOCUMENTED))]
    assert name == DOCUMENTED[1]["name"]
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


def test_errors_show_and_pickle_under_the_package_not_its_private_module() -> None:
    import pickle
    import traceback

    import customer_interface_client as package

    error = package.ApiConnectionError("could not connect to http://127.0.0.1:9")

    shown = traceback.format_exception_only(error)[-1]
    assert shown.startswith("customer_interface_client.ApiConnectionError: could not connect")
    assert "_runtime" not in repr(package.NotFoundError)
    assert isinstance(pickle.loads(pickle.dumps(error)), package.ApiConnectionError)
    for name in package.__all__:
        exported = getattr(package, name)
        if isinstance(exported, type):  # shown where users import it, never a private module
            assert not any(part.startswith("_") for part in exported.__module__.split(".")), name

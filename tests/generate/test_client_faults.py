"""The client's retries, timeouts and errors against a server that misbehaves on cue."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import customer_interface_client
import httpx_retries.retry
import pytest
from customer_interface_client import (
    API_VERSION,
    ApiConnectionError,
    ApiTimeoutError,
    AsyncCustomerInterface,
    CustomerInterface,
    RateLimitedError,
    RetryPolicy,
    ServerError,
)
from customer_interface_client.models import EventGroupListResponse

from contract.layout import GENERATED_DIR
from tests.support.scripted_server import Answer, ScriptedServer, scripted_server
from tests.support.spec_facts import PREFIX, SPEC, documented_list

OK = Answer(200, json.dumps(documented_list()).encode())
UNAVAILABLE = Answer(503, b'{"status": 503, "title": "Unavailable", "detail": "busy"}')
FAST = RetryPolicy(attempts=3, backoff_factor=0.01, max_backoff=0.05)
SECRET = "s3cret-password-value"

ListCall = Callable[[ScriptedServer, RetryPolicy, float], EventGroupListResponse]


def list_sync(server: ScriptedServer, retry: RetryPolicy, timeout: float) -> EventGroupListResponse:
    with CustomerInterface(server.base_url + PREFIX, "user", SECRET, retry=retry,
                           timeout=timeout) as api:  # fmt: skip
        return api.event_groups.list(count=4).body


def list_async(
    server: ScriptedServer, retry: RetryPolicy, timeout: float
) -> EventGroupListResponse:
    async def call() -> EventGroupListResponse:
        async with AsyncCustomerInterface(server.base_url + PREFIX, "user", SECRET, retry=retry,
                                          timeout=timeout) as api:  # fmt: skip
            return (await api.event_groups.list(count=4)).body

    return asyncio.run(call())


both = pytest.mark.parametrize("call", [list_sync, list_async], ids=["sync", "async"])


@dataclass
class Waits:
    """The waits between tries, taken from httpx-retries instead of slept on the real clock:
    how long each was to be and when (time.monotonic(), the scripted server's clock) it was
    asked for."""

    seconds: list[float] = field(default_factory=list)
    asked_at: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)
        self.asked_at.append(time.monotonic())

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def between(self, server: ScriptedServer) -> bool:
        """Whether each wait came after one request and before the next."""
        times = server.times
        return len(times) == len(self.asked_at) + 1 and all(
            before <= asked <= after
            for before, asked, after in zip(times, self.asked_at, times[1:], strict=False)
        )


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Waits:
    """The retries' sleeps (time.sleep, asyncio.sleep inside httpx-retries) recorded, not slept:
    the tests see the wait the client chose without spending it."""
    recorded = Waits()
    monkeypatch.setattr(httpx_retries.retry, "time", SimpleNamespace(sleep=recorded.sleep))
    monkeypatch.setattr(httpx_retries.retry, "asyncio", SimpleNamespace(sleep=recorded.async_sleep))
    return recorded


@both
def test_503_with_retry_after_seconds_is_retried_after_the_wait(
    call: ListCall, waits: Waits
) -> None:
    with scripted_server(Answer(503, b"{}", (("Retry-After", "1"),)), OK) as server:
        page = call(server, RetryPolicy(attempts=3, max_backoff=5), 5.0)

    assert page.data.total_items == len(documented_list()["data"]["event_groups"])
    assert len(server.requests) == 2
    assert waits.seconds == [1.0]  # what Retry-After says, not the backoff
    assert waits.between(server)


@both
def test_retry_after_as_an_http_date_is_honoured(call: ListCall, waits: Waits) -> None:
    # An HTTP date has whole seconds: rounded up, it lies 2 to 3 s ahead when it is written,
    # and still more than 1 s ahead when the client reads it, however slow the machine. The
    # policy's own first backoff is at most 0.5 s.
    when = email.utils.formatdate(math.ceil(time.time()) + 2, usegmt=True)
    with scripted_server(Answer(503, b"{}", (("Retry-After", when),)), OK) as server:
        call(server, RetryPolicy(attempts=2, max_backoff=5), 5.0)

    assert len(server.requests) == 2
    assert len(waits.seconds) == 1
    assert 1.0 <= waits.seconds[0] <= 3.0
    assert waits.between(server)


@both
def test_a_reset_connection_is_retried(call: ListCall) -> None:
    with scripted_server(Answer(reset=True), OK) as server:
        page = call(server, FAST, 5.0)

    assert isinstance(page, EventGroupListResponse)
    assert len(server.requests) == 2


@both
def test_a_reset_on_every_try_raises_a_connection_error(call: ListCall) -> None:
    with scripted_server(Answer(reset=True)) as server, pytest.raises(ApiConnectionError):
        call(server, FAST, 5.0)

    assert len(server.requests) == FAST.attempts


@both
def test_a_response_slower_than_the_timeout_raises_a_timeout_error(call: ListCall) -> None:
    slow = Answer(200, OK.body, delay=1.0)
    with scripted_server(slow) as server, pytest.raises(ApiTimeoutError, match="timed out"):
        call(server, RetryPolicy.off(), 0.2)

    assert len(server.requests) == 1


@both
def test_a_slow_first_answer_is_retried_within_the_timeout(call: ListCall) -> None:
    with scripted_server(Answer(200, OK.body, delay=1.0), OK) as server:
        page = call(server, FAST, 0.3)

    assert isinstance(page, EventGroupListResponse)


@both
def test_a_429_storm_exhausts_the_retries_and_raises_rate_limited(call: ListCall) -> None:
    storm = Answer(429, b'{"status": 429, "title": "Too many", "detail": "slow down"}',
                   (("Retry-After", "0"),))  # fmt: skip
    with scripted_server(storm) as server, pytest.raises(RateLimitedError) as raised:
        call(server, FAST, 5.0)

    assert len(server.requests) == FAST.attempts
    assert raised.value.status_code == 429
    assert raised.value.error.detail == "slow down"


@both
def test_retries_switched_off_send_one_request(call: ListCall) -> None:
    with scripted_server(UNAVAILABLE, OK) as server, pytest.raises(ServerError):
        call(server, RetryPolicy.off(), 5.0)

    assert len(server.requests) == 1


def test_requests_name_the_package_its_version_and_the_apis_in_the_user_agent() -> None:
    with scripted_server(OK) as server:
        list_sync(server, FAST, 5.0)

    project = tomllib.loads((GENERATED_DIR / "client" / "pyproject.toml").read_text("utf-8"))
    client = project["project"]["version"]
    api = SPEC["info"]["version"]
    assert (client, api) == (customer_interface_client.__version__, API_VERSION)
    assert server.requests[0]["User-Agent"].startswith(
        f"customer-interface-client/{client} (API {api}; python-httpx/"
    )
    assert server.requests[0]["Authorization"].startswith("Basic ")


def test_credentials_appear_in_no_repr_log_line_or_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with scripted_server(UNAVAILABLE) as server:
        api = CustomerInterface(server.base_url + PREFIX, "user", SECRET, retry=FAST)
        with api, pytest.raises(ServerError) as raised:
            api.event_groups.list()

    error = raised.value
    seen = [repr(api), str(error), repr(error), repr(error.request), caplog.text,
            str(error.request.headers if error.request else "")]  # fmt: skip
    assert all(SECRET not in text for text in seen)
    assert error.request is not None
    assert error.request.headers["Authorization"] == "[redacted]"


def test_iteration_is_lazy_one_page_per_step() -> None:
    page = documented_list()
    page["data"]["event_groups"] = page["data"]["event_groups"][:1]
    page["data"]["total_items"] = 1000
    answer = Answer(200, json.dumps(page).encode())
    with (
        scripted_server(answer) as server,
        CustomerInterface(server.base_url + PREFIX, "user", SECRET) as api,
    ):
        first = api.event_groups.list(count=1)
        requests_for_the_first_page = len(server.requests)
        groups = iter(first)
        next(groups)
        requests_before_the_second_item = len(server.requests)
        next(groups)

    assert requests_for_the_first_page == requests_before_the_second_item == 1
    assert len(server.requests) == 2
    assert "offset=1" in server.requests[1]["request-line"]


async def first(iterator: Any) -> Any:
    return await anext(iterator)


def test_async_iteration_pages_lazily_too() -> None:
    async def run(server: ScriptedServer) -> Any:
        async with AsyncCustomerInterface(server.base_url + PREFIX, "user", SECRET) as api:
            pager = api.event_groups.list(count=1)
            sent_before_iterating = len(server.requests)
            group = await first(aiter(pager))
            return sent_before_iterating, group

    with scripted_server(OK) as server:
        sent_before_iterating, group = asyncio.run(run(server))

    assert sent_before_iterating == 0
    assert group.event_group_id == documented_list()["data"]["event_groups"][0]["event_group_id"]
    assert len(server.requests) == 1

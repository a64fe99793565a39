"""What the client offers beyond a call: its Pydantic models (unknown members kept, a body that
breaks the spec named), the raw response beside the parsed one, per-call options, an httpx
client of the caller's, and a debug log switched on from the environment."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from customer_interface_client import (
    ApiError,
    AsyncCustomerInterface,
    CustomerInterface,
    NotFoundError,
    RawResponse,
    RetryPolicy,
    ServerError,
    UnexpectedResponseError,
)
from customer_interface_client.models import Error, EventGroup, EventGroupListResponse

from contract.conformance.live_server import LiveServer
from contract.layout import GENERATED_DIR
from tests.support.spec_facts import PREFIX, documented_list

BASE_URL = f"http://127.0.0.1{PREFIX}"
PASSWORD = "conveniences-secret"
FAST = RetryPolicy(attempts=3, backoff_factor=0.001, max_backoff=0.002)
Handler = Callable[[httpx.Request], httpx.Response]


def page_body(**changes: Any) -> dict[str, Any]:
    """The documented list body, its first group changed as `changes` say."""
    body = documented_list()
    body["data"]["event_groups"][0].update(changes)
    return body


def answering(body: Any, status: int = 200, seen: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body)

    return handler


def client(handler: Handler, **options: Any) -> CustomerInterface:
    return CustomerInterface(
        BASE_URL, "user", PASSWORD, transport=httpx.MockTransport(handler), **options
    )


def test_retrieve_returns_the_packages_pydantic_model(live_server: LiveServer) -> None:
    key = documented_list()["data"]["event_groups"][1]["event_group_id"]
    with CustomerInterface(live_server.base_url, live_server.user, live_server.password) as api:
        group = api.event_groups.retrieve(key)

    assert type(group) is EventGroup
    assert isinstance(group, pydantic.BaseModel)
    assert group.model_dump() == documented_list()["data"]["event_groups"][1]
    assert group.model_fields_set == {"event_group_id", "name", "text_id", "state"}


def test_unknown_members_of_a_response_are_kept() -> None:
    with client(answering(page_body(colour="red"))) as api:
        page = api.event_groups.list()

    assert page.items[0].model_extra == {"colour": "red"}


def test_a_body_that_breaks_the_spec_raises_the_clients_error_naming_the_member() -> None:
    body = page_body(state="1")
    del body["data"]["event_groups"][2]["name"]

    with client(answering(body)) as api, pytest.raises(UnexpectedResponseError) as raised:
        api.event_groups.list()

    message = str(raised.value)
    assert "data.event_groups[0].state: Input should be a valid integer" in message
    assert "data.event_groups[2].name: Field required" in message
    assert [problem["loc"] for problem in raised.value.errors] == [
        ("data", "event_groups", 0, "state"),
        ("data", "event_groups", 2, "name"),
    ]
    assert raised.value.status_code == 200


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (201, b'{"data": {}}', "documents 200 for success, not 201"),
        (200, b"<html>maintenance</html>", "the body: Invalid JSON"),
    ],
    ids=["undocumented-status", "not-json"],
)
def test_an_answer_the_spec_does_not_describe_raises_unexpected_response(
    status: int, content: bytes, expected: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content)

    with client(handler) as api, pytest.raises(UnexpectedResponseError, match=expected):
        api.event_groups.retrieve("any")


def test_an_error_status_carries_the_error_body_as_the_packages_model() -> None:
    problem = {"status": 404, "title": "Not Found", "detail": "no such group", "trace": "x1"}
    with client(answering(problem, 404)) as api, pytest.raises(NotFoundError) as raised:
        api.event_groups.retrieve("missing")

    assert isinstance(raised.value.error, Error)
    assert raised.value.error.detail == "no such group"
    assert raised.value.error.model_extra == {"trace": "x1"}


def test_with_raw_response_gives_status_headers_and_the_parsed_model() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        group = documented_list()["data"]["event_groups"][0]
        return httpx.Response(200, json={"data": group}, headers={"X-Request-Id": "r-42"})

    with client(handler) as api:
        raw = api.event_groups.with_raw_response.retrieve("86e05affc7a7abefcd513ab400")
        group = raw.parse()

        assert isinstance(raw, RawResponse)
        assert raw.status_code == 200
        assert raw.headers["X-Request-Id"] == "r-42"
        assert raw.retries_taken == 0
        assert type(group) is EventGroup
        assert raw.parse() is group  # validated once
        assert raw.http_response.request.headers["Authorization"] == "[redacted]"
        assert PASSWORD not in repr(raw)


def test_a_raw_list_parses_to_a_page_that_pages_on(live_server: LiveServer) -> None:
    with CustomerInterface(live_server.base_url, live_server.user, live_server.password) as api:
        raw = api.event_groups.with_raw_response.list(count=3)
        page = raw.parse()

        assert raw.status_code == 200
        assert raw.headers["Content-Type"].startswith("application/json")
        assert type(page.body) is EventGroupListResponse
        assert [group.text_id for group in page] == [
            group["text_id"] for group in documented_list()["data"]["event_groups"]
        ]


def test_retries_show_in_the_raw_response_and_max_retries_sets_them_per_call() -> None:
    busy: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        busy.append(request)
        if len(busy) % 3:
            return httpx.Response(503, headers={"Retry-After": "0"}, json={})
        return httpx.Response(200, json=documented_list())

    with client(handler, retry=FAST) as api:
        raw = api.event_groups.with_raw_response.list()
        assert (raw.retries_taken, len(busy)) == (2, 3)

        with pytest.raises(ServerError):
            api.event_groups.list(max_retries=0)
        assert len(busy) == 4  # one try, no retry

        busy.clear()
        with pytest.raises(ServerError):
            api.event_groups.list(max_retries=1)
        assert len(busy) == 2


def test_per_call_timeout_headers_and_query_reach_the_request() -> None:
    seen: list[httpx.Request] = []
    with client(answering(documented_list(), seen=seen), timeout=9.0) as api:
        api.event_groups.list(name="Cart")
        api.event_groups.list(
            name="Cart",
            timeout=httpx.Timeout(1.5, connect=0.5),
            extra_headers={"X-Trace": "t-1", "user-agent": "mine"},
            extra_query={"debug": "1", "name": "Tasks"},
        )

    plain, custom = seen
    assert plain.extensions["timeout"] == httpx.Timeout(9.0).as_dict()
    assert custom.extensions["timeout"] == httpx.Timeout(1.5, connect=0.5).as_dict()
    assert "X-Trace" not in plain.headers
    assert custom.headers["X-Trace"] == "t-1"
    assert custom.headers.get_list("User-Agent") == ["mine"]  # the caller's wins, in any case
    assert dict(plain.url.params) == {"count": "100", "offset": "0", "name": "Cart"}
    assert dict(custom.url.params) == {"count": "100", "offset": "0", "name": "Tasks", "debug": "1"}


def paged(seen: list[httpx.Request]) -> Handler:
    """The documented groups, `count` of them from `offset` on."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = documented_list()
        start, count = int(request.url.params["offset"]), int(request.url.params["count"])
        body["data"]["event_groups"] = body["data"]["event_groups"][start : start + count]
        return httpx.Response(200, json=body)

    return handler


def test_later_pages_keep_the_options_of_the_call() -> None:
    seen: list[httpx.Request] = []
    with client(paged(seen)) as api:
        groups = list(api.event_groups.list(count=2, extra_headers={"X-Trace": "t-2"}))

    assert len(groups) == 4
    assert [(r.url.params["offset"], r.headers["X-Trace"]) for r in seen] == [
        ("0", "t-2"),
        ("2", "t-2"),
    ]


def test_a_secret_extra_header_is_redacted_in_the_error_too() -> None:
    problem = {"status": 400, "title": "Bad Request", "detail": "no"}
    api = client(answering(problem, 400), retry=RetryPolicy.off())
    with api, pytest.raises(ApiError) as raised:
        api.event_groups.list(extra_headers={"X-Api-Key": "key-secret", "Cookie": "c=1"})

    assert raised.value.request is not None
    assert raised.value.request.headers["X-Api-Key"] == "[redacted]"
    assert raised.value.request.headers["Cookie"] == "[redacted]"
    assert raised.value.response is not None
    assert raised.value.response.request.headers["X-Api-Key"] == "[redacted]"


def test_an_http_client_with_httpxs_own_timeout_gets_the_clients_default() -> None:
    seen: list[httpx.Request] = []
    with (
        httpx.Client(
            transport=httpx.MockTransport(answering(documented_list(), seen=seen))
        ) as mine,
        CustomerInterface(BASE_URL, "user", PASSWORD, http_client=mine) as api,
    ):
        api.event_groups.list()

    assert seen[0].extensions["timeout"] == httpx.Timeout(30.0, connect=5.0).as_dict()


def test_a_retry_policy_httpx_retries_refuses_fails_when_built_and_no_status_means_none() -> None:
    with pytest.raises(ValueError, match="max_backoff_wait must be positive"):
        RetryPolicy(max_backoff=0)
    seen: list[httpx.Request] = []

    api = client(answering({}, 503, seen=seen), retry=RetryPolicy(statuses=frozenset()))
    with api, pytest.raises(ServerError):
        api.event_groups.list()

    assert len(seen) == 1


def test_an_http_client_of_the_callers_sends_with_the_clients_auth_and_stays_open() -> None:
    seen: list[httpx.Request] = []
    hooked: list[str] = []
    mine = httpx.Client(
        transport=httpx.MockTransport(answering(documented_list(), seen=seen)),
        timeout=4.0,
        event_hooks={"request": [lambda request: hooked.append(request.url.path)]},
    )

    with CustomerInterface(BASE_URL, "user", PASSWORD, http_client=mine) as api:
        api.event_groups.list()

    (request,) = seen
    expected = base64.b64encode(f"user:{PASSWORD}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.extensions["timeout"] == httpx.Timeout(4.0).as_dict()  # its timeout
    assert hooked == [f"{PREFIX}/event-groups"]
    assert not mine.is_closed  # the caller's to close
    mine.close()


def test_async_client_takes_the_same_options_and_raw_responses() -> None:
    seen: list[httpx.Request] = []

    async def scenario() -> tuple[int, list[str]]:
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(answering(documented_list(), seen=seen))
        ) as mine:
            api = AsyncCustomerInterface(BASE_URL, "user", PASSWORD, http_client=mine)
            raw = await api.event_groups.with_raw_response.list(count=2, extra_query={"a": "b"})
            names = [group.name async for group in raw.parse()]
            await api.aclose()
            assert not mine.is_closed
            return raw.status_code, names

    status, names = asyncio.run(scenario())

    assert status == 200
    assert names == [group["name"] for group in documented_list()["data"]["event_groups"]]
    assert {request.url.params["a"] for request in seen} == {"b"}


def test_http_client_and_transport_together_are_refused() -> None:
    with pytest.raises(ValueError, match="http_client or transport, not both"):
        CustomerInterface(
            BASE_URL,
            "user",
            PASSWORD,
            http_client=httpx.Client(),
            transport=httpx.MockTransport(answering({})),
        )


LOGGING_SCRIPT = textwrap.dedent(
    """
    import logging

    import httpx
    from customer_interface_client import CustomerInterface

    def answer(request):
        return httpx.Response(200, json={"data": {"event_groups": [], "total_items": 0}},
                              headers={"Set-Cookie": "session=cookie-secret"})

    logging.basicConfig(level=logging.WARNING)  # an application's own logging
    transport = httpx.MockTransport(answer)
    with CustomerInterface("http://127.0.0.1/v1", "log-user", "log-password",
                           transport=transport) as api:
        api.event_groups.list(extra_headers={"X-Api-Key": "key-secret"})
    """
)


def run_logged(level: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT],
        env={
            **os.environ,
            "PYTHONPATH": str(GENERATED_DIR / "client"),
            "CUSTOMER_INTERFACE_LOG": level,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_log_variable_logs_each_request_to_stderr_without_a_secret() -> None:
    debug, info, unknown = run_logged("debug"), run_logged("info"), run_logged("loud")

    secrets = ["log-password", base64.b64encode(b"log-user:log-password").decode()]
    secrets += ["cookie-secret", "key-secret"]
    assert debug.returncode == info.returncode == unknown.returncode == 0, debug.stderr
    request_line = "GET http://127.0.0.1/v1/event-groups?count=100&offset=0 -> 200 OK"
    assert debug.stderr.count(request_line) == 1  # not again through the root logger
    assert "'authorization': '[redacted]'" in debug.stderr
    assert "'x-api-key': '[redacted]'" in debug.stderr
    assert "'set-cookie': '[redacted]'" in debug.stderr
    assert not [secret for secret in secrets if secret in debug.stderr]
    assert request_line in info.stderr
    assert "headers" not in info.stderr
    assert "CUSTOMER_INTERFACE_LOG='loud' is none of debug, info" in unknown.stderr
    assert request_line not in unknown.stderr


USER_CODE = textwrap.dedent(
    """
    from __future__ import annotations

    import httpx

    from customer_interface_client import CustomerInterface, Page, RawResponse
    from customer_interface_client.models import EventGroup, EventGroupListResponse


    def names(api: CustomerInterface) -> list[str]:
        group: EventGroup = api.event_groups.retrieve("86e05affc7a7abefcd513ab400")
        page: Page[EventGroupListResponse, EventGroup] = api.event_groups.list(
            count=10, sort_field="name", timeout=2.0, max_retries=1, extra_headers={"X": "y"}
        )
        raw: RawResponse[EventGroup] = api.event_groups.with_raw_response.retrieve("k")
        status: int = raw.status_code
        headers: httpx.Headers = raw.headers
        dumped: dict[str, object] = raw.parse().model_dump()
        return [group.name, *(g.name for g in page), str(status), str(len(headers)), str(dumped)]
    """
)


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module's runs: the second checks only the user's file."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy_strict(user: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """mypy --strict on `user`, which imports the client as an installed package."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(user)],
        env={**os.environ, "MYPYPATH": str(GENERATED_DIR / "client")},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=user.parent,
    )


def test_mypy_strict_accepts_annotated_user_code(tmp_path: Path, mypy_cache: Path) -> None:
    user = tmp_path / "user_code.py"
    user.write_text(USER_CODE, "utf-8")

    result = mypy_strict(user, mypy_cache)

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_misspelt_enum_value_or_a_wrong_option_fails_mypy(
    tmp_path: Path, mypy_cache: Path
) -> None:
    user = tmp_path / "user_code.py"
    user.write_text(
        USER_CODE.replace('sort_field="name"', 'sort_field="nmae"').replace(
            "max_retries=1", 'max_retries="1"'
        ),
        "utf-8",
    )

    result = mypy_strict(user, mypy_cache)

    assert result.returncode == 1
    assert '"sort_field"' in result.stdout
    assert '"max_retries"' in result.stdout

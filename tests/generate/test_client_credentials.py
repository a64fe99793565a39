"""The client's credentials stay out of everything a caller can print or keep: its errors (and
every request, response and exception they link to), the DEBUG logs of httpx, httpcore,
httpx-retries and the client, and the reprs of the client's objects. Each test is named after
the leak it proves closed, and uses a fresh random password."""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import logging
import secrets
import socket
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from customer_interface_client import (
    ApiConnectionError,
    ApiError,
    AsyncCustomerInterface,
    CustomerInterface,
    InsecureTransportWarning,
    NotFoundError,
    RetryPolicy,
    UnauthorizedError,
)
from customer_interface_client._runtime import ClientSettings

from contract.conformance.live_server import LiveServer
from tests.support.scripted_server import Answer, scripted_server
from tests.support.spec_facts import PREFIX, documented_list

USER = "leak-probe-user"
FAST = RetryPolicy(attempts=2, backoff_factor=0.01, max_backoff=0.02)
LOGGERS = ("httpx", "httpcore", "httpx_retries", "customer_interface_client")
NOT_FOUND = b'{"status": 404, "title": "Not Found", "detail": "no such event group"}'
UNAUTHORIZED = b'{"status": 401, "title": "Unauthorized", "detail": "bad credentials"}'
# Objects the walk does not enter: code and the live call stack (a traceback's frames hold the
# caller's locals, credentials included, as any Python traceback does), and shared definitions.
OPAQUE = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
)


def new_password() -> str:
    return secrets.token_urlsafe(18)


def secret_forms(user: str, password: str) -> list[str]:
    """The password as it could surface: alone, as `user:password`, and base64-encoded as the
    Basic Authorization header carries it."""
    pair = f"{user}:{password}"
    return [password, pair, base64.b64encode(pair.encode()).decode()]


def leaks(text: str | bytes, forms: list[str]) -> list[str]:
    haystack = text.decode("latin-1") if isinstance(text, bytes) else text
    return [form for form in forms if form in haystack]


def reachable(root: object) -> Iterator[object]:
    """Every object reachable from `root` through references (attributes, containers, the
    `__cause__`/`__context__` chain), except the OPAQUE kinds."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        current = pending.pop()
        if id(current) in seen or isinstance(current, OPAQUE):
            continue
        seen.add(id(current))
        yield current
        pending.extend(gc.get_referents(current))
        if isinstance(current, BaseException):
            pending.extend(link for link in (current.__cause__, current.__context__) if link)


def chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def assert_error_holds_no_credentials(error: ApiError, forms: list[str]) -> None:
    """Nothing reachable from `error` holds the password in any form: no string or bytes, no
    str() or repr(); the requests along the way are redacted copies."""
    found: list[str] = []
    for thing in reachable(error):
        if isinstance(thing, str | bytes):
            found += [f"{form!r} in a value" for form in leaks(thing, forms)]
        else:
            for show in (str, repr):
                found += [
                    f"{form!r} in {show.__name__}({type(thing).__name__})"
                    for form in leaks(show(thing), forms)
                ]
    assert found == []
    requests = [error.request] + [getattr(link, "_request", None) for link in chain(error)]
    if error.response is not None:
        requests.append(error.response.request)
    for request in requests:
        if request is not None:
            assert request.headers.get("Authorization") in (None, "[redacted]")


def assert_logs_hold_no_credentials(caplog: pytest.LogCaptureFixture, forms: list[str]) -> None:
    assert caplog.records, "nothing was logged: the loggers were not captured"
    assert leaks(caplog.text, forms) == []
    for record in caplog.records:
        assert leaks(record.getMessage(), forms) == []
        assert leaks(repr(record.args), forms) == []


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def closed_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call_sync(base_url: str, password: str, **options: Any) -> ApiError:
    with (
        CustomerInterface(base_url, USER, password, **options) as api,
        pytest.raises(ApiError) as raised,
    ):
        api.event_groups.retrieve("no-such-group")
    return raised.value


def call_async(base_url: str, password: str, **options: Any) -> ApiError:
    async def run() -> ApiError:
        async with AsyncCustomerInterface(base_url, USER, password, **options) as api:
            with pytest.raises(ApiError) as raised:
                await api.event_groups.retrieve("no-such-group")
            return raised.value

    return asyncio.run(run())


Call = Callable[..., ApiError]
both = pytest.mark.parametrize("call", [call_sync, call_async], ids=["sync", "async"])


def answering(status: int, body: bytes, seen: list[str]) -> Callable[[httpx.Request], Any]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    return handler


@both
def test_connection_refused_error_and_its_cause_chain_hold_no_credentials(
    call: Call, debug_logs: pytest.LogCaptureFixture
) -> None:
    password = new_password()
    base_url = f"http://127.0.0.1:{closed_loopback_port()}{PREFIX}"

    error = call(base_url, password, retry=FAST)

    assert isinstance(error, ApiConnectionError)
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert error.__cause__.request.headers["Authorization"] == "[redacted]"
    assert_error_holds_no_credentials(error, secret_forms(USER, password))
    assert_logs_hold_no_credentials(debug_logs, secret_forms(USER, password))


@both
@pytest.mark.parametrize(
    ("status", "body", "raised"),
    [(401, UNAUTHORIZED, UnauthorizedError), (404, NOT_FOUND, NotFoundError)],
    ids=["401", "404"],
)
def test_status_error_response_request_holds_no_credentials(
    call: Call,
    status: int,
    body: bytes,
    raised: type[ApiError],
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    password = new_password()
    forms = secret_forms(USER, password)
    sent: list[str] = []

    error = call(
        f"http://127.0.0.1{PREFIX}",
        password,
        transport=httpx.MockTransport(answering(status, body, sent)),
    )

    assert sent == [f"Basic {forms[2]}"]  # the credentials were really sent
    assert isinstance(error, raised)
    assert error.response is not None
    assert error.response.request.headers["Authorization"] == "[redacted]"
    assert error.response.json() == json.loads(body)  # the body survives the copy
    assert_error_holds_no_credentials(error, forms)
    assert_logs_hold_no_credentials(debug_logs, forms)


@both
def test_401_from_the_reference_server_leaks_no_credentials_in_error_or_debug_logs(
    call: Call, live_server: LiveServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    password = new_password()

    error = call(live_server.base_url, password, retry=FAST)

    assert isinstance(error, UnauthorizedError)
    assert_error_holds_no_credentials(error, secret_forms(USER, password))
    assert_logs_hold_no_credentials(debug_logs, secret_forms(USER, password))
    assert "send_request_headers" in debug_logs.text  # httpcore's DEBUG lines were captured


def test_404_from_the_reference_server_leaks_no_credentials_in_error_or_debug_logs(
    live_server: LiveServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    forms = secret_forms(live_server.user, live_server.password)
    with (
        CustomerInterface(live_server.base_url, live_server.user, live_server.password) as api,
        pytest.raises(NotFoundError) as raised,
    ):
        api.event_groups.retrieve("no-such-group")

    assert_error_holds_no_credentials(raised.value, forms)
    assert_logs_hold_no_credentials(debug_logs, forms)


def test_debug_logs_of_retried_and_successful_requests_hold_no_credentials(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    password = new_password()
    busy = Answer(503, b"{}", (("Retry-After", "0"),))
    ok = Answer(200, json.dumps(documented_list()).encode())
    with (
        scripted_server(busy, ok) as server,
        CustomerInterface(server.base_url + PREFIX, USER, password, retry=FAST) as api,
    ):
        api.event_groups.list(count=4)

    assert server.requests[0]["Authorization"] == f"Basic {secret_forms(USER, password)[2]}"
    assert "retrying" in debug_logs.text  # httpx-retries logged the retry
    assert "send_request_headers" in debug_logs.text  # httpcore logged the request
    assert_logs_hold_no_credentials(debug_logs, secret_forms(USER, password))


def test_client_objects_reprs_hold_no_credentials() -> None:
    password = new_password()
    forms = secret_forms(USER, password)
    base_url = f"http://127.0.0.1{PREFIX}"
    sync = CustomerInterface(base_url, USER, password)
    asynchronous = AsyncCustomerInterface(base_url, USER, password)
    settings = ClientSettings(
        base_url=base_url, username=USER, password=password, user_agent="probe", retry=FAST
    )
    shown = [
        sync,
        asynchronous,
        sync._connection,
        asynchronous._connection,
        settings,
        FAST,
        sync._connection.http_client,
        asynchronous._connection.http_client,
        sync._connection._auth,
        asynchronous._connection._auth,
        sync.event_groups,
        sync.event_groups.with_raw_response,
    ]
    try:
        for thing in shown:
            assert leaks(repr(thing), forms) == [], type(thing).__name__
            assert leaks(str(thing), forms) == [], type(thing).__name__
    finally:
        sync.close()
        asyncio.run(asynchronous.aclose())


def test_base_url_carrying_credentials_is_refused_without_echoing_them() -> None:
    password = new_password()

    with pytest.raises(ValueError, match="base_url carries credentials") as raised:
        CustomerInterface(f"http://{USER}:{password}@127.0.0.1{PREFIX}", USER, password)

    assert leaks(str(raised.value), secret_forms(USER, password)) == []


def refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the client contacted {request.url}")


@pytest.mark.parametrize("facade", [CustomerInterface, AsyncCustomerInterface])
def test_plain_http_to_another_host_warns_of_cleartext_credentials(facade: Any) -> None:
    transport = httpx.MockTransport(refuse)  # building the client sends nothing

    with pytest.warns(InsecureTransportWarning, match="unencrypted") as caught:
        facade(f"http://example.com{PREFIX}", USER, new_password(), transport=transport)

    assert issubclass(InsecureTransportWarning, UserWarning)
    assert [warning.filename for warning in caught] == [__file__]  # points at the caller


@pytest.mark.parametrize(
    ("base_url", "options"),
    [
        ("http://127.0.0.1", {}),
        ("http://127.3.4.5:8080", {}),
        ("http://[::1]:8080", {}),
        ("http://localhost:8080", {}),
        ("https://example.com", {}),
        ("http://example.com", {"allow_insecure_http": True}),
    ],
)
def test_loopback_https_or_explicitly_allowed_http_does_not_warn(
    base_url: str, options: dict[str, Any]
) -> None:
    transport = httpx.MockTransport(refuse)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CustomerInterface(
            base_url + PREFIX, USER, new_password(), transport=transport, **options
        ).close()

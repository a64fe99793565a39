"""What every fault is made of: reading a request (its query, whether it lists or looks up one
item), rewriting its query or Authorization header, rewriting or replacing the response, asking
the wrapped server itself, and serving an app on a free loopback port."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.conformance.live_server import free_port
from tests.support.spec_facts import ENVELOPE, LIST_PATH, PREFIX, RESULTS

Fault = Callable[[ASGIApp], ASGIApp]
Query = list[tuple[str, str]]
Item = dict[str, Any]
Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]  # status, headers, body
# (scope, status, headers, body) -> the status, headers and body a variant sends instead
Rewrite = Callable[[Scope, int, Headers, bytes], Reply]
SERVER_ERROR: Final = {
    "status": 500,
    "title": "Internal Server Error",
    "detail": "The server failed to answer this request.",
}


# --- reading a request ----------------------------------------------------------------------


def is_http(scope: Scope) -> bool:
    return bool(scope["type"] == "http")


def is_list(scope: Scope) -> bool:
    return is_http(scope) and str(scope["path"]).endswith(LIST_PATH)


def is_detail(scope: Scope) -> bool:
    return is_http(scope) and f"{LIST_PATH}/" in str(scope["path"])


def query_of(scope: Scope) -> Query:
    return parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)


def without(query: Query, *names: str) -> Query:
    return [(k, v) for k, v in query if k not in names]


def detail_key(scope: Scope) -> str:
    """The key a detail request asks for (the last segment of the decoded path)."""
    return str(scope["path"]).rsplit("/", 1)[1]


def to_unknown_key(scope: Scope) -> Scope:
    """The same detail request for a key that names nothing, so the server answers 404."""
    path = str(scope["path"]).rsplit("/", 1)[0] + "/no-such-group"
    return {**scope, "path": path, "raw_path": path.encode()}


def results(body: Any) -> list[Item]:
    """The items of a list body, where the spec's x-pagination puts them."""
    items: list[Item] = body[ENVELOPE][RESULTS]
    return items


# --- rewriting a request --------------------------------------------------------------------


def rewrite_query(
    change: Callable[[Query], Query], where: Callable[[Scope], bool] = is_http
) -> Fault:
    """Let `change` rewrite the query of the requests `where` picks (by default all)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if where(scope):
                query = urlencode(change(query_of(scope))).encode("latin-1")
                scope = {**scope, "query_string": query}
            await app(scope, receive, send)

        return faulty

    return wrap


def rewrite_authorization(change: Callable[[Scope, bytes | None], bytes | None]) -> Fault:
    """Replace the Authorization header by what `change` makes of it (None: no header, or
    several); a header `change` gives back unchanged stays as it came."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if is_http(scope):
                headers: Headers = list(scope["headers"])
                given = [v for k, v in headers if k.lower() == b"authorization"]
                value = given[0] if len(given) == 1 else None
                changed = change(scope, value)
                if changed is not value:
                    kept = [(k, v) for k, v in headers if k.lower() != b"authorization"]
                    added = [] if changed is None else [(b"authorization", changed)]
                    scope = {**scope, "headers": [*kept, *added]}
            await app(scope, receive, send)

        return faulty

    return wrap


# --- answering ------------------------------------------------------------------------------


async def response_of(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run `app` on one request and keep what it sends: the start message and the whole body."""
    sent: list[Message] = []

    async def keep(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, keep)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start, body


async def ask(app: ASGIApp, scope: Scope, query: Query) -> tuple[int, Any]:
    """The correct server's status and JSON body for the list request with `query`, sent by
    the client of `scope` (its credentials, its prefix)."""

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    prefix = scope["path"][: scope["path"].index(LIST_PATH)]
    inner = {**scope, "path": prefix + LIST_PATH, "raw_path": (prefix + LIST_PATH).encode()}
    inner["query_string"] = urlencode(query).encode()
    start, body = await response_of(app, inner, receive)
    return start["status"], json.loads(body)


async def respond(send: Send, status: int, body: Any) -> None:
    """Send `body` as JSON with `status`."""
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def fail_when(broken: Callable[[Scope], bool]) -> Fault:
    """A 500 (with the Error body) for the requests `broken` picks."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if is_http(scope) and broken(scope):
                await respond(send, 500, SERVER_ERROR)
                return
            await app(scope, receive, send)

        return faulty

    return wrap


def rewrite(change: Rewrite) -> Fault:
    """Buffer every response, let `change` alter its status, headers and body, send it on."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if not is_http(scope):
                await app(scope, receive, send)
                return
            start, body = await response_of(app, scope, receive)
            status, headers, body = change(scope, start["status"], list(start["headers"]), body)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", b"%d" % len(body)))
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return faulty

    return wrap


def rewrite_response(change: Callable[[int, Any], tuple[int, Any]]) -> Fault:
    """Let `change` alter the status and the JSON body of every response."""

    def apply(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
        status, value = change(status, json.loads(body))
        return status, headers, json.dumps(value).encode()

    return rewrite(apply)


# --- serving --------------------------------------------------------------------------------


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a thread; yields the base URL with the spec's prefix."""
    port = free_port()
    # A request still waiting when the block ends (a server that hangs) is cut after 1 s.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the faulty server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}{PREFIX}"
    finally:
        server.should_exit = True
        thread.join(10)

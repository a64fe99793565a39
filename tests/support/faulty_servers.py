"""Deliberately broken variants of the reference server, to prove that the conformance
harness reports each kind of fault. Each fault is a small ASGI wrapper that rewrites the
request or the JSON response of the correct server; the variant runs under uvicorn in a
thread on a free loopback port."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.conformance.live_server import free_port
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store

USER, PASSWORD = "fault-user", "fault-password"
Fault = Callable[[ASGIApp], ASGIApp]


def rewrite_query(change: Callable[[list[tuple[str, str]]], list[tuple[str, str]]]) -> Fault:
    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
                scope = {**scope, "query_string": urlencode(change(pairs)).encode("latin-1")}
            await app(scope, receive, send)

        return faulty

    return wrap


def rewrite_headers(change: Callable[[dict[bytes, bytes]], dict[bytes, bytes]]) -> Fault:
    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                scope = {**scope, "headers": list(change(dict(scope["headers"])).items())}
            await app(scope, receive, send)

        return faulty

    return wrap


Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]  # status, headers, body
# (scope, status, headers, body) -> the status, headers and body a variant sends instead
Rewrite = Callable[[Scope, int, Headers, bytes], Reply]


def rewrite(change: Rewrite) -> Fault:
    """Buffer every response, let `change` alter its status, headers and body, send it on."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                status, headers, body = change(
                    scope, start["status"], list(start["headers"]), b"".join(chunks)
                )
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", b"%d" % len(body)))
                await send({**start, "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, capture)

        return faulty

    return wrap


def rewrite_response(change: Callable[[int, Any], tuple[int, Any]]) -> Fault:
    """Let `change` alter the status and the JSON body of every response."""

    def apply(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
        status, value = change(status, json.loads(body))
        return status, headers, json.dumps(value).encode()

    return rewrite(apply)


def each_group(change: Callable[[dict[str, Any]], None]) -> Callable[[int, Any], tuple[int, Any]]:
    def apply(status: int, body: Any) -> tuple[int, Any]:
        data = body.get("data") if isinstance(body, dict) else None
        groups = data.get("event_groups", [data]) if isinstance(data, dict) else []
        for group in groups:
            change(group)
        return status, body

    return apply


def wrong_total(status: int, body: Any) -> tuple[int, Any]:
    if status == 200 and "event_groups" in body.get("data", {}):
        body["data"]["total_items"] = len(body["data"]["event_groups"])
    return status, body


def gone_instead_of_not_found(status: int, body: Any) -> tuple[int, Any]:
    return (410, body) if status == 404 else (status, body)


def without(name: str) -> Callable[[list[tuple[str, str]]], list[tuple[str, str]]]:
    return lambda pairs: [(k, v) for k, v in pairs if k != name]


def valid_auth() -> bytes:
    return b"Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode())


def server_error_at_maximum_count(app: ASGIApp) -> ASGIApp:
    maximum = str(load_rules().operation("listEventGroups").parameter("count").schema["maximum"])

    async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if scope["type"] == "http" and query.get("count") == maximum:
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"boom"})
            return
        await app(scope, receive, send)

    return faulty


def accept_malformed_basic(headers: dict[bytes, bytes]) -> dict[bytes, bytes]:
    value = headers.get(b"authorization", b"")
    try:
        base64.b64decode(value.removeprefix(b"Basic "), validate=True).decode().index(":")
    except (ValueError, UnicodeDecodeError):
        if value.startswith(b"Basic"):
            headers[b"authorization"] = valid_auth()
    return headers


FAULTS: dict[str, Fault] = {
    "state is a string": rewrite_response(each_group(lambda g: g.update(state=str(g["state"])))),
    "text_id is missing": rewrite_response(each_group(lambda g: g.pop("text_id", None))),
    "auth is ignored": rewrite_headers(lambda h: {**h, b"authorization": valid_auth()}),
    "500 at the maximum count": server_error_at_maximum_count,
    "410 for an unknown id": rewrite_response(gone_instead_of_not_found),
    "sort direction is ignored": rewrite_query(without("sort_direction")),
    "total_items counts the page": rewrite_response(wrong_total),
    "name filter is ignored": rewrite_query(without("name")),
    "malformed Basic header accepted": rewrite_headers(accept_malformed_basic),
}


def reference_app(groups: int = 60) -> ASGIApp:
    rules = load_rules()
    store = Store.open(rules.resources)
    for resource in rules.resources:
        store.add_all(resource.name, synthetic_items(resource, groups))
    return create_app(credentials=Credentials(USER, PASSWORD), store=store)


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a thread; yields the base URL with the spec's prefix."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the faulty server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}{load_rules().prefix}"
    finally:
        server.should_exit = True
        thread.join(10)

"""The server of the tutorial docs/tutorial-test-a-server.md: the reference server with one
bug that real servers have, `total_items` counting the items of the page instead of every
match. It takes the reference server's options (`--port`, `--synthetic`, ...; not
`--workers`) and password ($API_PASSWORD), so the tutorial can test it the way you would test
your own server."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's root
import reference_server.__main__ as reference
from reference_server.app import create_app


def total_counts_the_page(app: ASGIApp) -> ASGIApp:
    """`app`, except that a listed page's total_items is the length of that page."""

    async def buggy(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await app(scope, receive, send)
            return
        start: list[Message] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.append(message)  # sent with the body, whose length may change
                return
            body = message.get("body", b"")
            document = json.loads(body) if start[0]["status"] == 200 else None
            data = document.get("data") if isinstance(document, dict) else None
            if isinstance(data, dict) and "total_items" in data:
                data["total_items"] = len(data["event_groups"])  # the bug
                body = json.dumps(document).encode()
            headers = [(k, v) for k, v in start[0]["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start[0], "headers": headers})
            await send({**message, "body": body})

        await app(scope, receive, rewrite)

    return buggy


def buggy_app(*args: Any) -> ASGIApp:
    return total_counts_the_page(create_app(*args))


if __name__ == "__main__":
    if any(argument.startswith("--workers") for argument in sys.argv[1:]):
        # Worker processes build their app from the environment, without the bug.
        print("error: --workers: this server runs in one process only", file=sys.stderr)
        sys.exit(2)
    vars(reference)["create_app"] = buggy_app  # what the reference server's command serves
    sys.exit(reference.main())

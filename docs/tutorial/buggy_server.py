"""The server of the tutorial docs/tutorial-test-a-server.md: the reference server with one
bug that real servers have, `total_items` counting the items of the page instead of every
match. It takes the reference server's options (`--port`, `--synthetic`, ...; not
`--workers`) and password ($API_PASSWORD), so the tutorial can test it the way you would test
your own server."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's root
import reference_server.__main__ as reference
from contract.spec.declarations import member, with_member
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.spec_rules import SpecRules
from reference_server.store import Store


def total_counts_the_page(app: ASGIApp, rules: SpecRules) -> ASGIApp:
    """`app`, except that a listed page's total (the member its paging declaration names) is
    the length of that page."""
    listed = {rules.prefix + resource.path: resource.paging for resource in rules.resources}

    async def buggy(scope: Scope, receive: Receive, send: Send) -> None:
        paging = listed.get(scope["path"]) if scope["type"] == "http" else None
        if paging is None or scope["method"] != "GET":
            await app(scope, receive, send)
            return
        start: list[Message] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.append(message)  # sent with the body, whose length may change
                return
            body = message.get("body", b"")
            if start[0]["status"] == 200:
                page = json.loads(body)
                wrong = len(member(page, paging.results))  # the bug
                body = json.dumps(with_member(page, paging.total, wrong)).encode()
            headers = [(k, v) for k, v in start[0]["headers"] if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start[0], "headers": headers})
            await send({**message, "body": body})

        await app(scope, receive, rewrite)

    return buggy


def buggy_app(credentials: Credentials, store: Store, rules: SpecRules) -> ASGIApp:
    return total_counts_the_page(create_app(credentials, store, rules), rules)


if __name__ == "__main__":
    if any(argument.startswith("--workers") for argument in sys.argv[1:]):
        # Worker processes build their app from the environment, without the bug.
        print("error: --workers: this server runs in one process only", file=sys.stderr)
        sys.exit(2)
    vars(reference)["create_app"] = buggy_app  # what the reference server's command serves
    sys.exit(reference.main())

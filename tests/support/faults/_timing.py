"""Servers that take their time: one whose first answer comes after a cold start (correct:
a patient client waits for it), and one whose detail operation never answers (a finding about
that operation, while the others are tested)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.faults._apps import reference_app
from tests.support.faults._asgi import Fault, is_detail, is_http

COLD_START: Final = 5.0  # seconds before the first answer
HANG: Final = 30.0  # seconds a request that never answers is kept waiting


def cold_start(app: ASGIApp, seconds: float = COLD_START) -> ASGIApp:
    """Hold the first requests until `seconds` after the first came, as a server still
    starting (scaled to zero, serverless) does; answer at once after that."""
    ready: list[asyncio.Event] = []

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        if is_http(scope):
            if not ready:
                ready.append(asyncio.Event())
                asyncio.get_running_loop().call_later(seconds, ready[0].set)
            await ready[0].wait()
        await app(scope, receive, send)

    return slow


def detail_never_answers(app: ASGIApp) -> ASGIApp:
    async def hanging(scope: Scope, receive: Receive, send: Send) -> None:
        if is_detail(scope):
            await asyncio.sleep(HANG)
        await app(scope, receive, send)

    return hanging


TIMING_FAULTS: dict[str, Fault] = {"the detail operation never answers": detail_never_answers}
SLOW_VARIANTS: dict[str, Callable[[], ASGIApp]] = {
    f"the first answer after a {COLD_START:g} s cold start": lambda: cold_start(reference_app()),
}

"""A synchronous facade over httpx's ASGI transport, so reference server tests run the app
in-process and stay plain functions (no async test plugin)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from starlette.applications import Starlette

from reference_server.auth import DEFAULT_PASSWORD, DEFAULT_USER
from tests.support.spec_facts import PREFIX

Params = Mapping[str, str | int] | tuple[tuple[str, str | int], ...]  # tuples may repeat a name
Headers = Mapping[str, str] | Sequence[tuple[bytes, bytes]]  # bytes for non-UTF-8 values
DEFAULT_AUTH = (DEFAULT_USER, DEFAULT_PASSWORD)


@dataclass
class InProcessClient:
    app: Starlette
    auth: tuple[str, str] | None = DEFAULT_AUTH
    raise_app_exceptions: bool = True

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        headers: Headers | None = None,
        auth: tuple[str, str] | Literal["client"] | None = "client",
        prefix: str = PREFIX,
    ) -> httpx.Response:
        """Send one request to `prefix + path` (the path may carry a raw query string).
        auth="client" sends the client's credentials, None sends none."""
        credentials = self.auth if auth == "client" else auth

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(
                app=self.app, raise_app_exceptions=self.raise_app_exceptions
            )
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.request(
                    method,
                    prefix + path,
                    params=params,
                    headers=headers,
                    auth=httpx.BasicAuth(*credentials) if credentials else None,
                )

        return asyncio.run(send())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def list(self, **params: str | int) -> dict[str, Any]:
        """GET the list with these parameters; returns the body after checking for 200."""
        response = self.get("/event-groups", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

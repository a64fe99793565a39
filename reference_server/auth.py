"""HTTP Basic authentication in front of every route, before routing and parameter checks,
so a request without the right credentials learns nothing else. Credentials are compared
in constant time; a malformed Authorization header is treated like a missing one (401)."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from reference_server.errors import SetupError
from reference_server.problems import Problems

DEFAULT_USER: Final = "demo"
DEFAULT_PASSWORD: Final = "demo-password"


def check_user_name(user: str) -> None:
    if ":" in user:
        raise SetupError("the user name must not contain ':' (HTTP Basic splits at it)")


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        check_user_name(self.user)
        try:
            self.token()
        except UnicodeEncodeError as exc:
            raise SetupError("user name and password must be valid Unicode text") from exc

    def token(self) -> bytes:
        """`user:password` in UTF-8, the charset the challenge announces (RFC 7617)."""
        return f"{self.user}:{self.password}".encode()


def authorization_problem(
    headers: Iterable[tuple[bytes, bytes]], expected: Credentials
) -> str | None:
    """None when the raw ASGI headers carry exactly the expected Basic credentials; otherwise
    what is wrong, for the 401 detail (never which half of the credentials was wrong)."""
    values = [value for name, value in headers if name.lower() == b"authorization"]
    if not values:
        return "HTTP Basic credentials are required."
    if len(values) > 1:
        return "Send one Authorization header, not several."
    parts = values[0].split(maxsplit=1)
    if not parts:
        return "The Authorization header is empty."
    if parts[0].lower() != b"basic":
        return "Only the HTTP Basic scheme is accepted."
    if len(parts) < 2:
        return "The Basic credentials are empty."
    try:
        decoded = base64.b64decode(parts[1].strip(), validate=True)
        decoded.decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        return "The Basic credentials are not base64-encoded UTF-8 text."
    if b":" not in decoded:
        return "The Basic credentials lack the colon between user and password."
    if not hmac.compare_digest(decoded, expected.token()):
        return "The credentials are not valid."
    return None


class BasicAuthMiddleware:
    """Pure ASGI middleware: answers 401 with the Error body and the spec's challenge."""

    def __init__(
        self, app: ASGIApp, credentials: Credentials, challenge: str, problems: Problems
    ) -> None:
        self.app = app
        self.credentials = credentials
        self.challenge = challenge
        self.problems = problems

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = authorization_problem(scope["headers"], self.credentials)
            if problem is not None:
                response = self.problems.response(
                    HTTPStatus.UNAUTHORIZED,
                    problem,
                    headers={"WWW-Authenticate": self.challenge},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

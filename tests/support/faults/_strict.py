"""Servers stricter than HTTP: each refuses a form of the right credentials that RFC 9110 and
RFC 7617 make equal to `Basic <token>`, so that a conforming client that sends it is turned
away. Every one lets the plain form in."""

from __future__ import annotations

from starlette.types import Scope

from tests.support.faults._asgi import Fault, rewrite_authorization


def refuse_unless(keeps: bytes) -> Fault:
    """Drop an Authorization header (the server then answers 401) unless it starts with
    `keeps`, byte for byte."""

    def change(scope: Scope, value: bytes | None) -> bytes | None:
        if value is None or value.startswith(keeps):
            return value
        return None

    return rewrite_authorization(change)


def one_space_only(scope: Scope, value: bytes | None) -> bytes | None:
    """Split the header at its first space: the token of `Basic  dXNl...` is empty."""
    if value is None or b" " not in value:
        return value
    _, token = value.split(b" ", 1)
    return None if token.startswith(b" ") else value


STRICT_FAULTS: dict[str, Fault] = {
    "scheme compared case-sensitively": refuse_unless(b"Basic "),
    "one space after the scheme only": rewrite_authorization(one_space_only),
}

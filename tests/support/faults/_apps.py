"""The correct servers the faults wrap: the reference server with synthetic items, or with
exactly the items a variant needs, behind the credentials every test of the library uses."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from starlette.types import ASGIApp

from contract.spec.declarations import ListResource
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store

USER, PASSWORD = "fault-user", "fault-password"


def valid_auth() -> bytes:
    """The Authorization header that lets a request in, for faults that let others in too."""
    return b"Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode())


def serving(items: Callable[[ListResource], Iterable[Mapping[str, Any]]]) -> ASGIApp:
    """The reference server of the bundled spec, each resource holding `items(resource)`."""
    rules = load_rules()
    store = Store.open(rules.resources)
    for resource in rules.resources:
        store.add_all(resource.name, items(resource))
    return create_app(credentials=Credentials(USER, PASSWORD), store=store)


def reference_app(groups: int = 60) -> ASGIApp:
    return serving(lambda resource: synthetic_items(resource, groups))


def app_with(items: Iterable[Mapping[str, Any]]) -> ASGIApp:
    """The reference server serving exactly `items`, in their order (the spec has one
    resource)."""
    return serving(lambda resource: items)


def empty_app() -> ASGIApp:
    """A server with no items: the checks that need data must say they could not run."""
    return reference_app(0)

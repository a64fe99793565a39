"""The server a run tests: the one BASE_URL names, with the credentials of AUTH or
AUTH_FILE, or a reference server started for the run's spec on a free loopback port."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from contract.conformance._contract import Contract
from contract.conformance._preflight import check_base_url
from contract.conformance.live_server import start_live_server
from contract.errors import SetupError

REFERENCE_DATA: Final = ("--synthetic", "150")  # items per resource: enough for paging and filters


@dataclass(frozen=True)
class Target:
    base_url: str
    user: str
    password: str = field(repr=False)
    is_reference: bool
    credentials_variable: str = "AUTH"  # where the user set them: named when they are refused


@contextmanager
def target(
    base_url: str | None,
    auth: str | None,
    contract: Contract,
    credentials_variable: str = "AUTH",
) -> Iterator[Target]:
    """The server under test: the one named, or a reference server serving the contract's
    spec for the block's duration. `credentials_variable` says where `auth` came from (AUTH
    or AUTH_FILE), for the message that asks to fix it."""
    if base_url:
        check_base_url(base_url, contract)
        user, colon, password = (auth or "").partition(":")
        if not colon:
            raise SetupError(
                "AUTH_FILE: its first line must be user:password"
                if credentials_variable == "AUTH_FILE"
                else "AUTH must be user:password when BASE_URL is given "
                "(export AUTH=user:password, or name a 0600 file holding it in AUTH_FILE)"
            )
        yield Target(base_url.rstrip("/"), user, password, False, credentials_variable)
        return
    with (
        tempfile.TemporaryDirectory() as logs,
        start_live_server(Path(logs), *REFERENCE_DATA, "--spec", str(contract.path)) as server,
    ):
        yield Target(server.base_url, server.user, server.password, is_reference=True)

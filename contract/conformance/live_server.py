"""Start the reference server as a real subprocess (uvicorn, on a free loopback port), for
whatever needs real HTTP: `make conformance` without a BASE_URL, the client's end-to-end
tests, the `live_server` fixture in tests/conftest.py. The credentials go to the server in its
environment, never on its command line, and stay out of reprs and error messages."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx

from contract.layout import REPO_ROOT

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
PORT_ATTEMPTS = 3
BASE_URL_LINE = re.compile(r"base URL:\s+(\S+)")
HIDDEN = "[hidden]"


@dataclass(frozen=True)
class LiveServer:
    """A running reference server: where it answers, and the credentials it accepts."""

    base_url: str  # with the spec's path prefix, without a trailing slash
    user: str
    password: str = field(repr=False)
    log: Path  # its stdout and stderr
    pid: int  # of the server's process (the parent of its workers, if it has any)

    @property
    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.user, self.password)


class LiveServerError(RuntimeError):
    """The server did not start; the message carries its output (never the password)."""


def scrubbed(text: str, password: str) -> str:
    """`text` with the password, and anything that encodes it, replaced. The server does not
    print it; this is a second line of defence for what ends up in an exception."""
    for secret in {password, quote(password), quote_plus(password)}:
        if secret:
            text = text.replace(secret, HIDDEN)
    return text


def log_text(log: Path, password: str) -> str:
    return scrubbed(log.read_text("utf-8", errors="replace"), password)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(
    process: subprocess.Popen[bytes], log: Path, timeout: float, password: str
) -> str:
    """The base URL from the server's banner, once the server answers HTTP there (any
    status: an unauthenticated request is answered with 401)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LiveServerError(f"exited with {process.returncode}:\n{log_text(log, password)}")
        found = BASE_URL_LINE.search(log.read_text("utf-8", errors="replace"))
        if found:
            try:
                httpx.get(found.group(1), timeout=1.0)
                return found.group(1)
            except httpx.TransportError:
                pass
        time.sleep(0.05)
    raise LiveServerError(f"no answer within {timeout:g} s:\n{log_text(log, password)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def start_live_server(
    log_dir: Path,
    *extra_args: str,
    user: str = "live-user",
    password: str | None = None,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[LiveServer]:
    """Run `python -m reference_server` on 127.0.0.1 until the block ends. `extra_args` go to
    the command line (e.g. "--spec", path, "--synthetic", "500"); the password is random unless
    given, and reaches the server through $API_PASSWORD, where other users cannot read it.
    Seeding many items takes longer than `startup_timeout` allows by default."""
    password = password if password is not None else secrets.token_urlsafe(12)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "API_USER": user, "API_PASSWORD": password}
    for attempt in range(1, PORT_ATTEMPTS + 1):
        port = free_port()
        log = log_dir / f"reference-server-{port}.log"
        command = [
            sys.executable, "-m", "reference_server", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", *extra_args,
        ]  # fmt: skip
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            base_url = wait_until_answering(process, log, startup_timeout, password)
        except LiveServerError:
            stop(process)
            # Another process may have taken the port between probe and bind: try another.
            if attempt < PORT_ATTEMPTS and "address already in use" in log.read_text("utf-8"):
                continue
            raise
        try:
            yield LiveServer(base_url, user, password, log, process.pid)
        finally:
            stop(process)
        return

"""Blocks of the pages run as a reader pastes them: through bash, in a session of their own,
without the variables this repository's commands read that a reader's shell would not have
set. Whatever a block leaves running (a server started with `&` that the page forgot to stop)
is stopped when the caller is done with it: asked first, so make can clean up, then killed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Read by the Makefile or the scripts behind it, or by make itself (a nested make's output).
NOT_PASSED_ON = (
    "AUTH", "AUTH_FILE", "BASE_URL", "SPEC", "REPORTS", "MIN_COVERAGE", "MAX_EXAMPLES", "SEED",
    "BASE", "OLD", "NEW", "FORMAT", "OUTPUT", "MAKEFLAGS", "MAKELEVEL", "MFLAGS",
)  # fmt: skip
GRACE_SECONDS = 5


@dataclass(frozen=True)
class Pasted:
    out: str  # stdout and stderr, in order
    returncode: int


@contextlib.contextmanager
def run_pasted(script: str, cwd: Path, timeout: float, **env: str) -> Iterator[Pasted]:
    """`script` run to its end in `cwd`, with `env` added to the environment; a script that
    outlives `timeout` fails the test with the end of what it printed."""
    kept = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON}
    process = subprocess.Popen(
        ["bash", "-c", script], cwd=cwd, env=kept | env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        try:
            out, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(process)
            out, _ = process.communicate()
            pytest.fail(f"the block still ran after {timeout:g} s:\n{out[-4000:]}")
        yield Pasted(out, process.returncode)
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    """Every process of the block's session: SIGTERM, then SIGKILL to what outlives a grace
    period."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        if not session_alive(process):
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline and session_alive(process):
            time.sleep(0.1)
    process.wait()


def session_alive(process: subprocess.Popen[str]) -> bool:
    process.poll()  # the shell, reaped once it exits, is no process of the session left
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True

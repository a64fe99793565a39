"""Blocks of the pages run as a reader pastes them: through bash, in a session of their own,
without the caller's AUTH, BASE_URL and MAKEFLAGS. Whatever a block leaves running (a server
started with `&` that the page forgot to stop) is killed when the caller is done with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NOT_PASSED_ON = ("AUTH", "BASE_URL", "MAKEFLAGS")  # what a reader's shell would not have set


@dataclass(frozen=True)
class Pasted:
    out: str  # stdout and stderr, in order
    returncode: int


@contextlib.contextmanager
def run_pasted(script: str, cwd: Path, timeout: float, **env: str) -> Iterator[Pasted]:
    """`script` run to its end in `cwd`, with `env` added to the environment."""
    kept = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON}
    process = subprocess.Popen(
        ["bash", "-c", script], cwd=cwd, env=kept | env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        out, _ = process.communicate(timeout=timeout)
        yield Pasted(out, process.returncode)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

"""Run Prism's mock server (`@stoplight/prism-cli`, pinned in package.json) on the bundled spec:
the peer whose throughput the reference server is compared with."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from contract.conformance.live_server import free_port, stop
from contract.errors import BenchmarkError
from contract.layout import BUNDLED_SPEC, NODE_BIN, REPO_ROOT

PRISM = NODE_BIN / "prism"
STARTUP_TIMEOUT = 60.0


@dataclass(frozen=True)
class PrismServer:
    # Prism serves the spec's paths at its root: it ignores the path of the server URL.
    base_url: str
    log: Path


def prism_version() -> str | None:
    if not PRISM.exists():
        return None
    result = subprocess.run(
        [str(PRISM), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    return result.stdout.strip() or None


def wait_for_answer(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"prism exited with {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=1.0)  # any status: without credentials it answers 401
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise BenchmarkError(f"prism did not answer within {STARTUP_TIMEOUT} s:\n{log.read_text()}")


@contextmanager
def start_prism(log_dir: Path, spec: Path = BUNDLED_SPEC) -> Iterator[PrismServer]:
    """`prism mock` on a free loopback port until the block ends, logging warnings only (as
    the reference server logs no request either): one Node process, the spec's examples."""
    if not PRISM.exists():
        raise BenchmarkError("prism is not installed; run `make node_modules` (npm ci)")
    port = free_port()
    log = log_dir / f"prism-{port}.log"
    command = [str(PRISM), "mock", str(spec), "--host", "127.0.0.1", "--port", str(port),
               "--verboseLevel", "warn"]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_answer(process, base_url + "/", log)
        yield PrismServer(base_url, log)
    finally:
        stop(process)

"""Load a URL with wrk (a real load generator, from Debian) for a fixed time and read its
numbers from the JSON line that wrk_report.lua prints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scripts.errors import BenchmarkError

REPORT_SCRIPT = Path(__file__).with_name("wrk_report.lua")
REPORT_MARKER = "wrk-report "
INSTALL_HINT = (
    "install it with `sudo apt-get install wrk` (Debian/Ubuntu) and run `make bench` again"
)
# wrk ends on its own after `seconds`; this only stops a wrk that hangs.
GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class Load:
    """How hard and how long: `connections` kept open by `threads`, for `seconds`."""

    connections: int
    seconds: int  # wrk takes whole seconds only
    threads: int = 1

    def describe(self) -> str:
        threads = "thread" if self.threads == 1 else "threads"
        connections = "connection" if self.connections == 1 else "connections"
        return f"{self.threads} {threads}, {self.connections} {connections}, {self.seconds} s"


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors, timeouts and answers other than 2xx/3xx

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def wrk_executable() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str | None:
    """wrk's version as it prints it (e.g. debian/4.1.0-3+b2), or None when not installed."""
    executable = wrk_executable()
    if executable is None:
        return None
    # wrk has no --version: it prints its version with the usage text and exits 1.
    result = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False, timeout=10
    )
    found = re.search(r"wrk (\S+)", result.stdout + result.stderr)
    return found.group(1) if found else "unknown"


def wrk_command(executable: str, url: str, authorization: str, load: Load) -> list[str]:
    # wrk's option parser takes "-t 1", not "--threads=1".
    return [
        executable,
        "-t", str(load.threads),
        "-c", str(load.connections),
        "-d", f"{load.seconds}s",
        "--timeout", "2s",
        "-s", str(REPORT_SCRIPT),
        "-H", f"Authorization: {authorization}",
        url,
    ]  # fmt: skip


def parse_report(output: str) -> WrkResult:
    """The numbers of one run, from wrk's output with the line of wrk_report.lua in it."""
    for line in output.splitlines():
        if line.startswith(REPORT_MARKER):
            try:
                report = json.loads(line.removeprefix(REPORT_MARKER))
                return WrkResult(
                    requests=int(report["requests"]),
                    seconds=float(report["duration_us"]) / 1e6,
                    p50_ms=float(report["p50_us"]) / 1e3,
                    p99_ms=float(report["p99_us"]) / 1e3,
                    errors=sum(int(count) for count in report["errors"].values()),
                )
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BenchmarkError(f"wrk's report line cannot be read ({exc}): {line}") from exc
    raise BenchmarkError(f"wrk printed no report line ({REPORT_MARKER.strip()}):\n{output}")


def run_wrk(url: str, authorization: str, load: Load) -> WrkResult:
    """Load `url` on loopback as `load` says; every request carries `authorization`."""
    if not url.startswith("http://127.0.0.1:"):
        raise BenchmarkError(f"wrk loads loopback servers only, not {url}")
    executable = wrk_executable()
    if executable is None:
        raise BenchmarkError(f"wrk is not installed; {INSTALL_HINT}")
    command = wrk_command(executable, url, authorization, load)
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=load.seconds + GRACE_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"wrk did not finish within {load.seconds + GRACE_SECONDS} s") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise BenchmarkError(f"wrk failed (exit {result.returncode}): {output}")
    return parse_report(result.stdout)

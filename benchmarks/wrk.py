"""Load a URL with wrk (a real load generator, from Debian) for a fixed time and read its
numbers from the JSON line that wrk_report.lua prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from contract.errors import BenchmarkError

REPORT_SCRIPT = Path(__file__).with_name("wrk_report.lua")
PATHS_SCRIPT = Path(__file__).with_name("wrk_paths.lua")
PACED_SCRIPT = Path(__file__).with_name("wrk_paced.lua")
AUTHORIZATION_VARIABLE = "WRK_AUTHORIZATION"  # read by wrk_report.lua
REPORT_MARKER = "wrk-report "
PATHS_MARKER = "wrk-paths "
PACED_MARKER = "wrk-paced "
INSTALL_HINT = (
    "install it with `sudo apt-get install wrk` (Debian/Ubuntu) and run `make bench` again"
)
# wrk ends on its own after `seconds`; this only stops a wrk that hangs.
GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class Load:
    """How hard and how long: `connections` kept open by `threads`, for `seconds`; with
    `rate`, requests leave on a fixed schedule of that many a second (wrk_paced.lua) instead
    of as fast as the answers come back."""

    connections: int
    seconds: int  # wrk takes whole seconds only
    threads: int = 1
    rate: int | None = None  # requests per second over all threads

    def describe(self) -> str:
        threads = "thread" if self.threads == 1 else "threads"
        connections = "connection" if self.connections == 1 else "connections"
        paced = f", {self.rate:,} req/s" if self.rate else ""
        shape = f"{self.threads} {threads}, {self.connections} {connections}"
        return f"{shape}, {self.seconds} s{paced}"


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors, timeouts and answers other than 2xx/3xx
    late: int | None = None  # at a fixed rate: requests sent over 1 ms after their slot

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


@dataclass(frozen=True)
class PathsSent:
    """What a run over a file of request paths sent: per thread, and how many requests
    repeated a path because that thread's lines ran out."""

    sent: tuple[int, ...]
    repeated: int


def wrk_command(executable: str, url: str, load: Load, path_file: Path | None = None) -> list[str]:
    """The command of one run; with `path_file`, each request takes the next line of the file
    (a path with its query) instead of `url`'s path. No credentials: see `wrk_environment`."""
    if load.rate and path_file is None:
        raise BenchmarkError("a run at a fixed rate sends the lines of a path file")
    # wrk's option parser takes "-t 1", not "--threads=1".
    script = REPORT_SCRIPT if path_file is None else PACED_SCRIPT if load.rate else PATHS_SCRIPT
    command = [
        executable,
        "-t", str(load.threads),
        "-c", str(load.connections),
        "-d", f"{load.seconds}s",
        "--timeout", "2s",
        "-s", str(script),
        url,
    ]  # fmt: skip
    if path_file is not None:
        command += ["--", str(path_file), str(load.threads)]
        command += [str(load.rate)] if load.rate else []
    return command


def wrk_environment(authorization: str) -> dict[str, str]:
    """wrk's environment, with the Authorization header for wrk_report.lua to send."""
    return {**os.environ, AUTHORIZATION_VARIABLE: authorization}


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
                    late=paced_late(output),
                )
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BenchmarkError(f"wrk's report line cannot be read ({exc}): {line}") from exc
    raise BenchmarkError(f"wrk printed no report line ({REPORT_MARKER.strip()}):\n{output}")


def paced_late(output: str) -> int | None:
    """How many requests of a run at a fixed rate left late (wrk_paced.lua's line), or None
    for a run without a rate."""
    for line in output.splitlines():
        if line.startswith(PACED_MARKER):
            try:
                return int(json.loads(line.removeprefix(PACED_MARKER))["late"])
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchmarkError(f"wrk's paced line cannot be read ({exc}): {line}") from exc
    return None


def parse_paths_report(output: str) -> PathsSent:
    """What each thread sent, from the line of wrk_paths.lua."""
    for line in output.splitlines():
        if line.startswith(PATHS_MARKER):
            try:
                report = json.loads(line.removeprefix(PATHS_MARKER))
                return PathsSent(tuple(int(n) for n in report["sent"]), int(report["repeated"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise BenchmarkError(f"wrk's paths line cannot be read ({exc}): {line}") from exc
    raise BenchmarkError(f"wrk printed no paths line ({PATHS_MARKER.strip()}):\n{output}")


def write_paths(paths: list[str], path_file: Path) -> Path:
    """One request path a line, for wrk_paths.lua; a path must be on one line."""
    for path in paths:
        if not path.startswith("/") or any(c.isspace() for c in path):
            raise BenchmarkError(f"not a request path of one line: {path!r}")
    path_file.write_text("".join(f"{path}\n" for path in paths), "ascii")
    return path_file


def run_wrk_paths(
    url: str, authorization: str, load: Load, path_file: Path
) -> tuple[WrkResult, PathsSent]:
    """Load the server of `url` with the paths of `path_file`, each line once in order across
    the threads (repeating only when they run out)."""
    output = wrk_output(url, authorization, load, path_file)
    return parse_report(output), parse_paths_report(output)


def run_wrk(url: str, authorization: str, load: Load) -> WrkResult:
    """Load `url` on loopback as `load` says; every request carries `authorization`."""
    return parse_report(wrk_output(url, authorization, load))


def wrk_output(url: str, authorization: str, load: Load, path_file: Path | None = None) -> str:
    if not url.startswith("http://127.0.0.1:"):
        raise BenchmarkError(f"wrk loads loopback servers only, not {url}")
    executable = wrk_executable()
    if executable is None:
        raise BenchmarkError(f"wrk is not installed; {INSTALL_HINT}")
    command = wrk_command(executable, url, load, path_file)
    try:
        result = subprocess.run(
            command,
            env=wrk_environment(authorization),
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
    return result.stdout

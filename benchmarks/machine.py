"""What the numbers were measured on: without the machine, a number means little."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from pathlib import Path

from benchmarks.prism import prism_version
from benchmarks.wrk import wrk_version
from contract.layout import REPO_ROOT


def _read(path: str) -> str:
    try:
        return Path(path).read_text("utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    found = re.search(r"^model name\s*:\s*(.+)$", _read("/proc/cpuinfo"), re.MULTILINE)
    return found.group(1).strip() if found else platform.processor() or platform.machine()


def memory() -> str:
    found = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    return f"{int(found.group(1)) / 2**20:.1f} GiB" if found else "unknown"


def operating_system() -> str:
    found = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', _read("/etc/os-release"), re.MULTILINE)
    name = found.group(1) if found else platform.system()
    return f"{name}, kernel {platform.release()}"


def _output(*command: str) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=30
    )
    return result.stdout.strip() or None if result.returncode == 0 else None


def commit() -> str:
    head = _output("git", "rev-parse", "--short", "HEAD")
    if head is None:
        return "unknown (not a git work tree)"
    # The files a run writes itself do not count: they differ after every run.
    dirty = _output(
        "git", "status", "--porcelain", "--untracked-files=no", "--",
        ".", ":!benchmarks/results", ":!docs/benchmarks.md",
    )  # fmt: skip
    return f"{head} with uncommitted changes" if dirty else head


def describe() -> dict[str, str]:
    """The machine and the versions of everything that was timed."""
    return {
        "CPU": cpu_model(),
        "Cores": str(os.cpu_count() or "unknown"),
        "Memory": memory(),
        "OS": operating_system(),
        "Python": platform.python_version(),
        "Node.js": (_output("node", "--version") or "not installed").removeprefix("v"),
        "wrk": wrk_version() or "not installed",
        "Prism": prism_version() or "not installed",
        "Commit": commit(),
    }

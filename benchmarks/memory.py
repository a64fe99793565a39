"""How much memory a server holds, read from Linux's /proc: the resident set of a process and
its children now, and the most it has held (each process's high-water mark, summed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MIB = 2**20


@dataclass(frozen=True)
class Resident:
    now_mib: float
    peak_mib: float


def _status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text("utf-8")
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def family(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text("utf-8").split()
        for child in children:
            found += family(int(child))
    return found


def resident(pid: int) -> Resident | None:
    """The memory of `pid` and its children; None where /proc cannot tell (not Linux, or
    the process is gone)."""
    try:
        members = family(pid)
        now = sum(_status_kib(member, "VmRSS") for member in members)
        peak = sum(_status_kib(member, "VmHWM") for member in members)
    except (OSError, ValueError):
        return None
    return Resident(now * 1024 / MIB, peak * 1024 / MIB)

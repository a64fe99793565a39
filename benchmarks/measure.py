"""Timing helpers: the median of a few runs, because one run on a busy machine says little."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def runs(self) -> int:
        return len(self.seconds)


def time_runs(action: Callable[[], object], repeats: int) -> Timing:
    """Wall-clock seconds of `repeats` calls of `action`."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return Timing(seconds)

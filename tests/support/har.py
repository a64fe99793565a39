"""Recording traffic as HAR in tests: a probe that keeps every exchange it has, so the
property checks' own requests become a HAR file for the traffic checks to judge."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from contract.conformance._har import Exchange, entry, from_httpx, write_har
from contract.conformance._probe import Probe


@dataclass
class RecordingProbe(Probe):
    recorded: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.observe = self.keep

    def keep(self, response: httpx.Response) -> None:
        self.recorded.append(from_httpx(len(self.recorded), response))

    def write(self, path: Path) -> Path:
        write_har(path, (entry(exchange) for exchange in self.recorded))
        return path

"""A conformance run's settings, and those a user may tune from the command line or the
environment (`make conformance VARIABLE=...`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from contract.conformance._preflight import FIRST_ANSWER
from contract.conformance._probe import CONCURRENCY, REQUEST_BUDGET
from contract.layout import BUNDLED_SPEC, REPO_ROOT


@dataclass(frozen=True)
class Settings:
    """A run's settings; their defaults are the command's and `make conformance`'s."""

    max_examples: int = 1000  # schemathesis examples per operation and phase
    seed: int = 0
    rate_limit: float = 0.0  # requests per second; 0 means no limit
    max_requests: int = REQUEST_BUDGET  # budget of the property checks
    reports: Path = REPO_ROOT / "reports"
    spec: Path = BUNDLED_SPEC
    min_coverage: str = ""  # the coverage gate (see _coverage.parse_gate); empty: none
    concurrency: int = CONCURRENCY  # requests in flight at once
    first_answer_timeout: float = FIRST_ANSWER  # seconds a cold start may take


# Settings a run may tune from the command line or the environment: (field, variable, meaning).
TUNABLE: Final = (
    ("max_examples", "MAX_EXAMPLES", "schemathesis examples per operation and phase"),
    ("seed", "SEED", "seed of schemathesis's cases and of the generated probes"),
    ("rate_limit", "RATE_LIMIT", "requests per second, 0 for no limit"),
    ("max_requests", "MAX_REQUESTS", "request budget of the property checks"),
    ("reports", "REPORTS", "folder of the JUnit reports, the coverage map and the replays"),
    ("min_coverage", "MIN_COVERAGE", "fail below this coverage: 90, or paging=100,statuses=90"),
    ("concurrency", "CONCURRENCY",
     "requests in flight at once (1: one at a time, schemathesis's shards one after another)"),
    ("first_answer_timeout", "FIRST_ANSWER_TIMEOUT",
     "seconds the server's first answer may take (a cold start)"),
)  # fmt: skip

"""`make check-traffic HAR=file`: judge recorded traffic (a HAR 1.2 file from a browser,
Playwright, mitmproxy, Postman or our proxy) against the spec and its declared behaviour,
with the rules of `make conformance`, and report findings, verdicts by assumption, JUnit and
the coverage map of the traffic the same way. Only exchanges under the spec's server path (or
BASE_URL's path) are judged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from contract.conformance import report_coverage, write_junit
from contract.conformance._contract import load_contract
from contract.conformance._coverage import GATE_VARIABLE, CoverageTracker, parse_gate
from contract.conformance._har import (
    Exchange,
    HarWriter,
    entry,
    from_httpx,
    read_har,
    write_har,
)
from contract.conformance._traffic import TrafficJudge, judge_all
from contract.conformance._verdicts import counts, summary
from contract.errors import SetupError
from contract.layout import BUNDLED_SPEC, REPO_ROOT, display_path

__all__ = [
    "HarWriter",
    "TrafficJudge",
    "check_traffic",
    "entry",
    "from_httpx",
    "judge_all",
    "read_har",
    "write_har",
]

REPORT_NAME = "traffic-junit.xml"


def check_traffic(
    har: Path,
    spec: Path = BUNDLED_SPEC,
    base_url: str | None = None,
    reports: Path = REPO_ROOT / "reports",
    min_coverage: str = "",
) -> bool:
    """Judge every exchange of `har`; True when no finding was made and the coverage map of
    the traffic meets `min_coverage` (MIN_COVERAGE). SetupError when the file is no HAR or
    holds no exchange under the API's path."""
    if not har.is_file():
        raise SetupError(f"HAR: no file at {har}")
    gate = parse_gate(min_coverage)
    contract = load_contract(spec)
    base_path = urlsplit(base_url).path if base_url else None
    tracker = CoverageTracker(contract, contract.prefix if base_path is None else base_path)
    judge = judge_all(observed(read_har(har), tracker), contract, base_path)
    if judge.judged == 0:
        raise SetupError(
            f"HAR: none of the {judge.skipped} entries of {har} is a request under "
            f"{judge.prefix or '/'}; set BASE_URL to the URL the traffic went to"
        )
    findings, unexercised = judge.result()
    found = judge.verdicts()
    labels = sorted({*judge.labels(), *(f.check for f in findings)})
    write_junit(labels, findings, unexercised, found, reports / REPORT_NAME)
    print(f"Judged {judge.judged} exchanges under {judge.prefix or '/'} "
          f"({judge.skipped} other entries skipped)")  # fmt: skip
    for finding in findings:
        print(f"  FAIL {finding}")
    if not findings:
        print("  no finding")
    print()
    print("\n".join(summary(found, findings)))
    short = report_coverage(tracker.coverage(found), gate, reports)
    print(f"\nReport: {display_path(reports / REPORT_NAME)}")
    below = f", coverage below {GATE_VARIABLE}" if short else ""
    print(f"Traffic {'FAILED' if findings or short else 'PASSED'}: "
          f"{len(findings)} finding(s); assumptions {counts(found)}{below}")  # fmt: skip
    return not findings and not short


def observed(
    exchanges: Iterable[Exchange | None], tracker: CoverageTracker
) -> Iterator[Exchange | None]:
    """`exchanges`, each also shown to the coverage map on its way to the judge."""
    for exchange in exchanges:
        if exchange is not None:
            tracker.observe(exchange)
        yield exchange

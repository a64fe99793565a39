"""Where a list request's time goes: the store's two queries (the match total, then the page
and its items), timed in-process on the SQLite file the server serves, for distinct queries of
each scenario of the table of queries that never repeat. Whatever the store does not spend is
HTTP, routing, auth, parameter checks and JSON."""

from __future__ import annotations

import dataclasses
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.distinct import Measured, pools
from benchmarks.report import Section
from benchmarks.server import measured_resource
from reference_server.resources import resource_of
from reference_server.spec_rules import load_rules
from reference_server.store import Store

QUERIES = 200  # distinct queries timed per scenario, each once


@dataclass(frozen=True)
class Breakdown:
    request: str
    queries: int
    count_p50_ms: float  # the total alone (a page of no items)
    store_p50_ms: float  # the total, the page and its items
    store_p99_ms: float
    http_p50_ms: float | None  # the whole request, one at a time, cold, from the table above


def run(database: Path, distinct: list[Measured], groups: int) -> list[Breakdown]:
    rules = load_rules()
    declared = measured_resource(rules)
    resource = resource_of(declared, rules)
    all_pools = pools(declared, groups)
    store = Store.open(rules.resources, database)
    breakdowns = []
    try:
        for measured in distinct:
            counting: list[float] = []
            searching: list[float] = []
            kinds = measured.scenario.kinds
            for number in range(QUERIES):
                values = all_pools.values[kinds[number % len(kinds)]]
                params = values[(number // len(kinds)) % len(values)]
                sent = [(name, str(value)) for name, value in params.items()]
                query = resource.query(resource.parse_list(sent))
                start = time.perf_counter()
                store.search(declared.name, dataclasses.replace(query, limit=0))
                middle = time.perf_counter()
                store.search(declared.name, query)
                counting.append(middle - start)
                searching.append(time.perf_counter() - middle)
            breakdowns.append(
                Breakdown(
                    measured.scenario.request,
                    QUERIES,
                    statistics.median(counting) * 1e3,
                    statistics.median(searching) * 1e3,
                    statistics.quantiles(searching, n=100, method="inclusive")[98] * 1e3,
                    None if measured.single is None else measured.single.cold.p50_ms,
                )
            )
    finally:
        store.close()
    return breakdowns


def section(breakdowns: list[Breakdown], groups: int) -> Section:
    table = Section(
        "breakdown",
        f"Where a list request's time goes, {groups:,} groups",
        ["Request", "Queries", "Total alone ms, p50", "Store in all ms, p50",
         "Store in all ms, p99", "Whole request ms, p50, 1 conn. cold", "Store share %"],
    )  # fmt: skip
    for item in breakdowns:
        share = None if not item.http_p50_ms else 100 * item.store_p50_ms / item.http_p50_ms
        table.add(item.request, item.queries, item.count_p50_ms, item.store_p50_ms,
                  item.store_p99_ms, item.http_p50_ms, share)  # fmt: skip
    table.notes.append(
        f"{QUERIES} distinct queries of each scenario, from the same pools, each timed once by "
        "calling the store in-process on the server's SQLite file: first with a page of no "
        "items (the total alone: a dictionary sum, an index count, or the known number of "
        "items), then whole (the total, the page and its items). Nothing is remembered between "
        "calls. The whole request is the p50 of the 1-connection cold run above; the rest of "
        "it is HTTP, routing, auth, parameter checks and JSON."
    )
    return table

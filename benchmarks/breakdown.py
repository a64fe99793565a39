"""Where the time of a list request over many groups goes: the store's two queries, timed
in-process on the SQLite file the server serves, beside the request's latency over HTTP.
Counting every match for `total_items` and fetching the page are separate queries, so each
one's share shows; the rest is HTTP, routing, auth, parameter checks and JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from benchmarks.measure import time_runs
from benchmarks.report import Section
from benchmarks.server import REFERENCE, ServerResults
from reference_server import list_query
from reference_server.handlers import LIST_OPERATION
from reference_server.spec_rules import load_rules
from reference_server.store import EventGroupStore, Search

REPEATS = 20


@dataclass(frozen=True)
class Breakdown:
    request: str
    count_ms: float  # the query that counts every match (a search for no groups)
    search_ms: float  # both queries and the models of the page's groups
    http_p50_ms: float | None  # the whole request, one at a time, from the server table


def search_of(path: str) -> Search | None:
    """The store query the server makes for a list request path, None for another path."""
    rules = load_rules()
    operation = rules.operation(LIST_OPERATION)
    parts = urlsplit(path)
    if parts.path != operation.path:
        return None
    return list_query.to_search(operation.parse_request(parse_qsl(parts.query), {}))


def run(database: Path, results: ServerResults, data: str) -> list[Breakdown]:
    breakdowns = []
    store = EventGroupStore.open(database)
    try:
        for item in results.measured:
            search = search_of(item.scenario.path)
            if item.server != REFERENCE or item.scenario.data != data or search is None:
                continue
            count_only = dataclasses.replace(search, limit=0)
            store.search(search)  # not timed: SQLite reads the pages it needs into its cache
            count = time_runs(partial(store.search, count_only), REPEATS).median
            both = time_runs(partial(store.search, search), REPEATS).median
            http = None if item.single is None else item.single.p50_ms
            breakdowns.append(Breakdown(item.scenario.request, count * 1e3, both * 1e3, http))
    finally:
        store.close()
    return breakdowns


def section(breakdowns: list[Breakdown], groups: int) -> Section:
    table = Section(
        "breakdown",
        f"Where a list request's time goes, {groups:,} groups",
        ["Request", "Counting matches ms", "Store in all ms", "Whole request ms",
         "Counting, share of the request %"],
    )  # fmt: skip
    for item in breakdowns:
        share = None if not item.http_p50_ms else 100 * item.count_ms / item.http_p50_ms
        table.add(item.request, item.count_ms, item.search_ms, item.http_p50_ms, share)
    table.notes.append(
        f"Medians of {REPEATS} calls of the store in-process, on the server's SQLite file: "
        "counting is the `COUNT(*)` behind `total_items`, which reads every matching row; the "
        "store in all adds the `LIMIT`/`OFFSET` query of the page and the models of its groups. "
        "The whole request is the 1-connection p50 over HTTP from the table above."
    )
    return table

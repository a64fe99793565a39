"""Where the time of a list request over many groups goes: the store's two queries, timed
in-process on the SQLite file the server serves, beside the request's latency over HTTP.
Counting every match for `total_items` and fetching the page are separate queries, so each
one's share shows; the rest is HTTP, routing, auth, parameter checks and JSON. The store
remembers the counts of recent filters, so counting is timed both the first time and again."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from benchmarks.measure import time_runs
from benchmarks.report import Section
from benchmarks.server import REFERENCE, ServerResults, measured_resource
from reference_server.resources import resource_of
from reference_server.spec_rules import load_rules
from reference_server.store import Query, Store

REPEATS = 20


@dataclass(frozen=True)
class Breakdown:
    request: str
    first_count_ms: float  # the query that counts every match, the first time for a filter
    count_ms: float  # the same count again, remembered by the store
    search_ms: float  # both queries (the count remembered) and the items of the page
    http_p50_ms: float | None  # the whole request, one at a time, from the server table


def search_of(path: str) -> Query | None:
    """The store query the server makes for a list request path, None for another path."""
    rules = load_rules()
    resource = resource_of(measured_resource(rules), rules)
    parts = urlsplit(path)
    if parts.path != resource.declared.path:
        return None
    return resource.query(resource.parse_list(parse_qsl(parts.query)))


def first_count(store: Store, name: str, count_only: Query) -> None:
    store.forget_counts()
    store.search(name, count_only)


def run(database: Path, results: ServerResults, data: str) -> list[Breakdown]:
    breakdowns = []
    rules = load_rules()
    name = measured_resource(rules).name
    store = Store.open(rules.resources, database)
    try:
        for item in results.measured:
            search = search_of(item.scenario.path)
            if item.server != REFERENCE or item.scenario.data != data or search is None:
                continue
            count_only = dataclasses.replace(search, limit=0)
            store.search(name, search)  # not timed: SQLite reads the pages it needs into its cache
            first = time_runs(partial(first_count, store, name, count_only), REPEATS).median
            count = time_runs(partial(store.search, name, count_only), REPEATS).median
            both = time_runs(partial(store.search, name, search), REPEATS).median
            http = None if item.single is None else item.single.p50_ms
            breakdowns.append(
                Breakdown(item.scenario.request, first * 1e3, count * 1e3, both * 1e3, http)
            )
    finally:
        store.close()
    return breakdowns


def section(breakdowns: list[Breakdown], groups: int) -> Section:
    table = Section(
        "breakdown",
        f"Where a list request's time goes, {groups:,} groups",
        ["Request", "Counting, first time ms", "Counting, remembered ms", "Store in all ms",
         "Whole request ms", "First count, share of a first request %"],
    )  # fmt: skip
    for item in breakdowns:
        first_request = None
        if item.http_p50_ms:
            first_request = item.http_p50_ms - item.count_ms + item.first_count_ms
        share = None if not first_request else 100 * item.first_count_ms / first_request
        table.add(item.request, item.first_count_ms, item.count_ms, item.search_ms,
                  item.http_p50_ms, share)  # fmt: skip
    table.notes.append(
        f"Medians of {REPEATS} calls of the store in-process, on the server's SQLite file: "
        "counting is the `COUNT(*)` behind `total_items`, which reads every matching row the "
        "first time a filter is asked for; the store then remembers the count (up to 1,024 "
        "filters, until groups are added). The store in all adds the `LIMIT`/`OFFSET` query "
        "of the page and the items it reads. The whole request is the 1-connection p50 "
        "over HTTP from the table above, where every request repeats its filter; a first "
        "request costs about that plus the difference of the two counting columns."
    )
    return table

"""The reference server under wrk on loopback: throughput and latency of the list and detail
operations, with the spec's four documented groups and with many synthetic ones (default page,
a name filter, a deep offset, each sort field of the spec), and the same documented requests
against Prism's mock server on the same spec."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from benchmarks import distinct
from benchmarks.memory import Resident, resident
from benchmarks.prism import PRISM, start_prism
from benchmarks.report import Section
from benchmarks.servers import Servers
from benchmarks.wrk import INSTALL_HINT, Load, WrkResult, run_wrk, wrk_executable
from contract.conformance import basic
from contract.conformance.live_server import LiveServer
from contract.spec.declarations import ListResource, member
from reference_server.data import NOUNS, documented_items
from reference_server.spec_rules import SpecRules, load_rules

REFERENCE, PRISM_NAME = "reference", "Prism"
WARMUP = Load(connections=16, seconds=1)


@dataclass(frozen=True)
class Settings:
    loaded: Load
    single: Load  # one connection: one request at a time, the latency without a queue
    warmup: Load = WARMUP
    distinct: tuple[Load, Load] | None = None  # of queries that never repeat; None: not run


@dataclass(frozen=True)
class Scenario:
    data: str
    request: str
    path: str  # with the query, relative to the base URL
    compare_with_prism: bool = False


@dataclass(frozen=True)
class Measured:
    scenario: Scenario
    server: str
    status: int  # of one request sent first: a scenario is measured only if it answers 200
    loaded: WrkResult | None = None
    single: WrkResult | None = None


@dataclass
class ServerResults:
    measured: list[Measured]
    skipped: str | None = None
    distinct: list[distinct.Measured] = field(default_factory=list)
    synthetic_started: Resident | None = None  # the synthetic server's memory once started

    def find(self, data: str, request: str, server: str) -> Measured | None:
        for item in self.measured:
            if (item.scenario.data, item.scenario.request, item.server) == (data, request, server):
                return item
        return None


def measured_resource(rules: SpecRules) -> ListResource:
    """The resource the benchmarks load: the spec's first declared list."""
    return rules.resources[0]


def list_path(rules: SpecRules, **query: str | int) -> str:
    path = measured_resource(rules).path
    return f"{path}?{urlencode(query)}" if query else path


def detail_path(rules: SpecRules, key: str) -> str:
    detail = measured_resource(rules).detail
    return detail.path.replace("{" + detail.parameter + "}", quote(key, safe=""))


def documented_keys(rules: SpecRules) -> list[str]:
    resource = measured_resource(rules)
    return [str(item[resource.detail.key]) for item in documented_items(rules, resource)]


def documented_label(rules: SpecRules) -> str:
    return f"documented ({len(documented_keys(rules))})"


def synthetic_label(groups: int) -> str:
    return f"synthetic ({groups:,})"


REPEATED_NAME_FILTER_REQUEST = "list, one name filter repeated"


def documented_scenarios(rules: SpecRules) -> list[Scenario]:
    data = documented_label(rules)
    key = documented_keys(rules)[0]
    return [
        Scenario(data, "list, default page", list_path(rules), compare_with_prism=True),
        Scenario(data, "detail", detail_path(rules, key), compare_with_prism=True),
    ]


def synthetic_scenarios(rules: SpecRules, groups: int, known_key: str) -> list[Scenario]:
    """The sort fields and parameter names come from the spec's declarations; the filter is
    the substring one, and its word one the synthetic names use."""
    resource = measured_resource(rules)
    data = synthetic_label(groups)
    deep = max(groups - 1000, 0)
    word = NOUNS[0].casefold()
    name = next(f.parameter for f in resource.filters if f.match == "contains")
    offset = resource.paging.offset
    sorting = resource.sorting
    sorts = [(sorting.field, value) for value in sorting.fields] if sorting else []
    return [
        Scenario(data, "list, default page", list_path(rules)),
        Scenario(
            data,
            f"{REPEATED_NAME_FILTER_REQUEST} (`{name}={word}`)",
            list_path(rules, **{name: word}),
        ),
        Scenario(
            data, f"list, deep offset (`{offset}={deep}`)", list_path(rules, **{offset: deep})
        ),
        *(
            Scenario(data, f"list, sorted by `{value}`", list_path(rules, **{parameter: value}))
            for parameter, value in sorts
        ),
        Scenario(data, "detail", detail_path(rules, known_key)),
    ]


def middle_key(server: LiveServer, rules: SpecRules, groups: int) -> str:
    """The id of a group in the middle of the synthetic list, for the detail scenario."""
    resource = measured_resource(rules)
    paging = resource.paging
    url = server.base_url + list_path(rules, **{paging.offset: groups // 2, paging.step: 1})
    response = httpx.get(url, auth=server.auth, timeout=30)
    response.raise_for_status()
    return str(member(response.json(), paging.results)[0][resource.detail.key])


def settle(url: str, authorization: str) -> int:
    """The status of one request. Sent before each run of wrk, it also waits until the server
    has answered what the previous run left queued, which would otherwise count in this run."""
    return httpx.get(url, headers={"Authorization": authorization}, timeout=60).status_code


def measure(
    base_url: str, authorization: str, scenario: Scenario, server: str, settings: Settings
) -> Measured:
    url = base_url + scenario.path
    status = settle(url, authorization)
    if status != 200:
        return Measured(scenario, server, status)
    loaded = run_wrk(url, authorization, settings.loaded)
    settle(url, authorization)
    single = run_wrk(url, authorization, settings.single)
    return Measured(scenario, server, status, loaded, single)


def measure_all(
    base_url: str,
    authorization: str,
    scenarios: list[Scenario],
    server: str,
    settings: Settings,
) -> Iterator[Measured]:
    # A first run warms up caches, the JIT of Prism's Node and SQLite's pages; not reported.
    run_wrk(base_url + scenarios[0].path, authorization, settings.warmup)
    for scenario in scenarios:
        yield measure(base_url, authorization, scenario, server, settings)


def run(servers: Servers, log_dir: Path, settings: Settings) -> ServerResults:
    if wrk_executable() is None:
        return ServerResults(
            [], skipped=f"wrk is not installed, so nothing was loaded; {INSTALL_HINT}."
        )
    rules = load_rules()
    measured: list[Measured] = []
    documented = servers.documented()
    auth = basic(documented.user, documented.password)
    scenarios = documented_scenarios(rules)
    measured += measure_all(documented.base_url, auth, scenarios, REFERENCE, settings)
    if PRISM.exists():
        with ExitStack() as stack:
            prism = stack.enter_context(start_prism(log_dir))
            # Prism checks that Basic credentials are present (it cannot check their value).
            peers = [s for s in scenarios if s.compare_with_prism]
            measured += measure_all(prism.base_url, auth, peers, PRISM_NAME, settings)
    synthetic = servers.synthetic()
    started = resident(synthetic.pid)
    auth = basic(synthetic.user, synthetic.password)
    key = middle_key(synthetic, rules, servers.groups)
    scenarios = synthetic_scenarios(rules, servers.groups, key)
    measured += measure_all(synthetic.base_url, auth, scenarios, REFERENCE, settings)
    never_repeated: list[distinct.Measured] = []
    if settings.distinct:
        settle(synthetic.base_url + list_path(rules), auth)
        never_repeated = distinct.run(
            synthetic.base_url, auth, measured_resource(rules), servers.groups,
            settings.distinct, log_dir,
        )  # fmt: skip
    return ServerResults(measured, distinct=never_repeated, synthetic_started=started)


def prism_ratio(results: ServerResults, item: Measured) -> float | None:
    """Reference requests per second over Prism's, for the same request and data."""
    if item.server != REFERENCE or not item.scenario.compare_with_prism:
        return None
    peer = results.find(item.scenario.data, item.scenario.request, PRISM_NAME)
    if item.loaded is None or peer is None or peer.loaded is None:
        return None
    return item.loaded.requests_per_second / peer.loaded.requests_per_second


def section(results: ServerResults, servers: Servers, settings: Settings) -> Section:
    table = Section(
        "server",
        "Reference server and Prism under load",
        ["Data", "Request", "Server", "req/s", "p50 ms", "p99 ms",
         "p50 ms, 1 conn.", "p99 ms, 1 conn.", "Errors", "req/s vs Prism"],
    )  # fmt: skip
    if results.skipped:
        table.notes.append(results.skipped)
        return table
    for item in results.measured:
        loaded, single = item.loaded, item.single
        errors = None if loaded is None or single is None else loaded.errors + single.errors
        request = item.scenario.request
        if item.status != 200:
            request += f": answered {item.status}, not measured"
        table.add(
            item.scenario.data,
            request,
            item.server,
            None if loaded is None else loaded.requests_per_second,
            None if loaded is None else loaded.p50_ms,
            None if loaded is None else loaded.p99_ms,
            None if single is None else single.p50_ms,
            None if single is None else single.p99_ms,
            errors,
            prism_ratio(results, item),
        )
    table.notes += [
        f"wrk on 127.0.0.1: {settings.loaded.describe()} per request (req/s, p50, p99), then "
        f"{settings.single.describe()} (the 1-connection columns: one request at a time, the "
        "latency without queueing); a 1 s warm-up per server is not reported. One wrk thread "
        "leaves the second core to the server.",
        "Reference server: `python -m reference_server` with one uvicorn worker "
        "(uvloop, httptools), access log off (`--log-level warning`), groups in SQLite "
        "(in memory for the documented ones, a file for the synthetic ones).",
        "Prism: `prism mock -v warn` on `generated/openapi.yaml`, one Node process, serving the "
        "spec's examples (it ignores filters and ids, and serves the paths without the server "
        "URL's prefix). Both servers get the same Basic credentials; Prism checks only that "
        "they are there.",
    ]
    if not PRISM.exists():
        table.notes.append("Prism is not installed (`make node_modules`): no comparison.")
    if servers.seed_seconds is not None:
        table.notes.append(
            f"Starting the server with `--synthetic {servers.groups} --db FILE` (creating and "
            f"seeding the file) took {servers.seed_seconds:.1f} s."
        )
    return table

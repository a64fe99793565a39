"""Load that no cache flatters: lists of request paths over the synthetic groups in which no
query comes twice in a run (name filters, exact ids, offsets over the whole range, with and
without sorting, and all of them mixed with the default page). Each list is sent once (cold:
every query for the first time) and at once again (steady: every query for the second time).
The values are drawn from the same synthetic items the server generates (same seed), and the
parameter names come from the spec's declarations."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.report import Section
from benchmarks.wrk import Load, PathsSent, WrkResult, run_wrk_paths, write_paths
from contract.spec.declarations import ListResource
from reference_server.data import synthetic_items

SEED = 0  # the reference server's default --seed
# Paths written for one run at most: more than a generous rate sends in the measured seconds.
GENEROUS_RATE = 10_000
SHARES = 4  # each pool of values is split between four runs: loaded and single, alone and mixed
SHORT = 3  # name filters of at most this many characters are the broad ones

NAME_SHORT, NAME_LONG, NAME_OTHER = "short names", "long names", "non-ASCII names"
EXACT, OFFSET, SORTED, DEFAULT = "exact", "offset", "sorted offset", "default page"
NAME_KINDS = (NAME_SHORT, NAME_LONG, NAME_OTHER)


@dataclass(frozen=True)
class Scenario:
    request: str
    kinds: tuple[str, ...]
    name_filter: bool = False


@dataclass(frozen=True)
class Run:
    cold: WrkResult
    steady: WrkResult
    repeated: int  # cold requests that repeated a query because the list ran out


@dataclass(frozen=True)
class Measured:
    scenario: Scenario
    paths: int  # distinct queries written for the loaded run
    loaded: Run
    single: Run | None  # one request at a time; None when not measured


@dataclass
class Pools:
    """Distinct query strings by kind, shuffled; each is handed out once per run of the
    benchmark."""

    values: dict[str, list[dict[str, str | int]]]
    taken: dict[str, int] = field(default_factory=dict)

    def share(self, kind: str, seconds: int) -> list[dict[str, str | int]]:
        """The next of the pool's SHARES parts, at most what a generous rate sends."""
        pool = self.values[kind]
        start = self.taken.get(kind, 0)
        size = min(len(pool) // SHARES or len(pool), GENEROUS_RATE * seconds)
        self.taken[kind] = start + size
        return pool[start : start + size]


def name_filters(resource: ListResource, groups: int, seed: int = SEED) -> dict[str, list[str]]:
    """Substrings of the synthetic names, each in a case variant of its own; no two fold to
    the same text, so no two share a count the server could remember. Keyed by kind: 1-3
    characters (broad), 4 or more (selective), and any length with a non-ASCII letter."""
    contains = next(f for f in resource.filters if f.match == "contains")
    generator = random.Random(seed)
    names = sorted(
        {str(item[contains.property_name]) for item in synthetic_items(resource, groups, seed)}
    )
    found: dict[str, str] = {}
    for name in names:
        for start in range(len(name)):
            for end in range(start + 1, len(name) + 1):
                text = name[start:end]
                found.setdefault(text.casefold() if contains.case != "sensitive" else text, text)
    kinds: dict[str, list[str]] = {kind: [] for kind in NAME_KINDS}
    for key, text in sorted(found.items()):
        if contains.case != "sensitive":
            variant = "".join(c.upper() if generator.random() < 0.5 else c.lower() for c in text)
            text = variant if variant.casefold() == key else text
        kind = NAME_OTHER if not text.isascii() else NAME_SHORT if len(text) <= SHORT else NAME_LONG
        kinds[kind].append(text)
    for values in kinds.values():
        generator.shuffle(values)
    return kinds


def pools(resource: ListResource, groups: int, seed: int = SEED) -> Pools:
    """Every kind of distinct query over `groups` synthetic items, in a fixed random order."""
    generator = random.Random(seed)
    values: dict[str, list[dict[str, str | int]]] = {}
    contains = next(f for f in resource.filters if f.match == "contains")
    for kind, texts in name_filters(resource, groups, seed).items():
        values[kind] = [{contains.parameter: text} for text in texts]
    exact = next(f for f in resource.filters if f.match == "equals")
    ids = [str(item[exact.property_name]) for item in synthetic_items(resource, groups, seed)]
    generator.shuffle(ids)
    values[EXACT] = [{exact.parameter: value} for value in ids]
    offset = resource.paging.offset
    page = 100  # the deepest offset leaves a page of this many
    offsets = list(range(max(groups - page, 0) + 1))
    generator.shuffle(offsets)
    values[OFFSET] = [{offset: number} for number in offsets]
    sorting = resource.sorting
    sorted_queries: list[dict[str, str | int]] = []
    if sorting:
        orders = [
            (value, direction)
            for value in sorting.fields
            for direction in (sorting.ascending, sorting.descending)
        ]
        sorted_queries = [
            {offset: number, sorting.field: value, sorting.direction: direction}
            for number, (value, direction) in zip(
                offsets, (orders[generator.randrange(len(orders))] for _ in offsets), strict=False
            )
        ]
    values[SORTED] = sorted_queries
    values[DEFAULT] = [{}]
    return Pools(values)


def scenarios(resource: ListResource) -> list[Scenario]:
    name = next(f.parameter for f in resource.filters if f.match == "contains")
    exact = next(f.parameter for f in resource.filters if f.match == "equals")
    offset = resource.paging.offset
    sorting = resource.sorting
    found = [
        Scenario(f"`{name}`: distinct, 1-{SHORT} characters (broad)", (NAME_SHORT,), True),
        Scenario(f"`{name}`: distinct, {SHORT + 1}+ characters (selective)", (NAME_LONG,), True),
        Scenario(f"`{name}`: distinct, non-ASCII", (NAME_OTHER,), True),
        Scenario(f"`{exact}`: distinct exact values", (EXACT,)),
        Scenario(f"`{offset}`: distinct, over the whole range", (OFFSET,)),
    ]
    if sorting:
        found.append(
            Scenario(
                f"`{offset}` with `{sorting.field}`, `{sorting.direction}`: distinct", (SORTED,)
            )
        )
    kinds = tuple(kind for scenario in found for kind in scenario.kinds)
    found.append(Scenario("all of the above mixed with the default page", (*kinds, DEFAULT)))
    return found


def paths(base_url: str, list_path: str, queries: list[dict[str, str | int]]) -> list[str]:
    prefix = urlsplit(base_url).path + list_path
    return [f"{prefix}?{urlencode(query)}" if query else prefix for query in queries]


def mixed(shares: list[list[dict[str, str | int]]]) -> Iterator[dict[str, str | int]]:
    """One query of each kind in turn; the default page in every turn, the others once."""
    longest = max(len(share) for share in shares)
    for index in range(longest):
        for share in shares:
            if len(share) == 1:
                yield share[0]
            elif index < len(share):
                yield share[index]


def replay(lines: list[str], sent: PathsSent) -> list[str]:
    """The lines a cold run sent, in the same places, for the steady run: for T threads,
    thread i sent lines i, i+T, ... so the file is cut after the last line any thread sent."""
    threads = len(sent.sent)
    last = max((i + (n - 1) * threads for i, n in enumerate(sent.sent) if n > 0), default=0)
    return lines[: min(last + 1, len(lines))]


def measure_run(
    base_url: str, authorization: str, load: Load, lines: list[str], folder: Path, name: str
) -> Run:
    cold_file = write_paths(lines, folder / f"{name}-cold.txt")
    cold, sent = run_wrk_paths(base_url, authorization, load, cold_file)
    steady_file = write_paths(replay(lines, sent), folder / f"{name}-steady.txt")
    steady, _ = run_wrk_paths(base_url, authorization, load, steady_file)
    return Run(cold, steady, sent.repeated)


def run(
    base_url: str,
    authorization: str,
    resource: ListResource,
    groups: int,
    loads: tuple[Load, Load | None],
    folder: Path,
) -> list[Measured]:
    """Each scenario loaded (`loads[0]`) and, unless None, one request at a time
    (`loads[1]`), each cold then steady, with values no other run of the benchmark sends."""
    all_pools = pools(resource, groups)
    measured: list[Measured] = []
    for number, scenario in enumerate(scenarios(resource)):
        runs: list[Run] = []
        written = 0
        for which, load in zip(("loaded", "single"), loads, strict=True):
            if load is None:
                continue
            shares = [all_pools.share(kind, load.seconds) for kind in scenario.kinds]
            queries = shares[0] if len(shares) == 1 else list(mixed(shares))
            lines = paths(base_url, resource.path, queries)
            written = written or len(lines)
            runs.append(
                measure_run(base_url, authorization, load, lines, folder, f"{number}-{which}")
            )
        measured.append(Measured(scenario, written, runs[0], runs[1] if len(runs) > 1 else None))
    return measured


def section(results: list[Measured], data: str, loads: tuple[Load, Load]) -> Section:
    table = Section(
        "server-distinct",
        f"Reference server, queries that never repeat, {data}",
        ["Request", "Distinct paths", "req/s cold", "p50 ms cold", "p99 ms cold",
         "req/s steady", "p50 ms steady", "p99 ms steady",
         "p99 ms cold, 1 conn.", "p99 ms steady, 1 conn.", "Repeated", "Errors"],
    )  # fmt: skip
    for item in results:
        loaded, single = item.loaded, item.single
        table.add(
            item.scenario.request,
            item.paths,
            loaded.cold.requests_per_second,
            loaded.cold.p50_ms,
            loaded.cold.p99_ms,
            loaded.steady.requests_per_second,
            loaded.steady.p50_ms,
            loaded.steady.p99_ms,
            None if single is None else single.cold.p99_ms,
            None if single is None else single.steady.p99_ms,
            sum(run.repeated for run in (loaded, single) if run),
            sum(r.errors for run in (loaded, single) if run for r in (run.cold, run.steady)),
        )
    table.notes += [
        f"wrk on 127.0.0.1 sends each line of a file of request paths once, in order: "
        f"{loads[0].describe()} (req/s, p50, p99), then {loads[1].describe()} (1 conn.) with "
        "other values. Cold: each query for the first time in the run; steady: the lines the "
        "cold run sent, sent again at once in the same order (each answered a second time).",
        "Values come from the server's own synthetic groups (same seed): name substrings in "
        "random case variants, no two folding to the same text; exact ids; offsets shuffled "
        "over the whole range, with random sort fields and directions. No value is used by two "
        "runs. The mixed row also sends the default page (one URL) between the others.",
        "Repeated: cold requests that reused a query because the list ran out (the synthetic "
        "names have few distinct substrings). The server remembers nothing between requests, "
        "so a reused query costs what a new one does; it is counted all the same.",
    ]
    return table

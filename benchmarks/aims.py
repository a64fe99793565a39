"""The issue's aims, checked against this run's numbers, so the table says whether they hold."""

from __future__ import annotations

from benchmarks.client import ClientResults
from benchmarks.report import Section
from benchmarks.server import REFERENCE, ServerResults, prism_ratio

NAME_FILTER_P99_MS = 20.0
TEN_MINUTES = 600.0
# Iterating is bounded when its peak is a small part of holding every group.
BOUNDED_SHARE = 0.1


def verdict(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "not met")


def throughput_aim(server: ServerResults | None) -> tuple[str, bool | None]:
    if server is None or server.skipped:
        return "not measured", None
    ratios = [
        (item.scenario.request, prism_ratio(server, item))
        for item in server.measured
        if item.server == REFERENCE and item.scenario.compare_with_prism
    ]
    known = [(request, ratio) for request, ratio in ratios if ratio is not None]
    if not known:
        return "not measured", None
    text = ", ".join(f"{request} {ratio:.2f} times" for request, ratio in known)
    return text, all(ratio >= 1 for _, ratio in known)


def name_filter_aim(server: ServerResults | None) -> tuple[str, str]:
    """Judged on the cold runs of distinct name filters (each query the first time), the
    slowest of them; a repeated URL would be answered from the server's count cache."""
    if server is None or server.skipped:
        return "not measured", verdict(None)
    cold = [item for item in server.distinct if item.scenario.name_filter]
    if not cold:
        return "not measured", verdict(None)
    loaded = max(item.loaded.cold.p99_ms for item in cold)
    single = max(item.single.cold.p99_ms for item in cold)
    text = (
        f"distinct filters, each sent the first time: worst p99 {loaded:.1f} ms under load, "
        f"{single:.1f} ms one request at a time"
    )
    if loaded < NAME_FILTER_P99_MS:
        return text, verdict(True)
    if single < NAME_FILTER_P99_MS:
        return text, "met one request at a time, not under load"
    return text, verdict(False)


def memory_aim(client: ClientResults | None) -> tuple[str, bool | None]:
    if client is None or not client.iterations:
        return "not measured", None
    *iterated, held = client.iterations
    largest = max(iterated, key=lambda item: item.page_size)
    text = (
        f"peak {largest.peak_mib:.1f} MiB with pages of {largest.page_size:,}; "
        f"{held.peak_mib:.1f} MiB holding all {held.groups:,}"
    )
    return text, largest.peak_mib < BOUNDED_SHARE * held.peak_mib


def section(
    server: ServerResults | None,
    client: ClientResults | None,
    groups: int,
    run_seconds: float,
) -> Section:
    table = Section("aims", "Aims", ["Aim", "Measured", "Verdict"])
    text, met = throughput_aim(server)
    table.add("Reference server at or above Prism's req/s (documented data)", text, verdict(met))
    text, judged = name_filter_aim(server)
    table.add(
        f"Name-filtered list over {groups:,} groups: p99 under {NAME_FILTER_P99_MS:g} ms",
        text,
        judged,
    )
    text, met = memory_aim(client)
    table.add(f"Iterating {groups:,} groups in bounded memory", text, verdict(met))
    table.add(
        "`make bench` under ten minutes",
        f"{run_seconds / 60:.1f} min for the measurements (bootstrap not included)",
        verdict(run_seconds < TEN_MINUTES),
    )
    table.notes.append(
        "Under load, one uvicorn worker answers one request at a time, so a p99 under load "
        "includes the wait behind the other connections' requests."
    )
    return table

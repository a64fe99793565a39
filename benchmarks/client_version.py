"""What one version of the generated client costs, run in a process of its own with that
version's package first on sys.path (`python -m benchmarks.client_version BODIES URL`, the
credentials in BENCH_USER and BENCH_PASSWORD): its own CPU per group, turning recorded page
bodies into models and handing out their items with no server, and the rate and peak memory
of a loop over every group of a live server. Prints one JSON object.

The same code measures each version: only where a version parses a page differs, the
Pydantic client (3.x) with `_runtime.parse`, the attrs one (2.x) as its facade did, through
the operation module's `_build_response`."""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

ROUNDS = 5  # passes over the recorded bodies; the fastest counts (least disturbed)
MIB = 2**20
PAGE_SIZE = 100


def page_parser() -> Callable[[httpx.Response], Sequence[Any]]:
    """The items of a 200 page body, parsed as this version of the client parses them."""
    runtime: Any = importlib.import_module("customer_interface_client._runtime")
    models: Any = importlib.import_module("customer_interface_client.models")
    model, statuses = models.EventGroupListResponse, frozenset({200})

    def items(body: Any) -> Sequence[Any]:
        page = runtime.Page(body, 0, None, lambda b: b.data.event_groups, lambda b: 0)
        return page.items  # type: ignore[no-any-return]

    if hasattr(runtime, "parse"):
        return lambda response: items(runtime.parse(model, response, statuses))
    operation: Any = importlib.import_module(
        "customer_interface_client.api.event_groups.list_event_groups"
    )
    client = importlib.import_module("customer_interface_client").Client(
        base_url="http://127.0.0.1"
    )

    def attrs_items(response: httpx.Response) -> Sequence[Any]:
        built = operation._build_response(client=client, response=response)
        return items(runtime.parsed(built.parsed, model, 200, response.content))

    return attrs_items


def cpu_per_group(bodies: list[bytes]) -> float:
    """CPU microseconds per group of parsing every body and handing out its items."""
    parse = page_parser()
    request = httpx.Request("GET", "http://127.0.0.1/event-groups")
    responses = [httpx.Response(200, content=body, request=request) for body in bodies]
    best = float("inf")
    for _ in range(ROUNDS):
        groups = 0
        started = time.process_time()
        for response in responses:
            for _item in parse(response):
                groups += 1
        best = min(best, (time.process_time() - started) / groups * 1e6)
    return best


def iterate(url: str, user: str, password: str) -> tuple[int, float, float]:
    """Groups seen, seconds and peak MiB of `for group in list(count=100)` over every group."""
    client: Any = importlib.import_module("customer_interface_client")

    def walk() -> int:
        with client.CustomerInterface(url, user, password) as api:
            return sum(1 for _ in api.event_groups.list(count=PAGE_SIZE))

    walk()  # warm: imports, connections, the server's caches of this query
    started = time.perf_counter()
    seen = walk()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    walk()
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    return seen, seconds, peak


def main(argv: list[str]) -> int:
    folder, url = Path(argv[0]), argv[1]
    bodies = [path.read_bytes() for path in sorted(folder.glob("*.json"))]
    seen, seconds, peak = iterate(url, os.environ["BENCH_USER"], os.environ["BENCH_PASSWORD"])
    result = {
        "version": importlib.import_module("customer_interface_client").__version__,
        "cpu_us_per_group": cpu_per_group(bodies),
        "groups": seen,
        "seconds": seconds,
        "peak_mib": peak,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

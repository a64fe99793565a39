"""How `make breaking` scales. On DigitalOcean's public API description (a pair of its bundled
files is vendored in tests/fixtures/digitalocean/: 3.6 MB of JSON each, two enum values changed
between them): the time to compare, and with a checkout of its split spec (`--digitalocean`)
the time to bundle both sides too. On a synthetic spec grown step by step (operations, schemas,
nesting; one shared schema changed, so every operation is affected): the time per operation and
the memory at each size, to show that the cost grows no faster than the spec. Each measurement
runs in a fresh process, so nothing is cached between runs."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.report import Section
from contract.errors import ContractError
from contract.layout import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "digitalocean"
SIZES = (100, 200, 400, 800, 1600)  # operations of the synthetic spec
SPLIT_ROOT = "specification/DigitalOcean-public.v2.yaml"

# Run in a child process: the argument is a JSON list of the two files (bundled JSON, .gz or
# not) or of two split-spec roots ("split": true); prints seconds and peak memory.
CHILD = r"""
import gzip, json, re, sys, time
from pathlib import Path
def peak_kib():  # this process's high-water mark; getrusage would count the parent's before exec
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
from contract.breaking import classify
from contract._node_tools import bundle_documents
job = json.loads(sys.argv[1])
started = time.perf_counter()
if job["split"]:
    documents = bundle_documents([Path(p) for p in job["files"]])
else:
    def read(path):
        data = Path(path).read_bytes()
        return json.loads(gzip.decompress(data) if path.endswith(".gz") else data)
    documents = [read(p) for p in job["files"]]
loaded = time.perf_counter()
report = classify(*documents)
done = time.perf_counter()
print(json.dumps({
    "load": loaded - started, "compare": done - loaded,
    "peak_mib": peak_kib() / 1024,
    "breaking": len(report.breaking), "changes": len(report.changes),
}))
"""


@dataclass(frozen=True)
class Measured:
    load: float  # seconds: reading (or bundling) both sides
    compare: float  # seconds: classifying every difference
    peak_mib: float
    breaking: int
    changes: int


def measure(files: list[Path], *, split: bool) -> Measured:
    job = json.dumps({"files": [str(f) for f in files], "split": split})
    result = subprocess.run(
        [sys.executable, "-c", CHILD, job],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        raise ContractError(f"make breaking's measurement failed: {result.stderr.strip()[-500:]}")
    return Measured(**json.loads(result.stdout))


def synthetic(operations: int, *, changed: bool) -> dict[str, Any]:
    """A spec of `operations` list operations, each returning a schema of its own that nests
    three levels of shared schemas and every error the shared Error schema; `changed` adds an
    enum value to Error, which every operation returns."""
    codes = ["bad_request", "not_found"] + (["gone"] if changed else [])
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"type": "string", "enum": codes}, "detail": {"type": "string"}},
        },
        "Leaf": {"type": "object", "properties": {"id": {"type": "integer"}}},
    }
    paths: dict[str, Any] = {}
    for i in range(operations):
        schemas[f"Inner{i}"] = {
            "type": "object",
            "properties": {"leaf": {"$ref": "#/components/schemas/Leaf"}, "n": {"type": "number"}},
        }
        schemas[f"Item{i}"] = {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "inner": {"$ref": f"#/components/schemas/Inner{i}"},
                "tags": {"type": "array", "items": {"$ref": f"#/components/schemas/Inner{i}"}},
            },
        }
        error = {
            "description": "Error.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        paths[f"/things{i}"] = {
            "get": {
                "operationId": f"listThings{i}",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "Items.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": f"#/components/schemas/Item{i}"},
                                }
                            }
                        },
                    },
                    "400": error,
                    "404": error,
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


@dataclass(frozen=True)
class Grown:
    operations: int
    size_kib: float
    measured: Measured


def grow(folder: Path) -> list[Grown]:
    grown = []
    for operations in SIZES:
        old, new = folder / f"old-{operations}.json", folder / f"new-{operations}.json"
        old.write_text(json.dumps(synthetic(operations, changed=False)), "utf-8")
        new.write_text(json.dumps(synthetic(operations, changed=True)), "utf-8")
        size = (old.stat().st_size + new.stat().st_size) / 2 / 1024
        grown.append(Grown(operations, size, measure([old, new], split=False)))
    return grown


def run(digitalocean: Path | None) -> list[Section]:
    vendored = measure([FIXTURE / "before.json.gz", FIXTURE / "after.json.gz"], split=False)
    table = Section(
        "breaking-digitalocean",
        "make breaking on DigitalOcean's spec (its commit 7c1300c4 against the one before)",
        ["input", "read or bundle", "compare", "peak memory", "breaking", "changes"],
    )
    table.add(
        "the vendored bundled pair", vendored.load, vendored.compare,
        f"{vendored.peak_mib:.0f} MiB", vendored.breaking, vendored.changes,
    )  # fmt: skip
    if digitalocean is not None:
        split = measure(
            [digitalocean / "before" / SPLIT_ROOT, digitalocean / "after" / SPLIT_ROOT], split=True
        )
        table.add(
            "the two split specs (about 2,900 files each)", split.load, split.compare,
            f"{split.peak_mib:.0f} MiB", split.breaking, split.changes,
        )  # fmt: skip
    else:
        table.notes.append(
            "The split specs were not measured: give --digitalocean FOLDER, a folder holding "
            "`before/` and `after/` checkouts of github.com/digitalocean/openapi."
        )
    table.notes.append(
        "Each row runs in a fresh process; bundling runs Redocly once per side, side by side."
    )
    with tempfile.TemporaryDirectory() as scratch:
        grown = grow(Path(scratch))
    growth = Section(
        "breaking-growth",
        "make breaking on a growing synthetic spec (one shared schema changed: every operation is affected)",  # noqa: E501
        ["operations", "bundled size", "compare", "per operation", "peak memory", "changes"],
    )
    for item in grown:
        growth.add(
            item.operations, f"{item.size_kib:,.0f} KiB", item.measured.compare,
            f"{item.measured.compare / item.operations * 1e6:,.0f} µs",
            f"{item.measured.peak_mib:.0f} MiB", item.measured.changes,
        )  # fmt: skip
    first, last = grown[0], grown[-1]
    ratio = (last.measured.compare / last.operations) / (first.measured.compare / first.operations)
    growth.notes.append(
        f"From {first.operations} to {last.operations} operations the time per operation "
        f"changes by a factor of {ratio:.2f}: the cost grows "
        + ("no faster than the spec." if ratio <= 1.5 else "faster than the spec.")
    )
    return [table, growth]

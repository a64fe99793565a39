"""Every Python sample of the client's README and of docs/client.md runs as pasted, each in a
fresh interpreter with the client importable as once installed, against the reference server
that `API_PASSWORD=demo-password make serve` starts (here on a free port)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.conformance.live_server import LiveServer, start_live_server
from contract.layout import DOCS_DIR, GENERATED_DIR

PAGES = (GENERATED_DIR / "client" / "README.md", DOCS_DIR / "client.md")
SERVE_ORIGIN = "http://127.0.0.1:8080"  # where `make serve` listens by default


def samples() -> Iterator[object]:
    for page in PAGES:
        blocks = re.findall(r"```python\n(.*?)```", page.read_text("utf-8"), re.S)
        for index, block in enumerate(blocks):
            yield pytest.param(block, id=f"{page.name}-{index + 1}")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("demo-server")
    with start_live_server(folder, user="demo", password="demo-password") as server:
        yield server


@pytest.mark.parametrize("sample", list(samples()))
def test_the_sample_runs_as_pasted(sample: str, demo_server: LiveServer, tmp_path: Path) -> None:
    origin = demo_server.base_url.split("/rest-api")[0]
    script = tmp_path / "sample.py"
    script.write_text(sample.replace(SERVE_ORIGIN, origin), "utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOMER_INTERFACE_")}

    result = subprocess.run(
        [sys.executable, str(script)],
        env={**environment, "PYTHONPATH": str(GENERATED_DIR / "client")},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if "print(" in sample:
        assert result.stdout.strip(), "the sample printed nothing"
    if "_LOG" in sample:
        assert " -> 200 OK (" in result.stderr  # the request line of the client's log

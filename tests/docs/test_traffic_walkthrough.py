"""The validating proxy's walkthrough in docs/traffic.md works as pasted: the server, the proxy
in front of it, the client through the proxy, the HAR the proxy wrote, and make check-traffic
on it. Ports become free ones, the HAR goes to a temporary folder, and the client is the
generated one from this checkout instead of the Quick start's install."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from contract.conformance.live_server import free_port
from contract.layout import REPO_ROOT
from tests.support.pasted import run_pasted

PAGE = REPO_ROOT / "docs" / "traffic.md"
MARKER = "<!-- traffic-walkthrough: a test runs this block as it is -->"


def walkthrough() -> str:
    text = PAGE.read_text("utf-8")
    after = text[text.index(MARKER) + len(MARKER) :]
    match = re.match(r"\s*```sh\n(.*?)\n```", after, re.S)
    assert match, "the walkthrough marker is not followed by a ```sh block"
    return match.group(1)


def test_the_proxy_walkthrough_runs_as_written(tmp_path: Path) -> None:
    server, proxy = free_port(), free_port()
    script = walkthrough().replace("8080", str(server)).replace("8081", str(proxy))
    script = script.replace("session.har", str(tmp_path / "session.har"))
    script = script.replace("/tmp/event-groups-client/bin/python", sys.executable)
    client = str(REPO_ROOT / "generated" / "client")
    with run_pasted(script, REPO_ROOT, 300, PORT=str(server), PYTHONPATH=client) as ran:
        out = ran.out
    if ran.returncode != 0:
        pytest.fail(f"the walkthrough failed ({ran.returncode}):\n{out[-4000:]}")

    assert re.search(r"^\d+$", out, re.M), out  # the client counted the groups
    assert re.search(r"Proxied \d+ exchanges, 0 violation\(s\)", out), out
    assert f"HAR: {tmp_path / 'session.har'}" in out
    assert "Traffic PASSED: 0 finding(s)" in out

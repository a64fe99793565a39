"""The README's Quick start works as pasted: its block runs through bash in a fresh copy of the
repository, with plain pip installing the client from the package index and curl calling the
server, and each step shows what the README says it does. Two things change, so that the run
takes nothing of the machine's: the port (8080 may be taken) and the client's folder under
/tmp."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.conformance.live_server import free_port
from contract.layout import README
from tests.support.pasted import run_pasted
from tests.support.scratch_repo import fresh_copy, git

MARKER = "<!-- quick-start: a test runs this block as it is -->"
PORT = "8080"
CLIENT_FOLDER = "/tmp/event-groups-client"


def quick_start_block() -> str:
    text = README.read_text("utf-8")
    after = text[text.index(MARKER) + len(MARKER) :]
    match = re.match(r"\s*```sh\n(.*?)\n```", after, re.S)
    assert match, "the Quick start marker is not followed by a ```sh block"
    return match.group(1)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def quick_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    """The block's output (stdout and stderr, in order), the copy it ran in, and its port.
    One test reads it all: the block takes most of a minute, and a fixture shared by several
    tests runs once per pytest-xdist worker that gets one of them."""
    if shutil.which("curl") is None:
        pytest.fail("curl is not installed: the Quick start calls the server with it")
    folder = fresh_copy(tmp_path_factory.mktemp("clone"))
    port = free_port()
    script = quick_start_block().replace(PORT, str(port))
    script = script.replace(CLIENT_FOLDER, str(tmp_path_factory.mktemp("client")))
    with run_pasted(script, folder, 900, PORT=str(port)) as ran:
        yield ran.out, folder, port


def test_each_step_of_the_quick_start_does_what_the_readme_says(
    quick_start: tuple[str, Path, int],
) -> None:
    out, folder, port = quick_start
    tail = out[-5000:]

    # the server answers curl with the documented envelope
    assert '{"data":{"event_groups":[{' in out, tail
    # plain pip installs the client, and it pages through every match
    assert "Successfully installed" in out, tail
    assert "customer-interface-client" in out, tail
    printed = [line for line in out.splitlines() if re.search(r"\bcart\b", line, re.I)]
    assert len(printed) > 2, tail
    # conformance passes against the server
    assert "Conformance PASSED" in out, tail
    # the docs are built
    assert (folder / "build" / "site" / "index.html").stat().st_size > 100_000
    # the spec edit is reported as breaking, and then undone
    assert re.search(r"^breaking\s+/paths/", out, re.M), tail
    assert "without a major version bump" in out, tail
    assert git(folder, "status", "--porcelain", "openapi") == ""
    # the server in the background printed no request between the commands' output
    assert not re.search(r'"GET /rest-api/\S+ HTTP/1\.1" \d{3}', out), tail
    assert "Invalid HTTP request received" not in out, tail
    assert "access log:  off" in out, tail
    # the server is stopped at the end
    assert port_is_free(port)

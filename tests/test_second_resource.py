"""A second resource needs no code change: the fixture spec adds `segments`, whose declared
paging, filters, sorting and query policy differ from the event groups' in every way the
declarations allow, and generation, the reference server, the generated client and the
conformance harness all follow it. Then one declaration is edited, and the server follows the
edit while the harness flags a server that keeps the old rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract.conformance import Probe, load_contract, run_checks
from contract.conformance.live_server import LiveServer, start_live_server
from contract.generate import bundle
from contract.spec.declarations import list_resources
from contract.spec.source import read_yaml
from scripts import conformance
from tests.conftest import copy_spec, edit_spec_file

NAME_FILTER = "resources/event_groups/parameters/name.yaml"


@pytest.fixture(scope="module")
def generated(two_resources: Path) -> Path:
    return two_resources


@pytest.fixture(scope="module")
def server(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The reference server serving the fixture spec, with 45 synthetic items per resource."""
    logs = tmp_path_factory.mktemp("two-resources-server")
    spec = str(generated / "openapi.yaml")
    with start_live_server(logs, "--spec", spec, "--synthetic", "45") as live:
        yield live


def get(server: LiveServer, path: str, **params: str) -> httpx.Response:
    return httpx.get(server.base_url + path, params=params, auth=server.auth, timeout=10)


def test_generation_writes_models_and_a_client_for_both_resources(generated: Path) -> None:
    models = (generated / "client" / "customer_interface_client" / "models.py").read_text("utf-8")
    facade = (generated / "client" / "customer_interface_client" / "api" / "__init__.py").read_text(
        "utf-8"
    )

    assert "class Segment(" in models
    assert "class EventGroup(" in models
    assert "self.segments = SegmentsApi(" in facade
    assert "self.event_groups = EventGroupsApi(" in facade
    assert {r.operation_id for r in list_resources(read_yaml(generated / "openapi.yaml"))} == {
        "listEventGroups",
        "listSegments",
    }


def test_the_server_pages_and_filters_segments_as_declared(server: LiveServer) -> None:
    first = get(server, "/segments").json()
    everything = get(server, "/segments", limit="50").json()

    assert len(first["segments"]) == 20  # the declared step parameter's default
    assert first["total"] == everything["total"] == 45
    codes = [s["code"] for s in everything["segments"]]
    assert codes == sorted(codes)  # default order: the tie-breaker, ascending
    assert get(server, "/segments", unknown="1").status_code == 400  # unknown: reject


def test_the_generated_client_iterates_over_every_segment_and_retrieves_one(
    generated: Path, server: LiveServer
) -> None:
    script = (
        "import json, os\n"
        "from customer_interface_client import CustomerInterface\n"
        "with CustomerInterface(os.environ['BASE_URL'], os.environ['API_USER'],"
        " os.environ['API_PASSWORD']) as api:\n"
        "    ids = [s.segment_id for s in api.segments.list()]\n"
        "    print(json.dumps([ids, api.segments.retrieve(ids[-1]).segment_id]))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(generated / "client"),
        "BASE_URL": server.base_url,
        "API_USER": server.user,
        "API_PASSWORD": server.password,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr

    listed = [s["segment_id"] for s in get(server, "/segments", limit="50").json()["segments"]]
    assert json.loads(result.stdout) == [listed, listed[-1]]


def test_the_property_checks_pass_on_both_resources(generated: Path, server: LiveServer) -> None:
    probe = Probe(server.base_url, server.user, server.password, max_requests=5000)
    try:
        run = run_checks(load_contract(generated / "openapi.yaml"), probe)
    finally:
        probe.close()

    assert run.findings == []
    assert run.unchecked == {}


def test_the_whole_conformance_run_passes_against_the_fixture(
    generated: Path, tmp_path: Path
) -> None:
    argv = ["--spec", str(generated / "openapi.yaml"), "--max-examples", "10"]
    assert conformance.main([*argv, "--reports", str(tmp_path)]) == 0


def edited_spec(folder: Path, change: Any) -> Path:
    """The contract with one declaration changed, bundled into `folder`."""
    root = copy_spec(folder)
    edit_spec_file(root, NAME_FILTER, change)
    spec, _ = bundle(root, folder / "bundled")
    return spec


def case_sensitive(document: Any) -> None:
    document["x-filter"]["case"] = "sensitive"


def test_an_edited_declaration_changes_the_server_and_the_harness(
    tmp_path: Path, live_server: LiveServer
) -> None:
    """The session's reference server (`live_server`) serves the unchanged contract and data,
    so only the edited one is started here."""
    spec = edited_spec(tmp_path, case_sensitive)
    unchanged = live_server
    with start_live_server(tmp_path, "--spec", str(spec)) as edited:
        assert get(edited, "/event-groups", name="cart").json()["data"]["total_items"] == 0
        assert get(edited, "/event-groups", name="Cart").json()["data"]["total_items"] == 1
        assert get(unchanged, "/event-groups", name="cart").json()["data"]["total_items"] == 1

        results = {}
        for label, live in (("edited", edited), ("unchanged", unchanged)):
            probe = Probe(live.base_url, live.user, live.password, max_requests=5000)
            try:
                results[label] = run_checks(load_contract(spec), probe).findings
            finally:
                probe.close()

    assert results["edited"] == []
    assert any("filter" in finding.check for finding in results["unchanged"]), results

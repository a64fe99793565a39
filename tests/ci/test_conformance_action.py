"""The composite conformance action (.github/actions/conformance), its steps run here as the
runner runs them: exit code and `exit-code` output 0 on the reference server, 1 on a server
that breaks the contract, 2 on a stopped one or an empty base URL; the credentials never on a
command line, and the reports written where the input says."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.conformance.live_server import LiveServer, free_port
from contract.layout import REPO_ROOT
from tests.ci.actions import run_action_steps
from tests.support.faults import ALL_FAULTS, PASSWORD, USER, reference_app, serve

ACTION = REPO_ROOT / ".github" / "actions" / "conformance" / "action.yml"
QUICK = {"max-examples": "1"}  # the exit codes are the action's to prove, not the harness's


def test_the_reference_server_passes_with_exit_code_0_and_reports(
    live_server: LiveServer, tmp_path: Path
) -> None:
    inputs = {
        "base-url": live_server.base_url,
        "credentials": f"{live_server.user}:{live_server.password}",
        **QUICK,
    }

    run = run_action_steps(ACTION, inputs, tmp_path)

    assert (run.exit_code, run.outputs.get("exit-code")) == (0, "0"), run.output
    reports = tmp_path / "conformance-reports"
    assert any(reports.glob("*.xml")), sorted(p.name for p in reports.iterdir())
    assert live_server.password not in run.output


def test_a_server_that_breaks_the_contract_gives_exit_code_1(tmp_path: Path) -> None:
    with serve(ALL_FAULTS["state is a string"](reference_app())) as base_url:
        inputs = {"base-url": base_url, "credentials": f"{USER}:{PASSWORD}", **QUICK}
        run = run_action_steps(ACTION, inputs, tmp_path)

    assert (run.exit_code, run.outputs.get("exit-code")) == (1, "1"), run.output
    assert "::error title=Conformance::the server breaks the contract" in run.output


@pytest.mark.parametrize("where", ["stopped", "empty"])
def test_a_stopped_server_or_no_base_url_is_a_setup_error_with_exit_code_2(
    where: str, tmp_path: Path
) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/rest-api" if where == "stopped" else ""
    inputs = {"base-url": base_url, "credentials": "someone:s3cret-value", **QUICK}

    run = run_action_steps(ACTION, inputs, tmp_path)

    assert (run.exit_code, run.outputs.get("exit-code")) == (2, "2"), run.output
    assert "::error title=Conformance setup::" in run.output
    assert "s3cret-value" not in run.output

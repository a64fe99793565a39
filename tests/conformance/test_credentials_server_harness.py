"""Credentials stay where they belong. A live reference server and a whole conformance run work
with a known random password; the password, `user:password` and its base64 form must then be
missing from every place they could leak to: process arguments, logs, terminal output, JUnit
files and other reports, reprs and error messages."""

from __future__ import annotations

import base64
import os
import secrets
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp

from contract.conformance import Probe, Target
from contract.conformance.live_server import (
    LiveServer,
    LiveServerError,
    scrubbed,
    start_live_server,
)
from contract.layout import REPO_ROOT
from reference_server.__main__ import chosen_password
from reference_server.__main__ import main as serve_main
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store
from scripts.conformance import main as conformance_main
from tests.support.faults import ALL_FAULTS, serve

USER = "leak-user"
# Faults that make both suites report failures, with their replay commands.
REPORTED_FAULTS = ("500 at the maximum count", "sort direction is ignored")


def forms(password: str) -> list[str]:
    """Every way the password could show up."""
    pair = f"{USER}:{password}"
    return [password, pair, base64.b64encode(pair.encode()).decode()]


def assert_hidden(text: str, password: str, where: str) -> None:
    for form in forms(password):
        assert form not in text, f"{where} shows {form!r}"


class ProcessWatch:
    """`ps -ww -eo args` (full width: without -ww, ps cuts lines at 80 columns) taken again
    and again in a thread, for as long as the block runs."""

    def __init__(self) -> None:
        self.snapshots: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            ps = subprocess.run(
                ["ps", "-ww", "-eo", "args"], capture_output=True, text=True, check=False
            )
            self.snapshots.append(ps.stdout)
            self._stop.wait(0.1)

    def __enter__(self) -> ProcessWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class Run:
    password: str
    server: LiveServer
    conformance: subprocess.CompletedProcess[str]
    reports: Path
    processes: list[str]  # every `ps` snapshot taken during the run


def faulty_app(password: str) -> ASGIApp:
    rules = load_rules()
    store = Store.open(rules.resources)
    for resource in rules.resources:
        store.add_all(resource.name, synthetic_items(resource, 40))
    app: ASGIApp = create_app(credentials=Credentials(USER, password), store=store)
    for fault in REPORTED_FAULTS:
        app = ALL_FAULTS[fault](app)
    return app


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """A live server, and a conformance run (schemathesis and the property checks) against a
    server with faults, both with the same random password, while `ps` is watched."""
    folder = tmp_path_factory.mktemp("credentials")
    password = secrets.token_urlsafe(16)
    reports = folder / "reports"
    env = {**os.environ, "AUTH": f"{USER}:{password}", "PYTHONUNBUFFERED": "1"}
    with (
        ProcessWatch() as watch,
        start_live_server(folder, user=USER, password=password) as server,
        serve(faulty_app(password)) as faulty_url,
    ):
        assert httpx.get(f"{server.base_url}/event-groups", auth=server.auth).status_code == 200
        command = [
            sys.executable, "-m", "scripts.conformance", "--base-url", faulty_url,
            "--max-examples", "3", "--max-requests", "400", "--reports", str(reports),
        ]  # fmt: skip
        result = subprocess.run(
            command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
        )
        yield Run(password, server, result, reports, watch.snapshots)


def test_the_run_really_used_the_password_and_reported_failures(run: Run) -> None:
    # Otherwise the scans below would pass for want of anything to leak.
    assert run.conformance.returncode == 1, run.conformance.stdout[-3000:]
    assert "schemathesis FAILED" in run.conformance.stdout
    assert "FAIL [sorting EventGroup]" in run.conformance.stdout
    assert """curl -si -X GET -u "$AUTH" """ in run.conformance.stdout  # schemathesis's replay


def test_no_password_in_the_server_log(run: Run) -> None:
    log = run.server.log.read_text("utf-8")
    assert "password:    from $API_PASSWORD" in log
    assert_hidden(log, run.password, "the server's log")


def test_no_password_in_the_conformance_output(run: Run) -> None:
    assert_hidden(run.conformance.stdout, run.password, "the conformance stdout")
    assert_hidden(run.conformance.stderr, run.password, "the conformance stderr")


def test_no_password_in_the_junit_files_or_any_report(run: Run) -> None:
    files = [path for path in run.reports.rglob("*") if path.is_file()]
    names = {path.name for path in files}
    assert {"schemathesis-junit.xml", "properties-junit.xml"} <= names
    assert "curl" in (run.reports / "schemathesis-junit.xml").read_text("utf-8")
    for path in files:
        assert_hidden(path.read_text("utf-8", errors="replace"), run.password, str(path))


def test_no_password_in_the_arguments_of_any_process(run: Run) -> None:
    seen = "\n".join(run.processes)
    # The watch saw the server and schemathesis running, so it had the chance to see more.
    assert "-m reference_server" in seen
    assert any("schemathesis" in snapshot and "run" in snapshot for snapshot in run.processes)
    assert_hidden(seen, run.password, "`ps -eo args`")


def test_no_password_in_the_reprs_of_live_server_probe_and_target(run: Run) -> None:
    server = run.server
    probe = Probe(server.base_url, server.user, server.password)
    try:
        shown = [
            repr(server),
            repr(probe),
            repr(Target(server.base_url, server.user, server.password, is_reference=True)),
            repr(Credentials(server.user, server.password)),
        ]
    finally:
        probe.close()
    for text in shown:
        assert server.user in text
        assert_hidden(text, run.password, text)


def test_no_password_in_a_live_server_error(tmp_path: Path) -> None:
    password = secrets.token_urlsafe(16)
    with (
        pytest.raises(LiveServerError) as failed,
        start_live_server(tmp_path, "--spec", str(tmp_path / "missing.yaml"), password=password),
    ):
        pass  # pragma: no cover

    assert "exited with 2" in str(failed.value)
    assert_hidden(str(failed.value), password, "the LiveServerError")


def test_no_password_in_a_server_error_even_if_the_server_printed_it() -> None:
    password = secrets.token_urlsafe(16)
    text = scrubbed(f"oops {password} and {password}\n", password)

    assert password not in text
    assert text == "oops [hidden] and [hidden]\n"


def test_a_password_file_open_to_others_is_refused_with_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    password = secrets.token_urlsafe(16)
    path = tmp_path / "password"
    path.write_text(password + "\n", "utf-8")
    path.chmod(0o644)

    assert serve_main(["--password-file", str(path)]) == 2

    err = capsys.readouterr().err
    assert f"error: {path}: permissions 0644 are too open" in err
    assert f"chmod 600 {path}" in err
    assert password not in err


def test_an_auth_file_open_to_others_is_refused_with_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "auth"
    path.write_text(f"{USER}:not-shown\n", "utf-8")
    path.chmod(0o640)

    assert conformance_main(["--base-url", "http://127.0.0.1:9", "--auth-file", str(path)]) == 2

    err = capsys.readouterr().err
    assert f"error: {path}: permissions 0640 are too open" in err
    assert "not-shown" not in err


def test_the_auth_file_and_the_spec_are_read_from_the_environment_as_documented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AUTH_FILE and SPEC work without make, as CI sets them: a file open to others is
    refused by its name, a spec that is not there too, before any request."""
    path = tmp_path / "auth"
    path.write_text(f"{USER}:not-shown\n", "utf-8")
    path.chmod(0o640)
    monkeypatch.setenv("AUTH_FILE", str(path))

    assert conformance_main(["--base-url", "http://127.0.0.1:9"]) == 2
    assert f"error: {path}: permissions 0640 are too open" in capsys.readouterr().err

    path.chmod(0o600)
    monkeypatch.setenv("SPEC", str(tmp_path / "missing.yaml"))
    assert conformance_main(["--base-url", "http://127.0.0.1:9"]) == 2
    assert "missing.yaml" in capsys.readouterr().err


def test_a_password_file_gives_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "password"
    path.write_text("first-line-password\nsecond line\n", "utf-8")
    path.chmod(0o600)

    with start_live_server(tmp_path, "--password-file", str(path), user=USER) as server:
        answer = httpx.get(f"{server.base_url}/event-groups", auth=(USER, "first-line-password"))
        log = server.log.read_text("utf-8")

    assert answer.status_code == 200
    assert f"password:    from {path}" in log
    assert "first-line-password" not in log


def test_a_generated_password_lands_in_a_0600_file_and_is_not_printed(tmp_path: Path) -> None:
    path = tmp_path / "generated-password"

    with start_live_server(tmp_path, "--password-file", str(path), user=USER) as server:
        password = path.read_text("utf-8").splitlines()[0]
        answer = httpx.get(f"{server.base_url}/event-groups", auth=(USER, password))
        log = server.log.read_text("utf-8")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert answer.status_code == 200
    assert f"password:    generated, in {path}" in log
    assert_hidden(log, password, "the server's log")


def test_without_any_password_one_is_generated_into_a_new_temporary_0600_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("API_PASSWORD", raising=False)

    password, origin = chosen_password(None)

    path = Path(origin.removeprefix("generated, in "))
    try:
        assert origin.startswith("generated, in ")
        assert password not in origin
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text("utf-8") == password + "\n"
    finally:
        path.unlink()


@pytest.mark.parametrize(
    ("target", "variable"), [("serve", "API_PASSWORD"), ("conformance", "AUTH")]
)
def test_make_echoes_no_credentials_of_its_recipes(target: str, variable: str) -> None:
    secret = secrets.token_urlsafe(12)
    value = f"someone:{secret}" if variable == "AUTH" else secret
    env = {**os.environ, variable: value, "API_USER": "someone"}

    result = subprocess.run(
        ["make", "-n", target], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert "scripts.conformance" in result.stdout or "reference_server" in result.stdout
    assert secret not in result.stdout + result.stderr

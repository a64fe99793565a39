"""Setup mistakes stop a conformance run before any fuzzing, with exit 2 and one message that
names the variable to fix, and never as findings or assumption verdicts: a server that is
down, silent or not speaking TLS, credentials it refuses, a BASE_URL without the API's path
prefix or with credentials in it. Servers that are set up but wrong and servers the spec
allows to differ pass the preflight, so that the checks judge them (every server of the fault
library goes through it in test_fault_library.py); so does a server still starting, whose
connections are refused for a moment."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from contract.conformance import load_contract
from contract.conformance._preflight import preflight
from contract.conformance.live_server import free_port
from contract.layout import BUNDLED_SPEC
from scripts.conformance import main
from tests.support.faults import PASSWORD, USER, reference_app, serve
from tests.support.spec_facts import PREFIX

CONTRACT = load_contract(BUNDLED_SPEC)


@contextmanager
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}{PREFIX}"


def run(
    base_url: str,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    auth: str = f"{USER}:{PASSWORD}",
    *options: str,
) -> tuple[int, str, str]:
    """The command as `make conformance` calls it; (exit code, stdout, stderr)."""
    reports = tmp_path / "reports"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTH", auth)
        code = main(["--base-url", base_url, "--reports", str(reports), *options])
    out, err = capfd.readouterr()
    assert not reports.exists(), "a setup failure wrote reports"
    return code, out, err


def assert_setup_error(code: int, out: str, err: str, *expected: str) -> None:
    assert code == 2
    assert err.startswith("error: "), err
    assert err.count("\n") == 1, err
    for text in expected:
        assert text in err
    for verdict in ("Assumptions:", "contradicted", "Schemathesis", "Property checks"):
        assert verdict not in out + err
    assert "Traceback" not in err


def test_a_stopped_server_is_a_setup_error_naming_base_url(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(f"http://127.0.0.1:{free_port()}{PREFIX}", tmp_path, capfd)

    assert_setup_error(code, out, err, "BASE_URL", "cannot reach", "Connection refused")


def test_a_server_that_never_answers_is_a_setup_error_naming_base_url(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with silent_server() as base_url:
        code, out, err = run(base_url, tmp_path, capfd, f"{USER}:{PASSWORD}",
                             "--first-answer-timeout", "1")  # fmt: skip

    assert_setup_error(code, out, err, "BASE_URL", "did not answer within 1 s")


def test_https_to_a_plain_http_server_is_a_setup_error_naming_base_url(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(reference_app()) as base_url:
        code, out, err = run(base_url.replace("http://", "https://"), tmp_path, capfd)

    assert_setup_error(code, out, err, "BASE_URL", "cannot reach", "SSL")


@pytest.mark.parametrize(
    ("auth", "from_file"),
    [(f"{USER}:wrong-password", False), (f"someone-else:{PASSWORD}", False),
     (f"{USER}:wrong-password", True)],
)  # fmt: skip
def test_refused_credentials_are_a_setup_error_naming_their_variable(
    auth: str, from_file: bool, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    variable = "AUTH_FILE" if from_file else "AUTH"
    options: list[str] = []
    if from_file:
        secret = tmp_path / "auth"
        secret.write_text(auth + "\n")
        secret.chmod(0o600)
        options = ["--auth-file", str(secret)]
    with serve(reference_app()) as base_url:
        code, out, err = run(base_url, tmp_path, capfd, "" if from_file else auth, *options)

    assert_setup_error(code, out, err, f"{variable}: the server refused the credentials")
    assert auth.partition(":")[2] not in err


@pytest.mark.parametrize("given", ["", "/rest-api", f"{PREFIX}/extra"])
def test_a_base_url_without_the_path_prefix_gets_the_prefixed_url_suggested(
    given: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(reference_app()) as base_url:
        origin = base_url.removesuffix(PREFIX)
        code, out, err = run(origin + given, tmp_path, capfd)

    assert_setup_error(code, out, err, "every operation answered 404", f"try BASE_URL={base_url}")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        (f"127.0.0.1:8080{PREFIX}", "is no http:// or https:// URL"),
        (f"ftp://127.0.0.1{PREFIX}", "is no http:// or https:// URL"),
        (f"http://{USER}:{PASSWORD}@127.0.0.1:9{PREFIX}", "BASE_URL carries credentials"),
    ],
)
def test_a_malformed_base_url_is_a_setup_error(
    base_url: str, expected: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(base_url, tmp_path, capfd)

    assert_setup_error(code, out, err, "BASE_URL", expected)
    assert PASSWORD not in err


def test_auth_without_a_colon_is_a_setup_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(f"http://127.0.0.1:9{PREFIX}", tmp_path, capfd, "nocolon")

    assert_setup_error(code, out, err, "AUTH must be user:password")


def test_a_server_still_starting_is_waited_for() -> None:
    """Its port refuses connections for a moment, then it answers: no setup error."""
    port = free_port()
    config = uvicorn.Config(reference_app(), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)

    def start_late() -> None:
        time.sleep(1.5)
        server.run()

    thread = threading.Thread(target=start_late, daemon=True)
    thread.start()
    try:
        checked = preflight(CONTRACT, f"http://127.0.0.1:{port}{PREFIX}", USER, PASSWORD)
    finally:
        server.should_exit = True
        thread.join(10)

    assert checked.hung == {}
    assert checked.first_answer >= 1.0


def test_valid_credentials_refused_on_one_operation_only_are_left_to_the_checks() -> None:
    """401 on some operations but not all is a finding of the auth checks, not a typo."""

    def list_only(app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"].count("/") > PREFIX.count("/") + 1:
                scope = {**scope, "headers": []}  # the detail operation loses the credentials
            await app(scope, receive, send)

        return guarded

    with serve(list_only(reference_app())) as base_url:
        preflight(CONTRACT, base_url, USER, PASSWORD)

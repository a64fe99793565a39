"""`python -m reference_server`: clear errors instead of tracebacks, and a real server over HTTP
(through the `live_server` fixture that other suites use too)."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import httpx
import pytest

from benchmarks.memory import family
from contract.conformance.live_server import LiveServer, start_live_server
from reference_server.__main__ import main
from reference_server.data import synthetic_items
from reference_server.spec_rules import load_rules
from reference_server.store import Store
from tests.support import spec_facts


def test_load_and_synthetic_are_mutually_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--load", "groups.json", "--synthetic", "5"])

    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--port", "70000"], ["--synthetic", "-1"]])
def test_out_of_range_options_are_refused(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)

    assert exited.value.code == 2


def test_a_bad_load_file_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "groups.json"
    path.write_text(json.dumps([{"event_group_id": "a"}]), "utf-8")

    assert main(["--load", str(path)]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: event group 0: 'name' is a required property")
    assert "Traceback" not in err


def test_new_groups_are_not_mixed_into_a_database_that_holds_some(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "groups.sqlite"
    (resource,) = load_rules().resources
    store = Store.open([resource], db)
    store.add_all(resource.name, synthetic_items(resource, 3))
    store.close()

    assert main(["--db", str(db), "--synthetic", "5"]) == 2
    assert f"{db} already holds 3 event groups" in capsys.readouterr().err


def test_a_user_name_with_a_colon_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--user", "a:b"]) == 2
    assert "must not contain ':'" in capsys.readouterr().err


def test_the_live_server_prints_its_base_url_and_user_and_serves_the_documented_list(
    live_server: LiveServer,
) -> None:
    banner = live_server.log.read_text("utf-8")
    response = httpx.get(f"{live_server.base_url}/event-groups", auth=live_server.auth)

    assert live_server.base_url.startswith("http://127.0.0.1:")
    assert live_server.base_url.endswith(spec_facts.PREFIX)
    assert f"user:        {live_server.user} (HTTP Basic)" in banner
    assert "password:    from $API_PASSWORD" in banner
    assert live_server.password not in banner
    assert response.status_code == 200
    assert response.json() == spec_facts.documented_list()


def test_the_live_server_answers_errors_as_json_over_real_http(live_server: LiveServer) -> None:
    unauthenticated = httpx.get(f"{live_server.base_url}/event-groups")
    wrong_method = httpx.delete(f"{live_server.base_url}/event-groups", auth=live_server.auth)
    repeated = httpx.get(
        f"{live_server.base_url}/event-groups?offset=null&offset=null", auth=live_server.auth
    )

    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["www-authenticate"] == spec_facts.unauthorized_challenge()
    assert (wrong_method.status_code, wrong_method.headers["allow"]) == (405, "GET, HEAD")
    assert repeated.status_code == 400
    for response in (unauthenticated, wrong_method, repeated):
        assert response.headers["content-type"] == "application/json"


def test_a_live_server_can_serve_synthetic_groups_from_a_database_file(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite"
    with start_live_server(tmp_path, "--synthetic", "250", "--db", str(db)) as server:
        body = httpx.get(
            f"{server.base_url}/event-groups", params={"count": 1}, auth=server.auth
        ).json()
        assert "250 event groups (synthetic, seed 0)" in server.log.read_text("utf-8")

    assert body["data"]["total_items"] == 250
    with start_live_server(tmp_path, "--db", str(db)) as again:
        assert "250 event groups from" in again.log.read_text("utf-8")


def test_a_live_server_starts_with_a_password_that_begins_with_a_dash(tmp_path: Path) -> None:
    # Random passwords (token_urlsafe) begin with "-" now and then.
    with start_live_server(tmp_path, password="-starts-with-a-dash") as server:
        response = httpx.get(f"{server.base_url}/event-groups", auth=server.auth)

    assert response.status_code == 200


def test_several_workers_need_a_database_file_to_share(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--workers", "2", "--synthetic", "5"])

    assert exited.value.code == 2
    assert "--workers above 1 needs --db" in capsys.readouterr().err


def test_several_workers_serve_one_file_with_the_credentials_kept_off_their_command_lines(
    tmp_path: Path,
) -> None:
    db = tmp_path / "groups.sqlite"
    password = "workers-secret-password"
    with start_live_server(
        tmp_path, "--synthetic", "300", "--db", str(db), "--workers", "2", password=password
    ) as server:
        pages = [
            httpx.get(
                f"{server.base_url}/event-groups",
                params={"count": 100, "offset": offset, "name": "cart"},
                auth=server.auth,
            ).json()["data"]
            for offset in range(0, 300, 100)
        ]
        refused = httpx.get(f"{server.base_url}/event-groups", auth=("live-user", "wrong"))
        processes = family(server.pid)
        arguments = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in processes]
        banner = server.log.read_text("utf-8")

    assert len(processes) >= 3  # the parent and its two workers
    assert "processes:   2, sharing" in banner
    matching = [
        g for g in synthetic_items(load_rules().resources[0], 300) if "cart" in g["name"].casefold()
    ]
    assert [g for page in pages for g in page["event_groups"]] == matching
    assert {page["total_items"] for page in pages} == {len(matching)}
    assert refused.status_code == 401
    assert not any(password.encode() in argv for argv in arguments)
    assert password not in banner


def request_and_garbage(server: LiveServer) -> None:
    """One request the server answers, and one it cannot parse."""
    httpx.get(server.base_url + "/event-groups", auth=server.auth, timeout=10).raise_for_status()
    host, port = server.base_url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(b"GARBAGE\r\n\r\n")
        connection.recv(1024)


REQUEST_LINE = re.compile(r'"GET /rest-api/\S+ HTTP/1\.1" 200')


@pytest.mark.parametrize("access_log", [None, "file", "-"])
def test_request_lines_go_where_the_access_log_says_and_nowhere_by_default(
    access_log: str | None, tmp_path: Path
) -> None:
    target = tmp_path / "access.log"
    options = {None: [], "file": ["--access-log", str(target)], "-": ["--access-log", "-"]}
    with start_live_server(tmp_path, "--log-level", "info", *options[access_log]) as server:
        request_and_garbage(server)
        time.sleep(0.5)  # uvicorn writes its line after the answer
    terminal = server.log.read_text("utf-8")
    written = target.read_text("utf-8") if target.exists() else ""

    banner = {None: "access log:  off", "file": f"access log:  {target}", "-": "this terminal"}
    assert banner[access_log] in terminal
    assert bool(REQUEST_LINE.search(terminal)) == (access_log == "-")
    assert ("Invalid HTTP request received" in terminal) == (access_log == "-")
    assert bool(REQUEST_LINE.search(written)) == (access_log == "file")
    assert ("Invalid HTTP request received" in written) == (access_log == "file")

"""The validating proxy forwards every request unchanged and judges each exchange with the
traffic checks' rules: the generated client and the property checks run through it against
the reference server without a violation, a faulty server's answers carry the violations
header (or become 502 with the error body when strict), the session's HAR passes or fails
`make check-traffic` as the server did, and a setup mistake names TARGET."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import jsonschema
import pytest
from customer_interface_client import CustomerInterface
from starlette.types import ASGIApp, Receive, Scope, Send

from contract.conformance import Probe, load_contract, run_checks
from contract.conformance._traffic import REQUEST, TrafficJudge
from contract.conformance.proxy import VIOLATIONS_HEADER, ValidatingProxy, reachable, target_url
from contract.conformance.traffic import check_traffic
from contract.errors import SetupError
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from tests.support.faults import ALL_FAULTS, PASSWORD, USER, reference_app, serve
from tests.support.spec_facts import LIST_PATH, PREFIX, error_schema


@contextmanager
def proxied(
    app: ASGIApp, strict: bool = False
) -> Iterator[tuple[str, ValidatingProxy, io.StringIO]]:
    """`app` behind a validating proxy: yields the proxy's base URL, the proxy, and its HAR."""
    har = io.StringIO()
    with serve(app) as target:
        judge = TrafficJudge(load_contract(BUNDLED_SPEC))
        proxy = ValidatingProxy(target, judge, har, strict, log=lambda _: None)
        with serve(proxy) as base_url:
            yield base_url, proxy, har
    proxy.close()


def test_the_client_and_the_property_checks_pass_through_without_a_violation(
    tmp_path: Path,
) -> None:
    with proxied(reference_app()) as (base_url, proxy, har):
        with CustomerInterface(base_url, USER, PASSWORD) as api:
            groups = list(api.event_groups.list(name="cart", count=3))
            first = api.event_groups.retrieve(groups[0].event_group_id)
        probe = Probe(base_url, USER, PASSWORD, max_requests=3000)
        run = run_checks(load_contract(BUNDLED_SPEC), probe)
        probe.close()

    assert groups
    assert first.event_group_id == groups[0].event_group_id
    assert (run.findings, run.unchecked) == ([], {})
    assert proxy.judge.findings == []
    assert proxy.exchanges > 500
    recorded = tmp_path / "session.har"
    recorded.write_text(har.getvalue())
    assert check_traffic(recorded, reports=tmp_path) is True
    assert PASSWORD not in har.getvalue()
    assert "Basic [redacted]" in har.getvalue()


def test_a_violating_answer_carries_the_header_and_the_session_har_fails(tmp_path: Path) -> None:
    with proxied(ALL_FAULTS["state is a string"](reference_app())) as (base_url, proxy, har):
        response = httpx.get(base_url + LIST_PATH, auth=(USER, PASSWORD))

    assert response.status_code == 200
    assert response.headers[VIOLATIONS_HEADER] == "response EventGroup"
    assert response.json()["data"]["event_groups"][0]["state"] == "1"  # forwarded unchanged
    assert [f.check for f in proxy.judge.findings] == ["response EventGroup"]
    recorded = tmp_path / "session.har"
    recorded.write_text(har.getvalue())
    assert check_traffic(recorded, reports=tmp_path) is False


def test_strict_answers_a_violation_with_502_and_the_error_body() -> None:
    with proxied(ALL_FAULTS["state is a string"](reference_app()), strict=True) as (base_url, _, _):
        response = httpx.get(base_url + LIST_PATH, auth=(USER, PASSWORD))
        fine = httpx.get(base_url + LIST_PATH + "/no-such-group", auth=(USER, PASSWORD))

    assert response.status_code == 502
    jsonschema.validate(response.json(), error_schema())
    assert "response EventGroup" in response.json()["detail"]
    assert fine.status_code == 404


def test_a_target_that_does_not_answer_is_a_setup_error_naming_target() -> None:
    with pytest.raises(SetupError, match="TARGET must be an http"):
        target_url("127.0.0.1:8080")
    with pytest.raises(SetupError, match="credentials"):
        target_url("http://u:p@127.0.0.1:8080")
    with pytest.raises(SetupError, match="TARGET: cannot reach"):
        reachable("http://127.0.0.1:9")


def test_make_conformance_runs_through_the_proxy(tmp_path: Path) -> None:
    with proxied(reference_app()) as (base_url, proxy, _):
        result = subprocess.run(
            [sys.executable, "-m", "scripts.conformance", "--base-url", base_url,
             "--max-examples", "5", "--reports", str(tmp_path)],
            cwd=REPO_ROOT,
            env={**os.environ, "AUTH": f"{USER}:{PASSWORD}"},
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # schemathesis also tries methods and paths the spec does not document: the proxy reports
    # those requests (the client's side), and nothing of the server's answers.
    assert {f.check for f in proxy.judge.findings} <= {REQUEST}
    assert any("TRACE" in f.message for f in proxy.judge.findings)
    assert proxy.exchanges > 500  # schemathesis's cases and the property checks, each judged


def test_a_request_reaches_the_target_byte_for_byte(tmp_path: Path) -> None:
    """Percent-escapes, `+` and repeated parameters are not re-encoded, and the proxy adds no
    header of its own (no User-Agent, Accept or Accept-Encoding the client did not send)."""
    seen: list[tuple[bytes, bytes, list[tuple[bytes, bytes]]]] = []

    async def echo(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        seen.append((scope["raw_path"], scope["query_string"], list(scope["headers"])))
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    raw = LIST_PATH + "/%41b%2Fc%20?name=%C3%A9+x&name=a%2Bb&sort_field=Name"
    with proxied(echo) as (base_url, _, _):
        split = urlsplit(base_url)
        with socket.create_connection(("127.0.0.1", split.port or 80)) as connection:
            request = f"GET {split.path}{raw} HTTP/1.1\r\nHost: x\r\nX-Trace: 7\r\n\r\n"
            connection.sendall(request.encode())
            assert connection.recv(4096).startswith(b"HTTP/1.1 404")

    ((path, query, headers),) = seen
    assert path + b"?" + query == (PREFIX + raw).encode()
    assert sorted(k.lower() for k, _ in headers) == [b"host", b"x-trace"]

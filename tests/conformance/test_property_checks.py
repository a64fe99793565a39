"""The property checks take every name, member path and rule from the declarations: against
the reference server serving the two-resource fixture they check both resources and find
nothing, and a fault in a rule only the second resource declares is reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.conformance import load_contract
from contract.conformance._findings import Finding
from contract.conformance._listing import MAX_PAGES, unused_key
from contract.conformance._probe import Probe
from contract.conformance._runner import run_checks
from contract.conformance.checks.paging import page_sizes
from contract.conformance.live_server import LiveServer, start_live_server
from contract.layout import BUNDLED_SPEC
from contract.spec.declarations import list_resources
from contract.spec.source import read_yaml
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.spec_rules import load_rules
from tests.support.faults import PASSWORD, USER, Fault, rewrite_query, serve
from tests.support.har import RecordingProbe


@pytest.fixture(scope="module")
def spec(two_resources: Path) -> Path:
    return two_resources / "openapi.yaml"


@pytest.fixture(scope="module")
def server(spec: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    logs = tmp_path_factory.mktemp("two-resources-logs")
    with start_live_server(logs, "--spec", str(spec), "--synthetic", "40") as live:
        yield live


def check(probe: Probe, spec: Path) -> list[Finding]:
    try:
        run = run_checks(load_contract(spec), probe)
    finally:
        probe.close()
    assert run.unchecked == {}
    return run.findings


def test_the_checks_cover_both_resources_of_the_fixture_and_find_nothing(
    spec: Path, server: LiveServer
) -> None:
    probe = RecordingProbe(server.base_url, server.user, server.password, max_requests=5000)

    assert check(probe, spec) == []
    paths = [exchange.path for exchange in probe.recorded]
    for resource in ("/segments", "/event-groups"):
        assert any(path.endswith(resource) for path in paths)
        assert any(resource + "/" in path for path in paths)  # details


SEGMENT_PARAMETERS = {"limit", "start", "order_by", "order", "title", "code"}
DEFINED = SEGMENT_PARAMETERS | {"count", "offset", "sort_field", "sort_direction", "name"}
DEFINED |= {"text_id"}


def ignore_unknown(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drops what no resource defines: segments then ignore it instead of rejecting it."""
    return [(k, v) for k, v in pairs if k in DEFINED]


def ignore_order_without_field(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return pairs if "order_by" in dict(pairs) else [p for p in pairs if p != ("order", "desc")]


def segment_names_in_any_case(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A router that matches the segments' parameter names in any case (`LIMIT` is `limit`)."""
    defined = {name.casefold(): name for name in SEGMENT_PARAMETERS}
    return [(defined.get(k.casefold(), k), v) for k, v in pairs]


@pytest.mark.parametrize(
    ("fault", "report", "says"),
    [
        (rewrite_query(ignore_unknown), "query-policy Segment", "not 400"),
        (rewrite_query(ignore_order_without_field), "sorting Segment", "order=desc"),
        (
            rewrite_query(segment_names_in_any_case),
            "query-policy Segment",
            "in another case) gave 200, not 400 (declared: unknown parameters are rejected",
        ),
    ],
)
def test_a_fault_in_a_rule_of_the_second_resource_is_reported(
    spec: Path, fault: Fault, report: str, says: str
) -> None:
    app = create_app(credentials=Credentials(USER, PASSWORD), rules=load_rules(spec))
    with serve(fault(app)) as base_url:
        findings = check(Probe(base_url, USER, PASSWORD), spec)

    checks = {finding.check for finding in findings}
    assert report in checks, findings
    assert any(says in str(finding) for finding in findings), findings
    assert {check.split(" ")[1] for check in checks} == {"Segment"}, findings  # not event groups


def test_an_unknown_integer_key_stays_within_the_path_parameter_bounds() -> None:
    schema = {"type": "integer", "minimum": 1, "maximum": 3}

    assert unused_key(schema, [1, 3]) == 2
    assert unused_key(schema, [1, 2, 3]) is None
    assert unused_key({"type": "integer"}, [5, 9]) == 10


def test_an_unknown_string_key_keeps_to_the_schema() -> None:
    schema = {"type": "string", "minLength": 3, "maxLength": 3}

    key = unused_key(schema, ["abc"])
    assert key != "abc"
    assert len(key) == 3


def test_a_collection_too_large_for_the_page_budget_gets_no_page_size() -> None:
    """check_paging then reports "not checked" instead of passing without a walk."""
    (resource,) = list_resources(read_yaml(BUNDLED_SPEC))

    assert page_sizes(resource, 1000 * MAX_PAGES + 1) == []
    assert page_sizes(resource, 1000 * MAX_PAGES) == [1000]

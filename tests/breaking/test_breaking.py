from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from contract._node_tools import run_node_tool
from contract.breaking._compare import Report, classify, compare, compare_all
from contract.breaking._optic import OPTIC_ENV, OpticReport, run_optic
from contract.breaking.changes import Verdict
from contract.generate import bundle, bundle_each
from contract.layout import BUNDLED_SPEC, OPTIC_STANDARD, SPEC_ROOT
from contract.spec.source import read_yaml
from tests.conftest import copy_spec, edit_spec_file

ROOT = "openapi.yaml"
LIST = "resources/event_groups/paths/event-groups.yaml"
EVENT_GROUP = "resources/event_groups/schemas/EventGroup.yaml"
NAME = "resources/event_groups/parameters/name.yaml"
TEXT_ID = "resources/event_groups/parameters/text_id.yaml"
COUNT = "shared/parameters/count.yaml"
SORT_DIRECTION = "shared/schemas/SortDirection.yaml"

# Each edit changes the parsed file in place and returns None (see edit_spec).
Edit = tuple[str, Callable[[Any], None]]


class Expect(StrEnum):
    BREAKING = "breaking"  # reported, and the check fails
    ACCEPTED = "accepted"  # reported as breaking, but a major bump of info.version accepts it
    COMPATIBLE = "compatible"  # reported as compatible, and the check passes
    REVIEW = "review"  # listed for a person to judge, and the check passes


@dataclass(frozen=True)
class Case:
    expect: Expect
    says: str  # a part of the reported line of the change: its reason
    rule: str  # who classifies it: "optic:" (Optic's ruleset), "ours:", "optic diff",
    # "behaviour" (a declaration's x-change rule) or "assumption text"
    edits: tuple[Edit, ...]


def remove_property(name: str) -> Callable[[Any], None]:
    def change(schema: Any) -> None:
        del schema["properties"][name]
        schema["required"].remove(name)

    return change


def remove_path(path: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        del root["paths"][path]

    return change


def remove_last_parameter(path_item: Any) -> None:
    del path_item["get"]["parameters"][-1]


def rename_security_scheme(old: str, new: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        schemes = root["components"]["securitySchemes"]
        schemes[new] = schemes.pop(old)
        root["security"] = [{new: []}]

    return change


def remove_security_scheme(name: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        del root["components"]["securitySchemes"][name]
        root["security"] = []

    return change


def require_api_key(root: Any) -> None:
    root["components"]["securitySchemes"]["apiKey"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
    }
    root["security"] = [{"apiKey": []}]


def json_to_xml(path_item: Any) -> None:
    content = path_item["get"]["responses"]["200"]["content"]
    content["application/xml"] = content.pop("application/json")


def add_operation(root: Any) -> None:
    root["paths"]["/event-group-ids"] = {
        "get": {
            "operationId": "listEventGroupIds",
            "summary": "List the ids of all event groups",
            "responses": {"200": {"description": "The ids."}},
        }
    }


def relink_by_text_id(path_item: Any) -> None:
    (link,) = path_item["get"]["responses"]["200"]["links"].values()
    (name,) = link["parameters"]
    link["parameters"][name] = "$response.body#/data/event_groups/0/text_id"


STATE_FILTER = {
    "name": "state",
    "in": "query",
    "required": False,
    "description": "Keeps the groups in this state.",
    "schema": {"type": "integer"},
}


def major_bump(root: Any) -> None:
    root["info"]["version"] = "2.0.0"


def minor_bump(root: Any) -> None:
    root["info"]["version"] = "1.1.0"


def remove_desc(schema: Any) -> None:
    schema["enum"].remove("DESC")


# One small edit of the real spec for each rule of the issue, and the verdict it must get.
CASES = {
    "removed operation": Case(
        Expect.BREAKING,
        "cannot remove an operation",
        "optic: prevent operation removal",
        ((ROOT, remove_path("/event-groups/{event_group_id}")),),
    ),
    "removed parameter": Case(
        Expect.BREAKING,
        "query parameter 'text_id' removed",
        "ours: parameter-removed",
        ((LIST, remove_last_parameter),),
    ),
    "removed response field": Case(
        Expect.BREAKING,
        "cannot remove response property 'text_id'",
        "optic: prevent removing response property",
        ((EVENT_GROUP, remove_property("text_id")),),
    ),
    "removed enum value of a request parameter": Case(
        Expect.BREAKING,
        "cannot remove enum option 'DESC' from query parameter 'sort_direction'",
        "optic: prevent query parameters enum breaking changes",
        ((SORT_DIRECTION, remove_desc),),
    ),
    "optional parameter becomes required": Case(
        Expect.BREAKING,
        "cannot make optional query parameter 'count' required",
        "optic: prevent requiring existing query parameters",
        ((COUNT, lambda parameter: parameter.update(required=True)),),
    ),
    "new required parameter": Case(
        Expect.BREAKING,
        "cannot add required query parameter state",
        "optic: prevent new required query parameters",
        (
            (
                LIST,
                lambda path: path["get"]["parameters"].append({**STATE_FILTER, "required": True}),
            ),
        ),
    ),
    "narrowed type of a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'name' not be narrowed",
        "optic: prevent query parameters type changes",
        ((NAME, lambda parameter: parameter.update(schema={"type": "integer"})),),
    ),
    "tighter upper bound on a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'count': maximum lowered from 1000 to 500",
        "ours: bound-changed",
        ((COUNT, lambda parameter: parameter["schema"].update(maximum=500)),),
    ),
    "tighter lower bound on a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'name': minLength raised from 1 to 3",
        "ours: bound-changed",
        ((NAME, lambda parameter: parameter["schema"].update(minLength=3)),),
    ),
    "pattern added to a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'text_id': pattern \"^[a-z_]+$\" added",
        "ours: bound-changed",
        ((TEXT_ID, lambda parameter: parameter["schema"].update(pattern="^[a-z_]+$")),),
    ),
    "changed type of a response field": Case(
        Expect.BREAKING,
        "response body property 'state' not to be expanded",
        "optic: prevent response property type changes",
        ((EVENT_GROUP, lambda schema: schema["properties"]["state"].update(type="string")),),
    ),
    "response field becomes optional": Case(
        Expect.BREAKING,
        "cannot make required response property 'text_id' optional",
        "optic: prevent making response property optional",
        ((EVENT_GROUP, lambda schema: schema["required"].remove("text_id")),),
    ),
    "response field becomes nullable": Case(
        Expect.BREAKING,
        "response body property 'text_id' not to be expanded",
        "optic: prevent response property type changes",
        (
            (
                EVENT_GROUP,
                lambda schema: schema["properties"]["text_id"].update(type=["string", "null"]),
            ),
        ),
    ),
    "removed security scheme": Case(
        Expect.BREAKING,
        "security scheme 'basicAuth' removed or renamed",
        "ours: security-scheme-removed",
        ((ROOT, remove_security_scheme("basicAuth")),),
    ),
    "renamed security scheme": Case(
        Expect.BREAKING,
        "security scheme 'basicAuth' removed or renamed",
        "ours: security-scheme-removed",
        ((ROOT, rename_security_scheme("basicAuth", "httpBasic")),),
    ),
    "security requirement replaced by another scheme": Case(
        Expect.BREAKING,
        "security requirement basicAuth no longer accepted",
        "ours: security-requirement-dropped",
        ((ROOT, require_api_key),),
    ),
    "removed media type of a response": Case(
        Expect.BREAKING,
        "response 200 body: media type application/json removed",
        "ours: media-type-removed",
        ((LIST, json_to_xml),),
    ),
    "changed default of a parameter": Case(
        Expect.BREAKING,
        "query parameter 'count': default changed from 100 to 50",
        "ours: default-changed",
        ((COUNT, lambda parameter: parameter["schema"].update(default=50)),),
    ),
    "changed default of a referenced schema": Case(
        Expect.BREAKING,
        'query parameter \'sort_direction\': default changed from "ASC" to "DESC"',
        "ours: default-changed",
        ((SORT_DIRECTION, lambda schema: schema.update(default="DESC")),),
    ),
    "new optional parameter": Case(
        Expect.COMPATIBLE,
        "new optional query parameter 'state'",
        "optic diff",
        ((LIST, lambda path: path["get"]["parameters"].append(STATE_FILTER)),),
    ),
    "new operation": Case(
        Expect.COMPATIBLE,
        "new operation GET /event-group-ids",
        "optic diff",
        ((ROOT, add_operation),),
    ),
    "new optional response field": Case(
        Expect.COMPATIBLE,
        "new optional response property 'category'",
        "optic diff",
        (
            (
                EVENT_GROUP,
                lambda schema: schema["properties"].update(category={"type": "string"}),
            ),
        ),
    ),
    "widened type of a request parameter": Case(
        Expect.COMPATIBLE,
        'type ["integer"] became ["number"], so it accepts wider values',
        "ours",
        ((COUNT, lambda parameter: parameter["schema"].update(type="number")),),
    ),
    "a response field gets a second type": Case(
        Expect.BREAKING,
        "expected response body property 'state' not to be expanded",
        "optic: prevent response property type changes",
        (
            (
                EVENT_GROUP,
                lambda schema: schema["properties"]["state"].update(type=["integer", "string"]),
            ),
        ),
    ),
    "a response field narrowed to fewer values": Case(
        Expect.COMPATIBLE,
        "state': minimum 1 added, so it sends narrower values",
        "ours: bound-changed",
        ((EVENT_GROUP, lambda schema: schema["properties"]["state"].update(minimum=1)),),
    ),
    "looser request bounds": Case(
        Expect.COMPATIBLE,
        "maximum raised from 1000 to 5000, so it accepts wider values",
        "ours: bound-changed",
        ((COUNT, lambda parameter: parameter["schema"].update(maximum=5000, minimum=0)),),
    ),
    "documentation only": Case(
        Expect.COMPATIBLE,
        "documentation only",
        "optic diff",
        (
            (COUNT, lambda parameter: parameter.update(description="The page size.", example=5)),
            (EVENT_GROUP, lambda schema: schema.update(description="A group of event types.")),
            (ROOT, lambda root: root["info"].update(summary="Event groups, read only.")),
        ),
    ),
    "a request bound removed": Case(
        Expect.COMPATIBLE,
        "maxLength 255 removed, so it accepts wider values",
        "ours: bound-changed",
        ((NAME, lambda parameter: parameter["schema"].pop("maxLength") and None),),
    ),
    "a contains filter turned into a prefix filter": Case(
        Expect.BREAKING,
        "x-filter.match 'contains' -> 'prefix': the same value keeps other items",
        "behaviour",
        ((NAME, lambda parameter: parameter["x-filter"].update(match="prefix")),),
    ),
    "unknown parameters rejected instead of ignored": Case(
        Expect.BREAKING,
        "x-query-policy.unknown 'ignore' -> 'reject'",
        "behaviour",
        ((LIST, lambda item: item["get"]["x-query-policy"].update(unknown="reject")),),
    ),
    "the default order by the tie-breaker instead of insertion": Case(
        Expect.BREAKING,
        "x-sorting.default-order 'insertion' -> 'tie-breaker'",
        "behaviour",
        ((LIST, lambda item: item["get"]["x-sorting"].update({"default-order": "tie-breaker"})),),
    ),
    "descending keeps ties ascending": Case(
        Expect.BREAKING,
        "x-sorting.descending-order 'exact-reverse' -> 'ties-ascending'",
        "behaviour",
        (
            (
                LIST,
                lambda item: item["get"]["x-sorting"].update(
                    {"descending-order": "ties-ascending"}
                ),
            ),
        ),
    ),
    "paging no longer declared": Case(
        Expect.BREAKING,
        "x-pagination no longer declared",
        "behaviour",
        ((LIST, lambda item: item["get"].pop("x-pagination") and None),),
    ),
    "a detail link filled from another property": Case(
        Expect.BREAKING,
        "link 'GetEventGroupById' fills its parameters from elsewhere",
        "behaviour",
        ((LIST, relink_by_text_id),),
    ),
    "an assumption's decision reworded": Case(
        Expect.REVIEW,
        "the decision of assumption 'name-filter-matching' reads otherwise",
        "assumption text",
        ((NAME, lambda parameter: parameter["x-assumptions"][0].update(decision="Reworded.")),),
    ),
    "breaking change with a major version bump": Case(
        Expect.ACCEPTED,
        "cannot remove enum option 'DESC'",
        "optic: prevent query parameters enum breaking changes",
        ((SORT_DIRECTION, remove_desc), (ROOT, major_bump)),
    ),
    "breaking change with only a minor version bump": Case(
        Expect.BREAKING,
        "cannot remove enum option 'DESC'",
        "optic: prevent query parameters enum breaking changes",
        ((SORT_DIRECTION, remove_desc), (ROOT, minor_bump)),
    ),
}


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed spec, bundled once: the base of every pair in the table."""
    bundled, _ = bundle(SPEC_ROOT, tmp_path_factory.mktemp("released"))
    return bundled


def edited_copy(folder: Path, case: Case, name: str = ROOT) -> Path:
    """A copy of the spec in `folder` with the case's edits, its root file named `name`."""
    root = copy_spec(folder)
    for file, change in case.edits:
        edit_spec_file(root, file, change)
    return root.rename(root.with_name(name))


@pytest.fixture(scope="module")
def heads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The head spec of each pair of the table, each edited in a copy of its own and all
    bundled by one Redocly run; their root files are numbered, since Redocly then names each
    bundle after its root file."""
    jobs = []
    for number, case in enumerate(CASES.values()):
        folder = tmp_path_factory.mktemp(f"case-{number}")
        jobs.append((edited_copy(folder, case, f"case-{number}.yaml"), folder / "bundled"))
    return {name: yaml for name, (yaml, _) in zip(CASES, bundle_each(jobs), strict=True)}


@pytest.fixture(scope="module")
def table(released: Path, heads: dict[str, Path]) -> dict[str, Report]:
    """Each pair of the table, compared in one Optic run, as `compare_all` does; each test
    below checks one of them."""
    reports = compare_all([(released, heads[name]) for name in CASES])
    return dict(zip(CASES, reports, strict=True))


def lines(report: Report) -> list[str]:
    return [str(change) for change in report.changes]


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_each_change_of_the_table_gets_its_verdict(name: str, table: dict[str, Report]) -> None:
    case, report = CASES[name], table[name]

    side = {Expect.COMPATIBLE: report.compatible, Expect.REVIEW: report.review}.get(
        case.expect, report.breaking
    )
    named = [c for c in side if case.says in c.reason]
    assert named, f"no {case.expect} change says {case.says!r}; got {lines(report)}"
    assert all(c.rule.startswith(case.rule) for c in named), lines(report)
    assert all(c.pointer.startswith("/") for c in report.changes), lines(report)
    if case.expect in (Expect.COMPATIBLE, Expect.REVIEW):
        assert report.breaking == [], lines(report)
    assert report.accepted is (case.expect is not Expect.BREAKING)
    assert report.major_bump is (case.expect is Expect.ACCEPTED)


def test_an_unchanged_spec_has_no_changes(released: Path) -> None:
    report = compare(released, released)

    assert report.changes == []
    assert report.accepted


def test_a_pair_optic_cannot_read_gets_its_reason_and_the_other_pairs_their_reports(
    released: Path, tmp_path: Path
) -> None:
    same, unread = run_optic([(released, released), (released, tmp_path / "missing.yaml")])

    assert same.error is None
    assert unread.error
    assert (unread.breaking, unread.unflagged) == ([], [])


def test_without_optic_each_difference_is_judged_by_our_rules_or_left_to_review() -> None:
    """A spec Optic cannot read still gets a verdict for every difference."""
    base = read_yaml(BUNDLED_SPEC)
    head = copy.deepcopy(base)
    head["info"]["description"] = "Reworded."
    head["servers"][0]["url"] = "https://elsewhere.example.com/v2"

    report = classify(base, head, OpticReport([], [], "it fell over"))

    verdicts = {change.pointer: change.verdict for change in report.changes}
    assert verdicts["/info/description"] is Verdict.COMPATIBLE
    assert verdicts["/servers/0/url"] is Verdict.REVIEW
    review = next(c for c in report.changes if c.pointer == "/servers/0/url")
    assert "Optic could not compare the specs (it fell over)" in review.reason


def test_one_optic_run_for_many_pairs_agrees_with_the_optic_cli(
    released: Path, tmp_path: Path
) -> None:
    """contract/breaking/optic_check.cjs calls Optic's internals; the CLI, in CI mode, writes
    the same results to ci-run-details.json. An upgrade of Optic that changes them fails here."""
    head, _ = bundle(
        edited_copy(tmp_path, CASES["removed enum value of a request parameter"]),
        tmp_path / "bundled",
    )
    cli = ["diff", str(released), str(head), "--check", "--validation", "loose"]

    run_node_tool(
        "optic",
        *cli,
        "--standard",
        str(OPTIC_STANDARD),
        cwd=tmp_path,
        env={"CI": "true", **OPTIC_ENV},
    )

    written = json.loads((tmp_path / "ci-run-details.json").read_text("utf-8"))
    results = written["completed"][0]["comparison"]["results"]
    failed = {(r["name"], r["location"]["jsonPath"]) for r in results if not r["passed"]}
    ours = run_optic([(released, head)])[0].breaking
    assert failed == {(c.rule.removeprefix("optic: "), c.pointer) for c in ours}
    assert failed


def test_a_head_bundled_with_the_others_is_the_bundle_it_gets_alone(
    heads: dict[str, Path], tmp_path: Path
) -> None:
    """So the table above, bundled in one run, judges the same documents as `make breaking`."""
    name = "documentation only"  # edits three files, the root among them
    alone, _ = bundle(edited_copy(tmp_path, CASES[name]), tmp_path / "bundled")

    assert alone.read_bytes() == heads[name].read_bytes()

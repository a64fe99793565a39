from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from contract.breaking._catalog import RULES
from contract.breaking._compare import Report, classify, compare, compare_all
from contract.breaking.changes import Verdict
from contract.generate import bundle, bundle_each
from contract.layout import BUNDLED_SPEC, SPEC_ROOT
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
    rule: str  # the id of the rule that classifies it (contract/breaking/_catalog.py)
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
        "operation GET /event-groups/{event_group_id} removed",
        "operation-removed",
        ((ROOT, remove_path("/event-groups/{event_group_id}")),),
    ),
    "removed parameter": Case(
        Expect.BREAKING,
        "query parameter 'text_id' removed",
        "parameter-removed",
        ((LIST, remove_last_parameter),),
    ),
    "removed response field": Case(
        Expect.BREAKING,
        "property 'data.event_groups[].text_id': removed",
        "response-property-removed-widened",
        ((EVENT_GROUP, remove_property("text_id")),),
    ),
    "removed enum value of a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'sort_direction': enum values [\"DESC\"] removed",
        "request-enum-narrowed",
        ((SORT_DIRECTION, remove_desc),),
    ),
    "optional parameter becomes required": Case(
        Expect.BREAKING,
        "query parameter 'count' now required",
        "parameter-became-required",
        ((COUNT, lambda parameter: parameter.update(required=True)),),
    ),
    "new required parameter": Case(
        Expect.BREAKING,
        "new required query parameter 'state'",
        "required-parameter-added",
        (
            (
                LIST,
                lambda path: path["get"]["parameters"].append({**STATE_FILTER, "required": True}),
            ),
        ),
    ),
    "narrowed type of a request parameter": Case(
        Expect.BREAKING,
        'query parameter \'name\': type ["string"] became ["integer"]',
        "request-type-narrowed",
        ((NAME, lambda parameter: parameter.update(schema={"type": "integer"})),),
    ),
    "tighter upper bound on a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'count': maximum lowered from 1000 to 500",
        "request-bound-narrowed",
        ((COUNT, lambda parameter: parameter["schema"].update(maximum=500)),),
    ),
    "tighter lower bound on a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'name': minLength raised from 1 to 3",
        "request-bound-narrowed",
        ((NAME, lambda parameter: parameter["schema"].update(minLength=3)),),
    ),
    "pattern added to a request parameter": Case(
        Expect.BREAKING,
        "query parameter 'text_id': pattern \"^[a-z_]+$\" added",
        "request-bound-narrowed",
        ((TEXT_ID, lambda parameter: parameter["schema"].update(pattern="^[a-z_]+$")),),
    ),
    "changed type of a response field": Case(
        Expect.BREAKING,
        'property \'data.event_groups[].state\': type ["integer"] became ["string"]',
        "response-type-changed",
        ((EVENT_GROUP, lambda schema: schema["properties"]["state"].update(type="string")),),
    ),
    "response field becomes optional": Case(
        Expect.BREAKING,
        "property 'data.event_groups[].text_id': no longer required",
        "response-required-widened",
        ((EVENT_GROUP, lambda schema: schema["required"].remove("text_id")),),
    ),
    "response field becomes nullable": Case(
        Expect.BREAKING,
        'property \'data.event_groups[].text_id\': type ["string"] became ["null", "string"]',
        "response-type-widened",
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
        "security-scheme-removed",
        ((ROOT, remove_security_scheme("basicAuth")),),
    ),
    "renamed security scheme": Case(
        Expect.BREAKING,
        "security scheme 'basicAuth' removed or renamed",
        "security-scheme-removed",
        ((ROOT, rename_security_scheme("basicAuth", "httpBasic")),),
    ),
    "security requirement replaced by another scheme": Case(
        Expect.BREAKING,
        "security requirement basicAuth no longer accepted",
        "security-requirement-dropped",
        ((ROOT, require_api_key),),
    ),
    "removed media type of a response": Case(
        Expect.BREAKING,
        "response 200 body: media type application/json removed",
        "response-media-type-removed",
        ((LIST, json_to_xml),),
    ),
    "changed default of a parameter": Case(
        Expect.BREAKING,
        "query parameter 'count': default changed from 100 to 50",
        "request-default-changed",
        ((COUNT, lambda parameter: parameter["schema"].update(default=50)),),
    ),
    "changed default of a referenced schema": Case(
        Expect.BREAKING,
        'query parameter \'sort_direction\': default changed from "ASC" to "DESC"',
        "request-default-changed",
        ((SORT_DIRECTION, lambda schema: schema.update(default="DESC")),),
    ),
    "new optional parameter": Case(
        Expect.COMPATIBLE,
        "new optional query parameter 'state'",
        "parameter-added",
        ((LIST, lambda path: path["get"]["parameters"].append(STATE_FILTER)),),
    ),
    "new operation": Case(
        Expect.COMPATIBLE,
        "new operation GET /event-group-ids",
        "operation-added",
        ((ROOT, add_operation),),
    ),
    "new optional response field": Case(
        Expect.COMPATIBLE,
        "property 'data.event_groups[].category': optional property added",
        "response-property-added",
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
        "request-type-widened",
        ((COUNT, lambda parameter: parameter["schema"].update(type="number")),),
    ),
    "a response field gets a second type": Case(
        Expect.BREAKING,
        'property \'data.event_groups[].state\': type ["integer"] became ["integer", "string"]',
        "response-type-widened",
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
        "response-bound-narrowed",
        ((EVENT_GROUP, lambda schema: schema["properties"]["state"].update(minimum=1)),),
    ),
    "looser request bounds": Case(
        Expect.COMPATIBLE,
        "maximum raised from 1000 to 5000, so it accepts wider values",
        "request-bound-widened",
        ((COUNT, lambda parameter: parameter["schema"].update(maximum=5000, minimum=0)),),
    ),
    "documentation only": Case(
        Expect.COMPATIBLE,
        "documentation only",
        "documentation",
        (
            (COUNT, lambda parameter: parameter.update(description="The page size.", example=5)),
            (EVENT_GROUP, lambda schema: schema.update(description="A group of event types.")),
            (ROOT, lambda root: root["info"].update(summary="Event groups, read only.")),
        ),
    ),
    "a request bound removed": Case(
        Expect.COMPATIBLE,
        "maxLength 255 removed, so it accepts wider values",
        "request-bound-widened",
        ((NAME, lambda parameter: parameter["schema"].pop("maxLength") and None),),
    ),
    "a contains filter turned into a prefix filter": Case(
        Expect.BREAKING,
        "x-filter.match 'contains' -> 'prefix': the same value keeps other items",
        "declaration-broken",
        ((NAME, lambda parameter: parameter["x-filter"].update(match="prefix")),),
    ),
    "unknown parameters rejected instead of ignored": Case(
        Expect.BREAKING,
        "x-query-policy.unknown 'ignore' -> 'reject'",
        "declaration-broken",
        ((LIST, lambda item: item["get"]["x-query-policy"].update(unknown="reject")),),
    ),
    "the default order by the tie-breaker instead of insertion": Case(
        Expect.BREAKING,
        "x-sorting.default-order 'insertion' -> 'tie-breaker'",
        "declaration-broken",
        ((LIST, lambda item: item["get"]["x-sorting"].update({"default-order": "tie-breaker"})),),
    ),
    "descending keeps ties ascending": Case(
        Expect.BREAKING,
        "x-sorting.descending-order 'exact-reverse' -> 'ties-ascending'",
        "declaration-broken",
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
        "declaration-broken",
        ((LIST, lambda item: item["get"].pop("x-pagination") and None),),
    ),
    "a detail link filled from another property": Case(
        Expect.BREAKING,
        "link 'GetEventGroupById' fills its parameters from elsewhere",
        "link-changed",
        ((LIST, relink_by_text_id),),
    ),
    "an assumption's decision reworded": Case(
        Expect.REVIEW,
        "the decision of assumption 'name-filter-matching' reads otherwise",
        "assumption-reworded",
        ((NAME, lambda parameter: parameter["x-assumptions"][0].update(decision="Reworded.")),),
    ),
    "breaking change with a major version bump": Case(
        Expect.ACCEPTED,
        "query parameter 'sort_direction': enum values [\"DESC\"] removed",
        "request-enum-narrowed",
        ((SORT_DIRECTION, remove_desc), (ROOT, major_bump)),
    ),
    "breaking change with only a minor version bump": Case(
        Expect.BREAKING,
        "query parameter 'sort_direction': enum values [\"DESC\"] removed",
        "request-enum-narrowed",
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
    """Each pair of the table, compared; each test below checks one of them."""
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
    assert all(c.rule == case.rule for c in named), lines(report)
    assert all(c.pointer.startswith("/") for c in report.changes), lines(report)
    if case.expect in (Expect.COMPATIBLE, Expect.REVIEW):
        assert report.breaking == [], lines(report)
    assert report.accepted is (case.expect is not Expect.BREAKING)
    assert report.major_bump is (case.expect is Expect.ACCEPTED)


def test_an_unchanged_spec_has_no_changes(released: Path) -> None:
    report = compare(released, released)

    assert report.changes == []
    assert report.accepted


def test_a_difference_no_rule_knows_is_listed_for_review_and_documentation_as_compatible() -> None:
    base = read_yaml(BUNDLED_SPEC)
    head = copy.deepcopy(base)
    head["info"]["description"] = "Reworded."
    head["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base"

    report = classify(base, head)

    verdicts = {change.pointer: (change.verdict, change.rule) for change in report.changes}
    assert verdicts == {
        "/info/description": (Verdict.COMPATIBLE, "documentation"),
        "/jsonSchemaDialect": (Verdict.REVIEW, "unknown-difference"),
    }


def test_every_rule_a_change_names_is_in_the_table_with_its_verdict(
    table: dict[str, Report],
) -> None:
    for report in table.values():
        for change in report.changes:
            assert change.verdict is RULES[change.rule].verdict, change


def test_a_head_bundled_with_the_others_is_the_bundle_it_gets_alone(
    heads: dict[str, Path], tmp_path: Path
) -> None:
    """So the table above, bundled in one run, judges the same documents as `make breaking`."""
    name = "documentation only"  # edits three files, the root among them
    alone, _ = bundle(edited_copy(tmp_path, CASES[name]), tmp_path / "bundled")

    assert alone.read_bytes() == heads[name].read_bytes()

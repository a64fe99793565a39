from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import contract.lint
from contract.errors import SpecLoadError
from contract.layout import SPEC_ROOT
from contract.lint import Problem, checked, lint, lint_each
from scripts.lint import main
from tests.conftest import SpecEditor, copy_spec, edit_spec_file
from tests.support.spec_edits import edited

LIST = "resources/event_groups/paths/event-groups.yaml"
DETAIL = "resources/event_groups/paths/event-groups_{event_group_id}.yaml"
EVENT_GROUP = "resources/event_groups/schemas/EventGroup.yaml"
COUNT = "shared/parameters/count.yaml"
NAME = "resources/event_groups/parameters/name.yaml"


def set_key(*path: str | int, value: Any) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def delete_key(*path: str | int) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        node = document
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


def rename_property(old: str, new: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        document["properties"][new] = document["properties"].pop(old)
        document["required"] = [new if name == old else name for name in document["required"]]

    return change


# (rule that must fire, file it must name, pointer it must name, how to break the spec)
BROKEN_SPECS = {
    "deprecated without a sunset date": (
        "deprecation-sunset",
        EVENT_GROUP,
        "/properties/state",
        (EVENT_GROUP, set_key("properties", "state", "deprecated", value=True)),
    ),
    "a sunset date on what is not deprecated": (
        "deprecation-sunset",
        COUNT,
        "/x-sunset",
        (COUNT, set_key("x-sunset", value="2027-06-30")),
    ),
    "a stability level that is none of the four": (
        "stability-level",
        DETAIL,
        "/get/x-stability-level",
        (DETAIL, set_key("get", "x-stability-level", value="gamma")),
    ),
    "media-type example violates its schema": (
        "no-invalid-media-type-examples",
        "resources/event_groups/examples/event-group.yaml",
        "/value/data/state",
        (
            "resources/event_groups/examples/event-group.yaml",
            set_key("value", "data", "state", value="1"),
        ),
    ),
    "parameter example violates its schema": (
        "no-invalid-parameter-examples",
        COUNT,
        "/example",
        (COUNT, set_key("example", value=5000)),
    ),
    "schema example violates its schema": (
        "no-invalid-schema-examples",
        EVENT_GROUP,
        "/properties/state/examples/0",
        (EVENT_GROUP, set_key("properties", "state", "examples", value=["one"])),
    ),
    "security requirement names an undefined scheme": (
        "security-defined",
        "openapi.yaml",
        "/security/0/digestAuth",
        ("openapi.yaml", set_key("security", value=[{"digestAuth": []}])),
    ),
    "3.0 keyword nullable": (
        "rule/no-nullable",
        EVENT_GROUP,
        "/properties/state/nullable",
        (EVENT_GROUP, set_key("properties", "state", "nullable", value=True)),
    ),
    "3.0 keyword example in a schema": (
        "rule/no-schema-example",
        EVENT_GROUP,
        "/properties/name/example",
        (EVENT_GROUP, set_key("properties", "name", "example", value="Tasks")),
    ),
    "operation without operationId": (
        "operation-operationId",
        DETAIL,
        "/get/operationId",
        (DETAIL, delete_key("get", "operationId")),
    ),
    "operation without summary": (
        "operation-summary",
        LIST,
        "/get/summary",
        (LIST, delete_key("get", "summary")),
    ),
    "operation without description": (
        "operation-description",
        LIST,
        "/get/description",
        (LIST, delete_key("get", "description")),
    ),
    "operation without tag": (
        "rule/operation-has-tag",
        DETAIL,
        "/get/tags",
        (DETAIL, delete_key("get", "tags")),
    ),
    "operation without its 401 response": (
        "rule/operation-error-responses",
        LIST,
        "/get/responses",
        (LIST, delete_key("get", "responses", "401")),
    ),
    "operation without any 4xx response": (
        "operation-4xx-response",
        DETAIL,
        "/get/responses",
        (DETAIL, set_key("get", "responses", value={"200": {"description": "ok"}})),
    ),
    "path-parameter operation without 404": (
        "operation-404-for-path-parameters",
        DETAIL,
        "/get/responses",
        (DETAIL, delete_key("get", "responses", "404")),
    ),
    "JSON response without example": (
        "rule/json-response-example",
        LIST,
        "/get/responses/200/content/application~1json",
        (LIST, delete_key("get", "responses", "200", "content", "application/json", "examples")),
    ),
    "camelCase property": (
        "rule/snake-case-properties",
        EVENT_GROUP,
        "/properties/textId",
        (EVENT_GROUP, rename_property("text_id", "textId")),
    ),
    "camelCase parameter": (
        "rule/snake-case-parameters",
        COUNT,
        "/name",
        (COUNT, set_key("name", value="pageSize")),
    ),
    "structurally invalid OpenAPI": (
        "openapi-spec-validator/schema",
        COUNT,
        "/in",
        (COUNT, set_key("in", value="querystring")),
    ),
    "assumption without a reason": (
        "x-assumption-shape",
        COUNT,
        "/x-assumptions/0",
        (COUNT, delete_key("x-assumptions", 0, "reason")),
    ),
    "two assumptions with one id": (
        "x-assumption-unique-id",
        "shared/parameters/offset.yaml",
        "/x-assumptions/0/id",
        (COUNT, set_key("x-assumptions", 0, "id", value="offset-bounds")),
    ),
    "declaration breaks its JSON Schema": (
        "x-declaration-shape",
        NAME,
        "/x-filter/match",
        (NAME, set_key("x-filter", "match", value="like")),
    ),
    "declaration without its assumption": (
        "x-declaration-shape",
        NAME,
        "/x-filter",
        (NAME, delete_key("x-filter", "assumptions")),
    ),
    "declaration names an assumption nobody made": (
        "x-declaration-assumption",
        LIST,
        "/get/x-pagination/assumptions/0",
        (LIST, set_key("get", "x-pagination", "assumptions", value=["no-such-decision"])),
    ),
    "declaration names a parameter the operation lacks": (
        "x-declaration-parameter",
        LIST,
        "/get/x-pagination/step",
        (LIST, set_key("get", "x-pagination", "step", value="$request.limit")),
    ),
    "declaration names a response member the body lacks": (
        "x-declaration-response",
        LIST,
        "/get/x-pagination/results",
        (LIST, set_key("get", "x-pagination", "results", value="$response.data.groups")),
    ),
    "filter names a property the item schema lacks": (
        "x-declaration-property",
        NAME,
        "/x-filter/property",
        (NAME, set_key("x-filter", "property", value="title")),
    ),
    "sort fields differ from the parameter's values": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/fields",
        (LIST, delete_key("get", "x-sorting", "fields", "state")),
    ),
    "a sort direction that lost DESC": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/descending",
        ("shared/schemas/SortDirection.yaml", set_key("enum", value=["ASC"])),
    ),
    "a sort direction that lost ASC": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/ascending",
        ("shared/schemas/SortDirection.yaml", lambda d: d.update(enum=["DESC"], default="DESC")),
    ),
    "a sort direction with a value no declaration names": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/direction",
        ("shared/schemas/SortDirection.yaml", set_key("enum", value=["ASC", "DESC", "RANDOM"])),
    ),
    "a decision that refers to no assumption": (
        "x-assumption-reference",
        COUNT,
        "/x-assumptions/0/decision",
        (COUNT, set_key("x-assumptions", 0, "decision", value="As decided (see `nowhere`).")),
    ),
    "an assumption written the old way": (
        "x-assumption-shape",
        COUNT,
        "/x-assumption",
        (COUNT, set_key("x-assumption", value={"id": "a", "decision": "d", "reason": "r"})),
    ),
    "one id twice in one list": (
        "x-assumption-unique-id",
        COUNT,
        "/x-assumptions/1/id",
        (
            COUNT,
            lambda document: document["x-assumptions"].append(dict(document["x-assumptions"][0])),
        ),
    ),
    "assumptions not in a list": (
        "x-assumption-shape",
        COUNT,
        "/x-assumptions",
        (COUNT, set_key("x-assumptions", value={"id": "a", "decision": "d", "reason": "r"})),
    ),
    "a collation that contradicts its property's type": (
        "x-declaration-property",
        LIST,
        "/get/x-sorting/collation/state",
        (LIST, set_key("get", "x-sorting", "collation", "state", value="code-point")),
    ),
    "a collation for a value that is no sort field": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/collation",
        (LIST, set_key("get", "x-sorting", "collation", "size", value="numeric")),
    ),
    "a tie-breaker that is not unique": (
        "x-declaration-values",
        LIST,
        "/get/x-sorting/tie-breaker",
        (LIST, set_key("get", "x-sorting", "tie-breaker", value="state")),
    ),
    "a detail key that is not unique": (
        "x-declaration-values",
        LIST,
        "/get/x-unique/properties",
        (LIST, set_key("get", "x-unique", "properties", value=["text_id"])),
    ),
    "an error order that leaves out a 4xx response": (
        "x-declaration-values",
        DETAIL,
        "/get/x-error-reporting/order",
        (DETAIL, set_key("get", "x-error-reporting", "order", value=["401", "400"])),
    ),
    "an operation without a query policy": (
        "x-declaration-missing",
        DETAIL,
        "/get",
        (DETAIL, delete_key("get", "x-query-policy")),
    ),
    "declaration where no tool reads it": (
        "x-declaration-placement",
        EVENT_GROUP,
        "/x-filter",
        (EVENT_GROUP, set_key("x-filter", value={"property": "name"})),
    ),
    "page size without a default": (
        "x-declaration-parameter",
        LIST,
        "/get/x-pagination/step",
        (COUNT, delete_key("schema", "default")),
    ),
    "filter on a path parameter": (
        "x-declaration-placement",
        "resources/event_groups/parameters/event_group_id.yaml",
        "/x-filter",
        (
            "resources/event_groups/parameters/event_group_id.yaml",
            set_key("x-filter", value={"property": "name"}),
        ),
    ),
    "list operation without its query policy": (
        "x-declaration-missing",
        LIST,
        "/get",
        (LIST, delete_key("get", "x-query-policy")),
    ),
    "list without a link to its detail": (
        "x-declaration-detail-link",
        LIST,
        "/get/responses/200",
        (LIST, delete_key("get", "responses", "200", "links")),
    ),
}


@dataclass(frozen=True)
class Linted:
    committed: list[Problem]
    broken: dict[str, tuple[Path, list[Problem]]]  # case: root of its copy, its problems


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> Linted:
    """The committed spec and each broken spec of BROKEN_SPECS, every one in a copy of its
    own, linted together: one Redocly process for all of them instead of one each."""
    roots = {}
    for case, (_, _, _, (edited_file, change)) in BROKEN_SPECS.items():
        root = copy_spec(tmp_path_factory.mktemp("broken"))
        edit_spec_file(root, edited_file, change)
        roots[case] = root
    committed, *broken = lint_each([SPEC_ROOT, *roots.values()])
    problems = dict(zip(roots, broken, strict=True))
    return Linted(committed, {case: (root, problems[case]) for case, root in roots.items()})


def test_the_committed_spec_has_no_problems(linted: Linted) -> None:
    assert linted.committed == []


@pytest.mark.parametrize("case", list(BROKEN_SPECS), ids=list(BROKEN_SPECS))
def test_each_rule_fires_at_the_broken_place(case: str, linted: Linted) -> None:
    rule, file, pointer, _ = BROKEN_SPECS[case]
    spec_copy, problems = linted.broken[case]

    expected = (spec_copy.parent / file).resolve()
    hits = [p for p in problems if p.rule == rule]
    assert hits, f"{rule} did not fire; got {[str(p) for p in problems]}"
    assert any(p.location.file == expected and p.location.pointer == pointer for p in hits), [
        str(p) for p in hits
    ]


def test_linting_specs_together_reports_each_as_linting_it_alone(linted: Linted) -> None:
    """One Redocly run for many specs, as above, must not move a problem to another spec."""
    spec_copy, problems = linted.broken["camelCase parameter"]  # a Redocly rule and ours

    assert problems == lint(spec_copy)


def test_failure_prints_file_pointer_and_rule_and_exits_non_zero(
    spec_copy: Path, edit_spec: SpecEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec(COUNT, set_key("example", value=0))

    assert main([str(spec_copy)]) == 1

    err = capsys.readouterr().err
    assert f"{COUNT}:" in err
    assert "#/example [no-invalid-parameter-examples]" in err
    assert "1 problem(s)" in err


def test_yaml_syntax_error_names_file_and_line(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (spec_copy.parent / COUNT).write_text("name: count\nin: [query\n", encoding="utf-8")

    assert main([str(spec_copy)]) == 1

    err = capsys.readouterr().err
    assert COUNT in err
    assert "Traceback" not in err


def test_reference_to_a_missing_file_is_named(spec_copy: Path) -> None:
    (spec_copy.parent / COUNT).unlink()

    problems = lint(spec_copy)

    assert any("count.yaml" in p.message or "count.yaml" in str(p.location) for p in problems)


def test_an_emptied_referenced_file_is_named_never_a_traceback(
    spec_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openapi-spec-validator stops with a KeyError on a parameter that is null; the schema
    errors it gives first say what is wrong, and where."""
    (spec_copy.parent / COUNT).write_text("", encoding="utf-8")

    assert main([str(spec_copy)]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{COUNT} #/ [openapi-spec-validator/schema] null is not of type" in err


def test_a_validator_that_stops_before_any_error_is_a_problem_of_the_spec_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Stopping:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def iter_errors(self) -> Iterator[object]:
            raise KeyError("name")
            yield  # a generator, as the validator's is

    monkeypatch.setattr(contract.lint, "OpenAPIV31SpecValidator", Stopping)

    problems = [p for p in lint() if p.rule == "openapi-spec-validator/crash"]

    assert [(p.location.file, p.message) for p in problems] == [
        (SPEC_ROOT, "the validator stopped on this document (KeyError: 'name')")
    ]


def test_inliner_reports_missing_file_with_the_referring_pointer(spec_copy: Path) -> None:
    from contract.spec.source import load_inlined

    (spec_copy.parent / COUNT).unlink()

    with pytest.raises(SpecLoadError, match=r"event-groups\.yaml#/get/parameters/0/\$ref"):
        load_inlined(spec_copy)


def test_a_declaration_problem_names_file_line_pointer_and_rule(
    spec_copy: Path, edit_spec: SpecEditor, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_spec(NAME, set_key("x-filter", "match", value="like"))
    line = next(
        number
        for number, text in enumerate((spec_copy.parent / NAME).read_text().splitlines(), 1)
        if text.strip() == "match: like"
    )

    assert main([str(spec_copy)]) == 1

    assert f"{NAME}:{line} #/x-filter/match [x-declaration-shape]" in capsys.readouterr().err


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    derandomize=True,  # the same edits on every run: CI fails on a crash, not on a draw
    suppress_health_check=list(HealthCheck),
)
@given(document=edited())
def test_any_edit_of_the_spec_gets_problems_or_none_never_a_traceback(
    document: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The checks run here (openapi-spec-validator and the house rules) on the spec with one
    node removed, added or changed; Redocly, which reports its own, is left out for speed."""
    root = tmp_path_factory.mktemp("edited") / "openapi.json"
    root.write_text(json.dumps(document), encoding="utf-8")

    try:
        problems = checked(root, [])
    except SpecLoadError:
        return  # a message with the file and the pointer, as lint() prints it

    assert all(p.rule and p.message for p in problems)

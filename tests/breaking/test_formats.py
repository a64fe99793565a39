"""Each format of `make breaking` (FORMAT=...) says the same: every change with its rule,
verdict, pointer and the file and line where the split spec writes it; JSON against its
schema, JUnit read back, GitHub annotations in the workflow-command syntax."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from contract.breaking import FORMATS, Report, render
from contract.breaking.changes import Change, Kind, Source, Verdict
from contract.layout import REPO_ROOT
from contract.lint import Problem
from contract.spec.source import Location
from scripts.breaking import main
from tests.conftest import edit_spec_file
from tests.support.scratch_repo import committed_spec_in

SCHEMA = json.loads((REPO_ROOT / "contract/breaking/report.schema.json").read_text("utf-8"))
SUMMARY = "1 breaking, 1 compatible change(s), 1 to review: a, b; c"
CHANGES = [
    Change(
        "/paths/~1groups/get/parameters/0/schema/enum",
        Verdict.BREAKING,
        Kind.CHANGED,
        "query parameter 'sort': enum values [\"DESC\"] removed, 100% | a, b: c\nd",
        "request-enum-narrowed",
        Source("openapi/shared/schemas/Sort.yaml", 4, "head"),
    ),
    Change(
        "/paths/~1old/get",
        Verdict.COMPATIBLE,
        Kind.REMOVED,
        "operation GET /old removed (deprecated, sunset 2020-01-01 has passed)",
        "operation-removed-after-sunset",
        Source("openapi/paths/old.yaml", 2, "base"),
    ),
    Change("/jsonSchemaDialect", Verdict.REVIEW, Kind.ADDED, "added", "unknown-difference"),
]


def report(*, major_bump: bool = False) -> Report:
    return Report(CHANGES, "1.0.0", "2.0.0" if major_bump else "1.0.0")


def test_json_holds_to_its_schema_and_keeps_every_field() -> None:
    document = json.loads(render(report(), "json", SUMMARY))

    jsonschema.validate(document, SCHEMA)
    assert document["accepted"] is False
    assert document["counts"] == {"breaking": 1, "compatible": 1, "review": 1}
    first = document["changes"][0]
    assert first["rule"] == "request-enum-narrowed"
    assert first["source"] == {
        "file": "openapi/shared/schemas/Sort.yaml",
        "line": 4,
        "side": "head",
    }
    assert document["changes"][2]["source"] is None


def test_junit_fails_the_unaccepted_break_skips_the_review_and_passes_the_rest() -> None:
    suites = ElementTree.fromstring(render(report(), "junit", SUMMARY))

    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    assert cases[0].get("classname") == "request-enum-narrowed"
    assert (cases[0].get("file"), cases[0].get("line")) == ("openapi/shared/schemas/Sort.yaml", "4")
    assert cases[0].find("failure") is not None
    assert cases[1].find("failure") is None
    assert cases[1].find("skipped") is None
    assert cases[2].find("skipped") is not None


def test_junit_stays_xml_whatever_a_reason_holds() -> None:
    odd = Change("/x", Verdict.REVIEW, Kind.ADDED, "a name with \x01 in it", "unknown-difference")

    suites = ElementTree.fromstring(render(Report([odd], "1", "1"), "junit", SUMMARY))

    assert suites.find("testsuite/testcase/skipped") is not None


def test_a_major_bump_turns_the_break_into_a_passing_case() -> None:
    suites = ElementTree.fromstring(render(report(major_bump=True), "junit", SUMMARY))

    assert suites.find("testsuite/testcase/failure") is None
    assert "::error" not in render(report(major_bump=True), "github", SUMMARY)


PROPERTY = r"(file|line|title)=[^,:\n]*"
COMMAND = re.compile(rf"^::(error|warning|notice)( {PROPERTY}(,{PROPERTY})*)?::[^\n]*$")


def test_github_annotations_are_workflow_commands_on_the_changed_lines() -> None:
    lines = render(report(), "github", SUMMARY).splitlines()

    assert all(COMMAND.match(line) for line in lines), lines
    assert lines.pop(0) == f"::error title=make breaking::{SUMMARY}"  # the verdict first
    where = "file=openapi/shared/schemas/Sort.yaml,line=4"
    assert lines[0].startswith(f"::error {where},title=breaking%3A request-enum-narrowed::")
    assert "100%25 | a, b: c%0Ad" in lines[0]  # %, CR and LF escaped in the message
    assert lines[1].startswith("::notice title=")  # a removal: its line is in the old spec
    assert "removed from openapi/paths/old.yaml:2 (base)" in lines[1]
    assert lines[2].startswith("::warning title=review%3A unknown-difference::")


LINTED = Problem(
    Location(REPO_ROOT / "openapi/paths/groups.yaml", "/get/parameters/6"),
    "x-declaration-missing",
    "query parameter 'state' has no declared meaning",
    25,
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_fails_a_compatible_change_the_lint_rejects_and_places_the_problem(
    fmt: str,
) -> None:
    compatible = Report([CHANGES[1]], "1.0.0", "1.0.0", lint=(LINTED,))
    text = render(compatible, fmt, SUMMARY)

    assert compatible.accepted
    assert not compatible.lands
    assert "x-declaration-missing" in text
    assert "openapi/paths/groups.yaml" in text
    if fmt == "json":
        document = json.loads(text)
        jsonschema.validate(document, SCHEMA)
        assert document["accepted"] is True
        assert document["passed"] is False
        assert document["lint"] == [
            {"file": "openapi/paths/groups.yaml", "line": 25, "pointer": "/get/parameters/6",
             "rule": "x-declaration-missing",
             "message": "query parameter 'state' has no declared meaning"}
        ]  # fmt: skip
    elif fmt == "junit":
        suite = ElementTree.fromstring(text).findall("testsuite")[1]
        case = suite.find("testcase")
        assert case is not None
        assert (case.get("file"), case.get("line")) == ("openapi/paths/groups.yaml", "25")
        assert case.find("failure") is not None
    elif fmt == "github":
        lines = text.splitlines()
        assert lines[0].startswith("::error title=make breaking::")
        where = "file=openapi/paths/groups.yaml,line=25"
        assert lines[-1].startswith(f"::error {where},title=make lint%3A x-declaration-missing::")
    elif fmt == "markdown":
        assert text.startswith("### ❌ Breaking changes")
        assert "| `x-declaration-missing` | `openapi/paths/groups.yaml:25`" in text
    else:
        assert "openapi/paths/groups.yaml:25 #/get/parameters/6 [x-declaration-missing]" in text


def test_json_says_when_the_lint_was_not_run_and_when_it_found_nothing() -> None:
    for lint, expected in ((None, None), ((), [])):
        document = json.loads(render(Report([], "1", "1", lint=lint), "json", SUMMARY))
        jsonschema.validate(document, SCHEMA)
        assert document["lint"] == expected


def test_markdown_is_one_table_row_per_change_with_pipes_escaped() -> None:
    text = render(report(), "markdown", SUMMARY)

    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + len(CHANGES)  # the header, then one row each
    assert "100% \\| a, b: c d" in text
    assert "openapi/paths/old.yaml:2 (base)" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_writes_each_format_and_exits_1_on_an_unaccepted_break(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_spec_in(tmp_path / "repo")

    def remove_desc(schema: Any) -> None:
        schema["enum"].remove("DESC")

    edit_spec_file(root, "shared/schemas/SortDirection.yaml", remove_desc)
    output = tmp_path / f"report.{fmt}"

    code = main(["--spec", str(root), "--base", "HEAD", "--format", fmt, "--output", str(output)])

    assert code == 1
    written = output.read_text("utf-8")
    assert "request-enum-narrowed" in written
    assert "SortDirection.yaml" in written
    out, err = capsys.readouterr()
    assert out == ""
    assert "without a major version bump" in err

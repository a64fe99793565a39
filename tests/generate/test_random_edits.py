"""Random edits of the spec through the whole of `make generate`, as tests/spec/test_lint.py runs
them through the lint: the lint with Redocly, the checks of what the client generator needs,
the bundle, the models and the client. Each edit generates, or ends in the project's own
error whose every line names the file, the JSON pointer and the rule (exit 1); never a
traceback, and never a generator failing (exit 2) on what the lint let through."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings

from contract.cli import FINDINGS, OK
from contract.layout import display_path
from contract.lint import lint_each
from scripts.generate import main
from tests.support.spec_edits import edited
from tests.support.spec_facts import SPEC

# `file:line #/json/pointer [rule] message`, as contract.lint.Problem prints a problem.
PROBLEM = re.compile(r"(?P<file>.+?)(?::\d+)? #(?P<pointer>/\S*) \[(?P<rule>[^\]\s]+)\] \S.*")
COUNT = re.compile(r"\d+ problem\(s\)")


def changed(change: Callable[[Any], object]) -> Any:
    """A copy of the bundled spec with `change` made to it."""
    document = copy.deepcopy(SPEC)
    change(document)
    return document


def problems_of_generating(
    document: Any, folder: Path, capsys: pytest.CaptureFixture[str]
) -> list[re.Match[str]]:
    """Run `make generate`'s command on `document` into `folder`: [] when it generated, else
    each problem it printed, after checking that every line of its message is one."""
    root, output = folder / "openapi.json", folder / "generated"
    root.write_text(json.dumps(document), encoding="utf-8")
    capsys.readouterr()  # what came before

    code = main(["--spec", str(root), "--output", str(output)])

    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == OK:
        assert (output / "openapi.yaml").is_file()
        assert (output / "client" / "customer_interface_client" / "models.py").is_file()
        assert (output / "client" / "pyproject.toml").is_file()
        return []
    assert code == FINDINGS, f"not a problem of the spec (exit {code}):\n{err}"
    *lines, count = err.strip().splitlines()
    assert COUNT.fullmatch(count), err
    assert lines, err
    found = [PROBLEM.fullmatch(line) for line in lines]
    for line, problem in zip(lines, found, strict=True):
        assert problem is not None, f"no `file:line #/pointer [rule] message`: {line}\n{err}"
        assert problem["file"] == display_path(root), line
    return [problem for problem in found if problem is not None]


@settings(
    max_examples=12,  # each edit the lint passes costs a whole generation: seconds
    deadline=None,
    database=None,
    derandomize=True,  # the same edits on every run: CI fails on a crash, not on a draw
    suppress_health_check=list(HealthCheck),
)
@given(document=edited())
def test_any_edit_of_the_spec_generates_or_names_file_pointer_and_rule_never_a_traceback(
    document: Any, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = problems_of_generating(document, tmp_path_factory.mktemp("edited"), capsys)

    # --hypothesis-show-statistics: how many of the edits the generators ran on
    event("problems" if problems else "generated")


def _list_items_emptied(document: Any) -> None:
    listed = document["components"]["schemas"]["EventGroupList"]["properties"]["event_groups"]
    del listed["items"]["$ref"]


# Edits that ended in a traceback, or in a message without file and pointer, before
# contract/generate checked what its generators need: (edit, rule, pointer).
ONCE_BROKEN: dict[str, tuple[Callable[[Any], object], str | None, str | None]] = {
    # Redocly stopped on the document: "redocly lint gave 0 report(s)" (exit 2)
    "no openapi member": (lambda d: d.pop("openapi"), "redocly/crash", "/"),
    "a null server": (lambda d: d["servers"].__setitem__(0, None), "redocly/crash", "/"),
    # a message without a place, once the models were already generated
    "another licence": (
        lambda d: d["info"]["license"].update(identifier="x"),
        "client-license",
        "/info/license/identifier",
    ),
    # openapi-python-client: "type array must have items or prefixItems defined" (exit 2)
    "an array without items": (
        lambda d: d["components"]["schemas"]["Error"]["properties"]["invalid_params"].pop("items"),
        "client-array-items",
        "/components/schemas/Error/properties/invalid_params",
    ),
    # Once a ValueError in the client's templates: the detail link's check names it now
    "the list's items emptied": (
        _list_items_emptied,
        "x-declaration-detail-link",
        "/paths/~1event-groups~1{event_group_id}/get/responses/200",
    ),
}


@pytest.mark.parametrize("case", ONCE_BROKEN)
def test_an_edit_that_once_broke_generation_is_a_problem_at_its_place(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, rule, pointer = ONCE_BROKEN[case]

    problems = problems_of_generating(changed(change), tmp_path, capsys)

    assert problems, "generated"
    if rule is not None:
        assert (pointer, rule) in {(p["pointer"], p["rule"]) for p in problems}


def test_a_spec_redocly_stops_on_is_a_problem_and_the_specs_after_it_are_still_linted(
    tmp_path: Path,
) -> None:
    """Redocly lints several specs in one run and stops at one it cannot walk: that one gets a
    `redocly/crash` problem, and each spec after it still gets Redocly's own problems."""
    broken, after = tmp_path / "broken" / "openapi.json", tmp_path / "after" / "openapi.json"
    for root, document in (
        (broken, changed(lambda d: d.pop("openapi"))),
        (after, changed(lambda d: d["paths"]["/event-groups"]["get"].pop("summary"))),
    ):
        root.parent.mkdir()
        root.write_text(json.dumps(document), encoding="utf-8")

    crashed, linted = lint_each([broken, after])

    assert "redocly/crash" in {problem.rule for problem in crashed}
    assert "operation-summary" in {problem.rule for problem in linted}

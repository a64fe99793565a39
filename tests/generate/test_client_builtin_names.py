"""What a spec may hold beyond the contract's own, generated: an array parameter (`list[str]` to
the generator, while the facade's `list` method hides that builtin in its class) must give a
client that `mypy --strict` accepts and samples that send the array; two path parameters
listed out of order must reach the generated function in the order it takes them."""

from __future__ import annotations

import ast
import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract.docs import calls, code_samples
from contract.generate import generate
from contract.layout import SPEC_DIR
from contract.spec.source import read_yaml
from tests.conftest import TWO_RESOURCES, edit_spec_file

EXPAND = {
    "name": "expand",
    "in": "query",
    "required": False,
    "description": "Related records to embed in the answer.",
    "schema": {"type": "array", "items": {"type": "string", "enum": ["owner", "tags"]}},
    "example": ["owner", "tags"],
}


NOTE_PATH = "/segments/{segment_id}/notes/{note_id}"


def with_array_and_second_path_parameter(document: Any) -> None:
    detail = document["paths"]["/segments/{segment_id}"]["get"]
    note = copy.deepcopy(detail)
    detail["parameters"].append(EXPAND)
    note["operationId"] = "getSegmentNote"
    note["summary"] = note["description"] = "A note on a segment."
    note["parameters"].insert(0, {**note["parameters"][0], "name": "note_id", "example": 3})
    document["paths"][NOTE_PATH] = {"get": note}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-resource fixture with an array query parameter on its detail operation, kept
    where its references to the contract's shared files still resolve."""
    folder = tmp_path_factory.mktemp("builtin-names")
    shutil.copytree(SPEC_DIR, folder / SPEC_DIR.name)
    fixture = folder / TWO_RESOURCES.relative_to(SPEC_DIR.parent)
    fixture.parent.mkdir(parents=True)
    shutil.copyfile(TWO_RESOURCES, fixture)
    edit_spec_file(fixture, fixture.name, with_array_and_second_path_parameter)
    generate(fixture, folder / "generated")
    return folder / "generated"


def test_mypy_strict_accepts_a_list_annotation_after_the_list_method(generated: Path) -> None:
    facade = generated / "client" / "customer_interface_client" / "api" / "__init__.py"
    assert "def list(" in facade.read_text("utf-8")
    assert "list[" in facade.read_text("utf-8").split("def list(", 1)[1]

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--config-file", "/dev/null", "customer_interface_client"],
        cwd=generated / "client", capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout


def test_the_samples_send_an_array_as_repeated_names_and_a_python_list(generated: Path) -> None:
    document = read_yaml(generated / "openapi.yaml")
    key = "get /segments/{segment_id}"
    python, curl = (sample["source"] for sample in code_samples(document)[key])

    assert calls(document)[key].client_query == (("expand", ["owner", "tags"]),)
    assert 'expand=["owner", "tags"]' in python
    assert "?expand=owner&expand=tags" in curl


def test_the_python_sample_passes_path_arguments_in_the_order_the_function_takes_them(
    generated: Path,
) -> None:
    document = read_yaml(generated / "openapi.yaml")
    call = calls(document)[f"get {NOTE_PATH}"]
    module = generated / "client" / "customer_interface_client" / "api" / "segments"
    tree = ast.parse((module / f"{call.called.name}.py").read_text("utf-8"))
    function = next(
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "sync_detailed"
    )
    taken = [argument.arg for argument in function.args.args]

    assert taken == ["segment_id", "note_id"]
    assert call.path_arguments == (7, 3)
    assert call.path == "/segments/7/notes/3"
    python = code_samples(document)[f"get {NOTE_PATH}"][0]["source"]
    assert f"api.segments.{call.called.name}(7, 3)" in python

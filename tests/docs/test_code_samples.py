"""The code samples of the docs page are run as published, against the reference server: each
operation's Python sample through the generated client installed in a fresh virtualenv, its
curl sample through bash. The contract's spec and the two-resource fixture's (segments: integer
ids, no envelope) are both run. A runner that could not fail would prove nothing, so it is
also shown samples that call a missing method, a wrong path or another query."""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from contract.conformance.live_server import start_live_server
from contract.docs import (
    CODE_SAMPLES,
    CURL_SAMPLE,
    PYTHON_SAMPLE,
    SAMPLE_AUTH,
    Call,
    calls,
    page_document,
)
from contract.docs._samples import lookups
from contract.errors import ContractError
from contract.generate.client_names import client_class_name, client_package
from contract.layout import GENERATED_DIR
from contract.spec.declarations import list_operations
from contract.spec.source import load_inlined, operations, read_yaml
from reference_server.data import documented_items
from reference_server.spec_rules import rules_from_document
from tests.conftest import TWO_RESOURCES
from tests.support.fresh_venv import install
from tests.support.sample_runner import Target, problems, run_sample
from tests.support.spec_facts import DETAIL_PATH, LIST_PATH, parameters

CONTRACT_SPEC = GENERATED_DIR / "openapi.yaml"
LABELS = [PYTHON_SAMPLE, CURL_SAMPLE]
SAMPLE_LINE = 88  # ruff's default: what a reader's formatter would do to a copied sample


@dataclass(frozen=True)
class Deployment:
    """A bundled spec, the reference server serving it, and its client in a virtualenv."""

    document: dict[str, Any]
    target: Target
    folder: Path


@contextmanager
def deployed(generated: Path, folder: Path, *server_args: str) -> Iterator[Deployment]:
    """The client of `generated` installed offline into a new virtualenv, and the reference
    server serving its bundled spec (its documented items unless `server_args` say otherwise)."""
    python = install(generated / "client", folder / "venv")
    spec = generated / "openapi.yaml"
    with start_live_server(folder, "--spec", str(spec), *server_args) as server:
        target = Target(server.base_url, server.user, server.password, python)
        yield Deployment(read_yaml(spec), target, folder)


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with deployed(GENERATED_DIR, tmp_path_factory.mktemp("samples-contract")) as deployment:
        yield deployment


@pytest.fixture(scope="module")
def fixture_spec(
    two_resources: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    with deployed(two_resources, tmp_path_factory.mktemp("samples-two")) as deployment:
        yield deployment


def shown_samples(document: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """`method path` -> the samples of the page build_site renders, as published."""
    shown = page_document(document)
    return {
        f"{method} {path}": operation.get(CODE_SAMPLES, [])
        for path, method, _, operation in operations(shown)
    }


def run_all(deployment: Deployment, only: str | None = None) -> dict[str, list[str]]:
    """Every published sample run (of the operation `only`, if given); `method path label` ->
    its problems, for those with any."""
    found = calls(deployment.document)
    failed = {}
    for key, samples in shown_samples(deployment.document).items():
        if only not in (None, key):
            continue
        for sample in samples:
            ran = run_sample(sample, deployment.target, deployment.folder)
            wrong = problems(found[key], sample, ran, deployment.target, deployment.document)
            if wrong:
                failed[f"{key} {sample['label']}"] = wrong
    return failed


def sample_of(document: dict[str, Any], key: str, label: str) -> dict[str, str]:
    (sample,) = [s for s in shown_samples(document)[key] if s["label"] == label]
    return dict(sample)


def list_key(document: dict[str, Any]) -> str:
    (method, path), *_ = list_operations(document)
    return f"{method} {path}"


def with_source(sample: dict[str, str], old: str, new: str) -> dict[str, str]:
    assert old in sample["source"], (old, sample["source"])
    return {**sample, "source": sample["source"].replace(old, new)}


# What is published


def test_every_operation_shows_a_python_and_a_curl_sample() -> None:
    for document in (read_yaml(CONTRACT_SPEC), load_inlined(TWO_RESOURCES)[0]):
        shown = shown_samples(document)
        assert shown, "no operation"
        for key, samples in shown.items():
            assert [s["label"] for s in samples] == LABELS, key
            assert [s["lang"] for s in samples] == LABELS, key
            assert all(s["source"].strip() for s in samples), key


def test_the_downloadable_spec_stays_without_samples(site: Path) -> None:
    for name in ("openapi.yaml", "openapi.json"):
        assert CODE_SAMPLES not in (site.parent / name).read_text("utf-8")
    assert CODE_SAMPLES not in json.dumps(read_yaml(CONTRACT_SPEC))


def test_the_samples_take_their_values_from_the_spec_examples() -> None:
    document = read_yaml(CONTRACT_SPEC)
    found = calls(document)
    (resource,) = list_operations(document).values()
    # Every example but that of a filter that finds one item at most (text_id, unique).
    examples = {
        p["name"]: p["example"]
        for p in parameters(LIST_PATH)
        if "example" in p and p["name"] not in lookups(resource)
    }
    assert set(lookups(resource)) == {"text_id"}
    (key,) = [p["example"] for p in parameters(DETAIL_PATH) if p["in"] == "path"]
    listed, detail = found[f"get {LIST_PATH}"], found[f"get {DETAIL_PATH}"]

    assert dict(listed.query) == examples
    assert listed.path == LIST_PATH
    assert detail.path == DETAIL_PATH.replace("{event_group_id}", key)
    assert detail.path_arguments == (key,)
    assert (listed.called.name, detail.called.name) == ("list", "retrieve")


def test_the_retrieve_sample_fetches_an_item_the_reference_server_holds() -> None:
    for document in (read_yaml(CONTRACT_SPEC), load_inlined(TWO_RESOURCES)[0]):
        rules = rules_from_document(document)
        for call in calls(document).values():
            resource = call.called.resource
            if call.called.role == "retrieve" and resource is not None:
                held = [item[resource.detail.key] for item in documented_items(rules, resource)]
                assert call.path_arguments[0] in held, call.called.key


def test_a_path_example_the_server_lacks_gives_way_to_a_documented_item() -> None:
    document = read_yaml(CONTRACT_SPEC)
    parameter = document["components"]["parameters"]["event_group_id"]
    parameter["example"] = "not-a-listed-group"
    listed = document["components"]["examples"]["event-group-list"]["value"]["data"]

    detail = calls(document)[f"get {DETAIL_PATH}"]

    assert detail.path_arguments == (listed["event_groups"][0]["event_group_id"],)


def with_statistics(document: dict[str, Any]) -> str:
    """Add an operation the declarations do not cover (a copy of the detail operation under
    another path and operationId); returns its `method path`."""
    operation = copy.deepcopy(document["paths"][DETAIL_PATH]["get"])
    operation["operationId"] = "getEventGroupStatistics"
    item = {"parameters": document["paths"][DETAIL_PATH]["parameters"], "get": operation}
    document["paths"][DETAIL_PATH + "/statistics"] = item
    return f"get {DETAIL_PATH}/statistics"


def test_an_operation_the_declarations_do_not_cover_calls_its_operation_id() -> None:
    document = read_yaml(CONTRACT_SPEC)
    key = with_statistics(document)
    (example,) = [p["example"] for p in parameters(DETAIL_PATH) if p["in"] == "path"]

    python = sample_of(document, key, PYTHON_SAMPLE)["source"]
    curl = sample_of(document, key, CURL_SAMPLE)["source"]

    assert f'result = api.event_groups.get_event_group_statistics("{example}")' in python
    assert "print(result.model_dump_json())" in python
    assert f'"$BASE_URL/event-groups/{example}/statistics"' in curl


@pytest.mark.parametrize(
    ("where", "what"),
    [("requestBody", "cannot send a request body"), ("required", "has no example")],
)
def test_an_operation_the_samples_cannot_show_is_refused_with_a_reason(
    where: str, what: str
) -> None:
    document = read_yaml(CONTRACT_SPEC)
    key = with_statistics(document)
    operation = document["paths"][key.split(" ")[1]]["get"]
    if where == "requestBody":
        operation["requestBody"] = {"content": {"application/json": {"schema": {}}}}
    else:
        operation["parameters"] = [{"name": "must", "in": "query", "required": True}]

    with pytest.raises(ContractError, match=f"{key}: .*{what}"):
        calls(document)


def test_the_client_class_name_is_what_the_generated_package_exports() -> None:
    package = client_package()
    init = GENERATED_DIR / "client" / package / "__init__.py"
    exported = next(
        node.value
        for node in ast.parse(init.read_text("utf-8")).body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    )

    assert client_class_name() in ast.literal_eval(exported)
    source = sample_of(read_yaml(CONTRACT_SPEC), f"get {LIST_PATH}", PYTHON_SAMPLE)["source"]
    assert f"from {package} import {client_class_name()}" in source


def test_the_python_samples_are_formatted_as_ruff_would_and_lint_clean() -> None:
    for samples in shown_samples(read_yaml(CONTRACT_SPEC)).values():
        source = samples[0]["source"]
        ruff = [sys.executable, "-m", "ruff"]
        options = ["--isolated", "--line-length", str(SAMPLE_LINE), "--stdin-filename", "s.py"]
        formatted = subprocess.run(
            [*ruff, "format", *options, "-"], input=source, capture_output=True, text=True
        )
        checked = subprocess.run(
            [*ruff, "check", *options, "--select", "E,F,W,I,B,UP", "-"],
            input=source,
            capture_output=True,
            text=True,
        )
        assert formatted.stdout == source, formatted.stderr
        assert checked.returncode == 0, checked.stdout


def test_no_sample_puts_the_credentials_on_a_command_line() -> None:
    for document in (read_yaml(CONTRACT_SPEC), load_inlined(TWO_RESOURCES)[0]):
        for samples in shown_samples(document).values():
            python, curl = (s["source"] for s in samples)
            first, *rest = curl.splitlines()
            assert f'os.environ["{SAMPLE_AUTH}"]' in python
            # printf is a bash builtin and base64 reads stdin: $AUTH goes to curl's stdin as a
            # header, never into an argv.
            assert first.startswith("printf ")
            assert f"printf '%s' \"${SAMPLE_AUTH}\" | base64" in first
            assert "--header @-" in curl
            assert f"${SAMPLE_AUTH}" not in "\n".join(rest)
            assert not {"-u", "--user", "-H", "--config", "-K"} & set(curl.split())
            assert curl.split().count("--header") == 1


# What the samples do


def test_every_sample_of_the_contract_runs_and_answers_as_the_server_does(
    contract: Deployment,
) -> None:
    assert run_all(contract) == {}


def test_every_sample_of_the_two_resource_fixture_runs_and_answers(
    fixture_spec: Deployment,
) -> None:
    assert run_all(fixture_spec) == {}


def test_the_list_sample_prints_every_match_across_pages(
    tmp_path: Path, contract: Deployment
) -> None:
    """A server holding more matches than a page: the Python sample prints each one, the
    curl sample shows the first page."""
    (resource,) = list_operations(contract.document).values()
    call = calls(contract.document)[list_key(contract.document)]
    matching = 2 * int(resource.default(resource.paging.step)) + 7
    (template, *_) = documented_items(rules_from_document(contract.document), resource)
    query = dict(call.query)
    items = []
    for number in range(matching + 5):
        item = {**template, resource.detail.key: f"{number:026x}"}
        for declared in resource.filters:
            if declared.parameter not in query:  # the sample leaves it out
                item[declared.property_name] = f"{item[declared.property_name]}-{number}"
                continue
            value = str(query[declared.parameter]) if number < matching else "elsewhere"
            item[declared.property_name] = (
                value if declared.match == "equals" else f"{value} {number:03d}"
            )
        items.append(item)
    data = tmp_path / "items.json"
    data.write_text(json.dumps(items), "utf-8")

    with deployed(GENERATED_DIR, tmp_path, "--load", str(data)) as many:
        python = sample_of(many.document, list_key(many.document), PYTHON_SAMPLE)
        ran = run_sample(python, many.target, tmp_path)
        failed = run_all(many, only=list_key(many.document))

    assert failed == {}
    assert len(ran.stdout.splitlines()) == matching
    assert {text.split()[0] for text in ran.stdout.splitlines()} == {
        f"{number:026x}" for number in range(matching)
    }


def test_the_samples_work_with_a_password_that_quotes_escapes_and_expands(
    tmp_path: Path,
) -> None:
    password = "pa\"ss\\word $HOME `id` 'x' !#"
    python = install(GENERATED_DIR / "client", tmp_path / "venv")
    spec = GENERATED_DIR / "openapi.yaml"
    with start_live_server(tmp_path, "--spec", str(spec), password=password) as server:
        target = Target(server.base_url, server.user, password, python)
        deployment = Deployment(read_yaml(spec), target, tmp_path)
        assert run_all(deployment) == {}
        # The same samples with a wrong password are refused: the password above was used.
        wrong = Target(server.base_url, server.user, password[:-1], python)
        assert run_all(Deployment(deployment.document, wrong, tmp_path))


# The runner fails what is wrong


def test_the_runner_reports_a_python_sample_that_calls_a_missing_method(
    contract: Deployment,
) -> None:
    key = list_key(contract.document)
    call: Call = calls(contract.document)[key]
    sample = with_source(
        sample_of(contract.document, key, PYTHON_SAMPLE),
        f".{call.called.name}(",
        f".{call.called.name}_missing(",
    )

    ran = run_sample(sample, contract.target, contract.folder)
    found = problems(call, sample, ran, contract.target, contract.document)

    assert "exit status 1" in found
    assert any("AttributeError" in problem for problem in found)


def test_the_runner_reports_a_python_sample_that_prints_something_else(
    contract: Deployment,
) -> None:
    key = list_key(contract.document)
    sample = with_source(sample_of(contract.document, key, PYTHON_SAMPLE), "print(", 'print("x", ')

    ran = run_sample(sample, contract.target, contract.folder)
    found = problems(calls(contract.document)[key], sample, ran, contract.target, contract.document)

    assert len(found) == 1
    assert found[0].startswith("printed ")


def test_the_runner_reports_a_curl_sample_with_a_wrong_path(contract: Deployment) -> None:
    key = list_key(contract.document)
    call = calls(contract.document)[key]
    sample = with_source(
        sample_of(contract.document, key, CURL_SAMPLE),
        f"{call.path}?",
        f"{call.path}-missing?",
    )

    ran = run_sample(sample, contract.target, contract.folder)
    found = problems(call, sample, ran, contract.target, contract.document)

    assert "exit status 22" in found  # --fail-with-body: curl's exit status for 4xx
    assert contract.target.password not in repr(found)


def test_the_runner_reports_a_curl_sample_that_asks_another_query(contract: Deployment) -> None:
    key = list_key(contract.document)
    call = calls(contract.document)[key]
    sample = sample_of(contract.document, key, CURL_SAMPLE)
    sample = with_source(sample, sample["source"].split("?")[1].split('"')[0], "count=1")

    ran = run_sample(sample, contract.target, contract.folder)
    found = problems(call, sample, ran, contract.target, contract.document)

    assert found == ["answered otherwise than a direct request with the sample's query"]

"""Run the docs' code samples as a reader would, and say what is wrong with an answer: a Python
sample in a virtualenv holding the generated client, a curl sample in bash, each with
BASE_URL and AUTH in its environment and nothing else of this process's. What a sample should
answer comes from direct httpx requests to the same server, so a sample that calls the wrong
method, path or query is reported, never excused."""

from __future__ import annotations

import ast
import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from contract.conformance.live_server import scrubbed
from contract.docs import CURL_SAMPLE, PYTHON_SAMPLE, SAMPLE_AUTH, SAMPLE_BASE_URL, Call
from contract.generate.client_names import LIST, RETRIEVE
from contract.spec.client_view import client_view
from contract.spec.declarations import member, response_schema

TIMEOUT = 60.0


@dataclass(frozen=True)
class Target:
    """Where the samples run: the server, its credentials and a python with the client."""

    base_url: str
    user: str
    password: str = field(repr=False)
    python: Path

    @property
    def environment(self) -> dict[str, str]:
        return {
            "PATH": "/usr/bin:/bin",
            SAMPLE_BASE_URL: self.base_url,
            SAMPLE_AUTH: f"{self.user}:{self.password}",
        }

    def get(self, path: str, query: Mapping[str, Any]) -> Any:
        """The JSON body of a direct request, which must succeed."""
        params = {name: _text(value) for name, value in query.items()}
        response = httpx.get(
            self.base_url + path,
            params=params,
            auth=(self.user, self.password),
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _text(value: Any) -> str | list[str]:
    """A query value as httpx sends it: an array repeats the name for each of its values."""
    if isinstance(value, list):
        return [str(_text(one)) for one in value]
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def run_sample(sample: Mapping[str, str], target: Target, cwd: Path) -> Ran:
    """Run one sample as published; what it printed, the password scrubbed out."""
    if sample["lang"] == PYTHON_SAMPLE:
        command = [str(target.python), "-"]  # the source on stdin, exactly as shown
        stdin: str | None = sample["source"]
    elif sample["lang"] == CURL_SAMPLE:
        command, stdin = ["bash", "-c", sample["source"]], None
    else:
        raise AssertionError(f"no runner for a {sample['lang']} sample")
    result = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=target.environment,
        timeout=TIMEOUT,
    )
    return Ran(
        result.returncode,
        scrubbed(result.stdout, target.password),
        scrubbed(result.stderr, target.password),
    )


def line(call: Call, item: Mapping[str, Any]) -> str:
    """What `print(...)` of the sample writes for one item."""
    return " ".join(str(item[name]) for name in call.printed)


def expected_python_output(call: Call, target: Target) -> str:
    """What the Python sample must print, from direct requests: for a list, one line for each
    match on every page (the client pages by itself), for a detail the item, else the body."""
    called = call.called
    resource = called.resource
    query = dict(call.client_query)
    if called.role == LIST and resource is not None:
        lines, offset = [], 0
        while True:
            body = target.get(call.path, {**query, resource.paging.offset: offset})
            items = member(body, resource.paging.results)
            lines += [line(call, item) for item in items]
            offset += len(items)
            if not items or offset >= member(body, resource.paging.total):
                break
        return "".join(f"{text}\n" for text in lines)
    body = target.get(call.path, query)
    if called.role == RETRIEVE and resource is not None:
        return line(call, member(body, resource.detail.item)) + "\n"
    return repr(body) + "\n"


def python_problems(call: Call, ran: Ran, target: Target) -> list[str]:
    problems = _exit_problems(ran)
    if problems:
        return problems
    expected = expected_python_output(call, target)
    if call.called.role not in (LIST, RETRIEVE):
        printed = ast.literal_eval(ran.stdout) if ran.stdout.strip() else None
        return [] if printed == ast.literal_eval(expected) else [f"printed {ran.stdout!r}"]
    if ran.stdout != expected:
        return [f"printed {ran.stdout!r}, expected {expected!r}"]
    return []


def curl_problems(call: Call, ran: Ran, target: Target, document: Mapping[str, Any]) -> list[str]:
    """The body must be JSON, valid against the documented 200 schema, and the answer of a
    direct request with the same path and query."""
    problems = _exit_problems(ran)
    if problems:
        return problems
    try:
        body = json.loads(ran.stdout)
    except ValueError:
        return [f"printed no JSON: {ran.stdout[:300]!r}"]
    view = client_view(document)
    operation = view["paths"][call.called.path][call.called.method]
    schema = response_schema(operation, 200)
    if schema is None:
        return [f"{call.called.key} documents no JSON 200 body to check the answer against"]
    problems = [
        f"breaks the 200 schema at {list(error.absolute_path)}: {error.message}"
        for error in Draft202012Validator(schema).iter_errors(body)
    ]
    if body != target.get(call.path, dict(call.query)):
        problems.append("answered otherwise than a direct request with the sample's query")
    return problems


def problems(
    call: Call, sample: Mapping[str, str], ran: Ran, target: Target, document: Mapping[str, Any]
) -> list[str]:
    """What is wrong with a sample's run ([] when nothing is)."""
    if sample["lang"] == PYTHON_SAMPLE:
        return python_problems(call, ran, target)
    return curl_problems(call, ran, target, document)


def _exit_problems(ran: Ran) -> list[str]:
    found = []
    if ran.returncode != 0:
        found.append(f"exit status {ran.returncode}")
    if ran.stderr:
        found.append(f"stderr: {ran.stderr.strip()[-1500:]}")
    return found

"""The built docs page in a real browser: headless Chromium opens it from a file and from a
static host, with outside network access refused, reads what it renders the way a reader
would (open the tag, click each response status and the security details) and records every
request. What the page must show is read from the bundled spec, never listed here."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from contract.docs.behaviour import behaviour_section
from contract.layout import BUILD_DIR, BUNDLED_SPEC
from contract.spec.declarations import list_operations
from contract.spec.source import HTTP_METHODS, read_yaml
from tests.browser import Chromium, Request

INSTALL_HINT = (
    "install Chromium to run the browser test of the docs (Debian/Ubuntu: "
    "`sudo apt-get install chromium`), or set CHROMIUM to a Chromium or Chrome executable"
)
# How long after the reading the page is watched for late requests (batched telemetry), in
# the page's time: its timers are fast-forwarded, so this costs no real time.
LATER = 60
# The app has taken over the page once its menu links to in-page routes (#/...) exist.
HYDRATED = "document.querySelector('a[href^=\"#/\"]') !== null"
# Wait until what the page shows has not changed for a while: Redoc renders in steps.
SETTLE = """
const settle = async () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
  let last = null;
  for (let stable = 0, tries = 0; stable < 2 && tries < 100; tries++) {
    await pause();
    const now = document.body.innerText;
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
};
"""
# Open a tag from the menu, as a reader would.
OPEN_TAG = f"""
async (tag) => {{
  {SETTLE}
  await settle();
  const link = [...document.querySelectorAll('a')].find((a) => a.textContent.trim() === tag);
  if (!link) throw new Error(`no menu link to the tag ${{tag}}`);
  link.click();
  await settle();
}}
"""
# Scroll down to the end (Redoc renders the operations as they come into view) and keep the text.
READ_DOWN = f"""
async () => {{
  {SETTLE}
  for (let last = -1; window.scrollY > last; ) {{
    last = window.scrollY;
    window.scrollBy(0, window.innerHeight / 2);
    await settle();
  }}
  return document.body.innerText;
}}
"""
# Then click every response status and the security details, keeping what each click shows.
CLICK_THROUGH = """
async (statuses) => {
  const rendered = () => new Promise((resolve) => setTimeout(resolve, 50));
  const seen = [];
  const count = document.querySelectorAll('button').length;
  for (let i = 0; i < count; i++) {
    const button = document.querySelectorAll('button')[i];
    const label = button ? button.textContent.trim() : '';
    if (statuses.includes(label) || /security/i.test(label)) {
      button.click();
      await rendered();
      seen.push(document.body.innerText);
    }
  }
  return seen;
}
"""


@dataclass(frozen=True)
class Visit:
    site: str  # URL of the site folder, ending in "/"
    opened: str  # what the page shows once the reader opened the tags
    everything: str  # all the reader saw, clicks included
    requests: list[Request]
    errors: list[str]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` of the bundled spec."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token]
        node = target
    return node


@dataclass(frozen=True)
class Operation:
    path: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]  # path-level ones included, references resolved
    responses: dict[str, dict[str, Any]]  # by status, references resolved
    security: list[dict[str, Any]]


def operations(spec: dict[str, Any]) -> list[Operation]:
    """The operations of the bundled spec, in its order."""
    found = []
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                references = item.get("parameters", []) + operation.get("parameters", [])
                found.append(
                    Operation(
                        path,
                        operation["summary"],
                        operation["description"],
                        [resolve(spec, p) for p in references],
                        {str(k): resolve(spec, v) for k, v in operation["responses"].items()},
                        operation.get("security", spec.get("security", [])),
                    )
                )
    return found


def plain(markdown: str) -> str:
    """Markdown as the page renders it to text, for the simple Markdown of this spec."""
    return " ".join(markdown.replace("`", "").split())


def example_lines(value: Any) -> Iterator[str]:
    """`"key": value` for every scalar member of an example, as any JSON view prints it."""
    if isinstance(value, dict):
        for key, member in value.items():
            if isinstance(member, dict | list):
                yield from example_lines(member)
            else:
                yield f"{json.dumps(key)}: {json.dumps(member, ensure_ascii=False)}"
    elif isinstance(value, list):
        for member in value:
            yield from example_lines(member)


def section(text: str, start: str, ends: list[str]) -> str:
    """The lines after the last line equal to `start` (the menu names things before the content
    does) up to the first following line in `ends`."""
    lines = text.splitlines()
    first = max(i for i, line in enumerate(lines) if line.strip() == start)
    rest = lines[first + 1 :]
    stop = next((i for i, line in enumerate(rest) if line.strip() in ends), len(rest))
    return "\n".join(rest[:stop])


def left_the_page(visit: Visit) -> list[Request]:
    """Requests that went to the network for something outside the site folder. A request the
    page's own Content-Security-Policy blocks (Redoc's attribution logo) is never sent."""
    local = (visit.site, "data:", "blob:", "about:")
    return [r for r in visit.requests if r.blocked is None and not r.url.startswith(local)]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = read_yaml(BUNDLED_SPEC)
    return document


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    executable = shutil.which(os.environ.get("CHROMIUM") or "chromium")
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"Chromium not found, and with CI=true the browser test must run: {INSTALL_HINT}"
            )
        pytest.skip(f"Chromium not found: {INSTALL_HINT}")
    with Chromium(executable) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def static_host(site: Path) -> Iterator[str]:
    """The site folder served on a free loopback port, as any static host would serve it."""
    handler = partial(QuietHandler, directory=str(site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


def call(function: str, argument: Any) -> str:
    return f"({function})({json.dumps(argument)})"


@pytest.fixture(scope="module", params=["file", "static-host"])
def visit(
    request: pytest.FixtureRequest,
    browser: Chromium,
    site: Path,
    spec: dict[str, Any],
    static_host: str,
) -> Visit:
    """One reader's visit, from a file or from the static host; saves a screenshot in build/."""
    base = site.parent.as_uri() + "/" if request.param == "file" else static_host
    tab = browser.open(base + "index.html")
    tab.wait_for(HYDRATED)
    opened = []
    for number, tag in enumerate(spec.get("tags", [])):
        tab.evaluate(call(OPEN_TAG, tag["name"]))
        if number == 0:
            tab.screenshot(BUILD_DIR / f"docs-screenshot-{request.param}.png")
        opened.append(tab.evaluate(f"({READ_DOWN})()"))
    statuses = sorted({status for op in operations(spec) for status in op.responses})
    clicked = tab.evaluate(call(CLICK_THROUGH, statuses))
    tab.fast_forward(LATER)
    tab.leave()
    return Visit(base, "\n".join(opened), "\n".join(opened + clicked), tab.requests, tab.errors)


def test_both_operations_are_shown_with_description_path_and_response_statuses(
    visit: Visit, spec: dict[str, Any]
) -> None:
    found = operations(spec)
    summaries = [op.summary for op in found]
    for operation in found:
        shown = section(visit.opened, operation.summary, summaries)
        assert plain(operation.description) in plain(shown)
        assert operation.path in shown.splitlines()
        for status in operation.responses:
            assert status in shown.splitlines(), (operation.summary, status)
    assert found, "the spec defines no operation"


def test_each_list_operation_shows_its_behaviour_section(
    visit: Visit, spec: dict[str, Any]
) -> None:
    found = operations(spec)
    summaries = [op.summary for op in found]
    for (method, path), resource in list_operations(spec).items():
        shown = plain(section(visit.opened, spec["paths"][path][method]["summary"], summaries))
        for line in behaviour_section(resource).splitlines():
            rule = plain(line.lstrip("#- "))
            assert rule in shown, (path, rule)
    assert list_operations(spec), "the spec declares no list operation"


def test_every_parameter_is_shown_with_its_description_default_enum_and_example(
    visit: Visit, spec: dict[str, Any]
) -> None:
    found = operations(spec)
    summaries = [op.summary for op in found]
    for operation in found:
        shown = section(visit.opened, operation.summary, summaries)
        names = [p["name"] for p in operation.parameters]
        for parameter in operation.parameters:
            block = section(shown, parameter["name"], names)
            schema = parameter["schema"]
            assert plain(parameter["description"]) in plain(block), parameter["name"]
            expected = [*schema.get("enum", []), parameter.get("example")]
            if "default" in schema:
                expected.append(schema["default"])
            for value in expected:
                assert str(value) in block, (parameter["name"], value)
    assert any(op.parameters for op in found), "the spec defines no parameter"


def test_the_documented_response_examples_are_shown(visit: Visit, spec: dict[str, Any]) -> None:
    for operation in operations(spec):
        for status, response in operation.responses.items():
            for media in response.get("content", {}).values():
                for example in media.get("examples", {}).values():
                    for line in example_lines(resolve(spec, example)["value"]):
                        assert line in visit.everything, (operation.summary, status, line)


def test_every_response_including_the_errors_is_described(
    visit: Visit, spec: dict[str, Any]
) -> None:
    text = plain(visit.everything)
    for operation in operations(spec):
        for status, response in operation.responses.items():
            assert plain(response["description"]) in text, (operation.summary, status)


def test_the_basic_auth_requirement_is_shown_on_each_operation(
    visit: Visit, spec: dict[str, Any]
) -> None:
    found = operations(spec)
    summaries = [op.summary for op in found]
    schemes = spec["components"]["securitySchemes"]
    for operation in found:
        shown = section(visit.opened, operation.summary, summaries).splitlines()
        for requirement in operation.security:
            for name in requirement:
                assert name in shown, (operation.summary, name)
                assert plain(schemes[name]["description"]) in plain(visit.everything)
    assert any(op.security for op in found), "the spec requires no credentials"


def test_no_request_left_the_page(visit: Visit) -> None:
    assert any(r.url.startswith(visit.site) for r in visit.requests), "no request recorded"
    assert [r.url for r in left_the_page(visit)] == []


def test_the_page_runs_without_script_errors(visit: Visit) -> None:
    assert visit.errors == []


def test_a_request_to_another_host_is_refused_and_counted_as_leaving(
    browser: Chromium, tmp_path: Path
) -> None:
    page = tmp_path / "leaky.html"
    page.write_text(
        '<img src="https://example.com/logo.png">'
        "<script>setTimeout(() => fetch('http://203.0.113.7/later').catch(() => {}), 30000)"
        "</script>",
        "utf-8",
    )
    tab = browser.open(page.as_uri())
    tab.fast_forward(LATER)
    tab.leave()

    visit = Visit(tmp_path.as_uri() + "/", "", "", tab.requests, tab.errors)
    left = {r.url: r.error for r in left_the_page(visit)}
    assert left == {
        "https://example.com/logo.png": "net::ERR_NAME_NOT_RESOLVED",
        "http://203.0.113.7/later": "net::ERR_NAME_NOT_RESOLVED",
    }

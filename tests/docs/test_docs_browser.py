"""The built docs page in a real browser: headless Chromium opens it from a file and from a
static host, with outside network access refused, reads what it renders the way a reader
would (open the tag, click each response status and the security details) and records every
request. What the page must show is read from the bundled spec, never listed here."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, Route

from contract.docs import CODE_SAMPLES, behaviour_section, page_document
from contract.layout import BUILD_DIR, BUNDLED_SPEC
from contract.spec.declarations import list_operations
from contract.spec.source import deref, parameters, read_yaml
from contract.spec.source import operations as spec_operations

INSTALL_HINT = (
    "install Chromium to run the browser test of the docs (Debian/Ubuntu: "
    "`sudo apt-get install chromium`), or set CHROMIUM to a Chromium or Chrome executable"
)
VIEWPORT = {"width": 1280, "height": 1800}
# How long after the reading the page is watched for late requests (batched telemetry), in
# the page's time: its timers are run ahead, so this costs no real time.
LATER = 60
# Addresses the page serves itself, without any request leaving the browser.
IN_PAGE = ("data:", "blob:", "about:")
# What Playwright reports for a request that the page's Content-Security-Policy stopped in the
# browser: it was never sent.
BLOCKED_BY_CSP = "csp"


@dataclass(frozen=True)
class Visit:
    site: str  # URL of the site folder, ending in "/"
    opened: str  # what the page shows once the reader opened the tags
    everything: str  # all the reader saw, clicks included
    requests: list[Request]
    errors: list[str]


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
    return [
        Operation(
            path,
            operation["summary"],
            operation["description"],
            parameters(item, operation, spec),
            {str(k): deref(v, spec) for k, v in operation["responses"].items()},
            operation.get("security", spec.get("security", [])),
        )
        for path, _, item, operation in spec_operations(spec)
    ]


def shown(visit: Visit, spec: dict[str, Any]) -> list[tuple[Operation, str]]:
    """Each operation with the part of the opened page that shows it."""
    found = operations(spec)
    summaries = [op.summary for op in found]
    return [(op, section(visit.opened, op.summary, summaries)) for op in found]


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


def is_local(url: str, site: str) -> bool:
    """Whether `url` is in the site folder or served by the page itself."""
    return url.startswith((site, *IN_PAGE))


def left_the_page(visit: Visit) -> list[Request]:
    """Requests that went to the network for something outside the site folder. A request the
    page's own Content-Security-Policy blocks (Redoc's attribution logo) is never sent."""
    return [
        r for r in visit.requests if r.failure != BLOCKED_BY_CSP and not is_local(r.url, visit.site)
    ]


@dataclass(frozen=True)
class Watch:
    """What the pages of a context did: every request and script error, their workers' too."""

    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch_offline(context: BrowserContext, site: str) -> Watch:
    """Refuse every request outside `site` and record every request and script error. Call
    before opening a page."""
    seen = Watch()
    context.on("request", lambda request: seen.requests.append(request))
    context.on("weberror", lambda error: seen.errors.append(str(error.error)))
    context.route("**/*", partial(refuse_outside, site))
    return seen


def refuse_outside(site: str, route: Route) -> None:
    """Answer a request outside `site` as an offline machine would: the page must not need it."""
    if is_local(route.request.url, site):
        route.continue_()
    else:
        route.abort("internetdisconnected")


def leave(page: Page) -> None:
    """Run the page's timers LATER seconds ahead, so whatever it would send later is sent now;
    wait until no request has been under way for half a second, so their outcome is recorded;
    then navigate away, so whatever the page sends when it is hidden or unloaded is recorded
    too. Chromium's virtual time runs the timers, not Playwright's clock, which would catch
    what they throw before the page reports it."""
    devtools = page.context.new_cdp_session(page)
    expired: list[Any] = []
    devtools.on("Emulation.virtualTimeBudgetExpired", lambda event: expired.append(event))
    budget = {"policy": "advance", "budget": LATER * 1000}
    devtools.send("Emulation.setVirtualTimePolicy", budget)
    deadline = time.monotonic() + 30
    while not expired:
        assert time.monotonic() < deadline, "the page's timers did not run ahead"
        page.wait_for_timeout(10)
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")


def settle(page: Page) -> None:
    """Wait until what the page shows has not changed for a while: Redoc renders in steps."""
    last, stable = None, 0
    for _ in range(100):
        page.wait_for_timeout(100)
        now = page.inner_text("body")
        stable = stable + 1 if now == last else 0
        if stable == 2:
            return
        last = now


def open_tag(page: Page, tag: str) -> None:
    """Open a tag from the menu, as a reader would."""
    settle(page)
    page.get_by_role("link", name=tag, exact=True).first.click()
    settle(page)


def read_down(page: Page) -> str:
    """Scroll down to the end (Redoc renders the operations as they come into view) and keep
    the text."""
    last = -1
    while (now := page.evaluate("window.scrollY")) > last:
        last = now
        page.evaluate("window.scrollBy(0, window.innerHeight / 2)")
        settle(page)
    return page.inner_text("body")


def click_through(page: Page, statuses: list[str]) -> list[str]:
    """Click every response status (the response samples' tabs too), then open and close the
    security details of each operation, keeping what each click shows."""
    exact = "|".join(re.escape(status) for status in statuses)
    status_buttons = page.locator("button").filter(has_text=re.compile(f"^({exact})$"))
    security_buttons = page.get_by_role("button", name=re.compile("security", re.IGNORECASE))
    shown = []
    for button in status_buttons.all():
        button.click()
        page.wait_for_timeout(50)  # React renders a click within a frame
        shown.append(page.inner_text("body"))
    for button in security_buttons.all():
        button.click()
        page.wait_for_timeout(50)
        shown.append(page.inner_text("body"))
        page.keyboard.press("Escape")  # the details open over the page
    return shown


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """The system's Chromium, or the one CHROMIUM names: Playwright downloads no browser."""
    executable = shutil.which(os.environ.get("CHROMIUM") or "chromium")
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"Chromium not found, and with CI=true the browser test must run: {INSTALL_HINT}"
            )
        pytest.skip(f"Chromium not found: {INSTALL_HINT}")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": ["--disable-dev-shm-usage"],  # containers have a small /dev/shm
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A large desktop window: Redoc shows its three columns, as most readers see it."""
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = read_yaml(BUNDLED_SPEC)
    return document


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


@pytest.fixture(scope="module", params=["file", "static-host"])
def visit(
    request: pytest.FixtureRequest,
    browser: Browser,
    browser_context_args: dict[str, Any],
    site: Path,
    spec: dict[str, Any],
    static_host: str,
) -> Iterator[Visit]:
    """One reader's visit, from a file or from the static host; saves a screenshot in build/."""
    base = site.parent.as_uri() + "/" if request.param == "file" else static_host
    context = browser.new_context(**browser_context_args)
    seen = watch_offline(context, base)
    page = context.new_page()
    page.goto(base + "index.html")
    # The app has taken over the page once its menu links to in-page routes (#/...) exist.
    page.locator('a[href^="#/"]').first.wait_for(state="attached")
    opened = []
    for number, tag in enumerate(spec.get("tags", [])):
        open_tag(page, tag["name"])
        if number == 0:
            page.screenshot(path=BUILD_DIR / f"docs-screenshot-{request.param}.png")
        opened.append(read_down(page))
    statuses = sorted({status for op in operations(spec) for status in op.responses})
    clicked = click_through(page, statuses)
    leave(page)
    yield Visit(base, "\n".join(opened), "\n".join(opened + clicked), seen.requests, seen.errors)
    context.close()


def test_both_operations_are_shown_with_description_path_and_response_statuses(
    visit: Visit, spec: dict[str, Any]
) -> None:
    found = shown(visit, spec)
    for operation, page in found:
        assert plain(operation.description) in plain(page)
        assert operation.path in page.splitlines()
        for status in operation.responses:
            assert status in page.splitlines(), (operation.summary, status)
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
    found = shown(visit, spec)
    for operation, page in found:
        names = [p["name"] for p in operation.parameters]
        for parameter in operation.parameters:
            block = section(page, parameter["name"], names)
            schema = parameter["schema"]
            assert plain(parameter["description"]) in plain(block), parameter["name"]
            expected = [*schema.get("enum", []), parameter.get("example")]
            if "default" in schema:
                expected.append(schema["default"])
            for value in expected:
                assert str(value) in block, (parameter["name"], value)
    assert any(op.parameters for op, _ in found), "the spec defines no parameter"


def test_the_documented_response_examples_are_shown(visit: Visit, spec: dict[str, Any]) -> None:
    for operation in operations(spec):
        for status, response in operation.responses.items():
            for media in response.get("content", {}).values():
                for example in media.get("examples", {}).values():
                    for line in example_lines(deref(example, spec)["value"]):
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
    found = shown(visit, spec)
    schemes = spec["components"]["securitySchemes"]
    for operation, page in found:
        for requirement in operation.security:
            for name in requirement:
                assert name in page.splitlines(), (operation.summary, name)
                assert plain(schemes[name]["description"]) in plain(visit.everything)
    assert any(op.security for op, _ in found), "the spec requires no credentials"


def choose_sample(page: Page, panel: Locator, chooser: re.Pattern[str], label: str) -> None:
    """Pick a sample's language in an operation's request panel, as a reader would: Redoc
    shows one sample at a time, and a menu (opened over the page) lists the others."""
    panel.get_by_role("button", name=chooser).click()
    page.get_by_role("menuitem", name=label, exact=True).locator("visible=true").click()
    page.wait_for_timeout(50)  # React renders a click within a frame


def test_each_operation_shows_its_python_and_curl_samples_with_their_code(
    page: Page, site: Path, spec: dict[str, Any]
) -> None:
    base = site.parent.as_uri() + "/"
    watch_offline(page.context, base)
    page.goto(base + "index.html")
    page.locator('a[href^="#/"]').first.wait_for(state="attached")
    for tag in spec.get("tags", []):
        open_tag(page, tag["name"])
        read_down(page)
    found = [
        (path, operation[CODE_SAMPLES])
        for path, _, _, operation in spec_operations(page_document(spec))
    ]
    for path, samples in found:
        labels = [sample["label"] for sample in samples]
        assert sorted(labels) == ["Python", "curl"], path
        chooser = re.compile("^(" + "|".join(map(re.escape, labels)) + ")$")
        # The operation's right-hand panel: it names the path and offers the samples.
        panel = (
            page.get_by_test_id("right-panel")
            .filter(has=page.get_by_text(path, exact=True))
            .filter(has=page.get_by_role("button", name=chooser))
        )
        for sample in samples:
            choose_sample(page, panel, chooser, sample["label"])
            shown = {line.strip() for line in panel.inner_text().splitlines()}
            code = [line.strip() for line in sample["source"].splitlines() if line.strip()]
            assert panel.get_by_role("button", name=chooser).inner_text() == sample["label"]
            assert [line for line in code if line not in shown] == [], (path, sample["label"])
    assert found, "the spec defines no operation"


def test_no_request_left_the_page(visit: Visit) -> None:
    assert any(r.url.startswith(visit.site) for r in visit.requests), "no request recorded"
    assert [r.url for r in left_the_page(visit)] == []


def test_the_page_runs_without_script_errors(visit: Visit) -> None:
    assert visit.errors == []


def test_a_request_to_another_host_is_refused_and_counted_as_leaving(
    page: Page, tmp_path: Path
) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<img src="https://example.com/logo.png">'
        "<script>setTimeout(() => fetch('http://203.0.113.7/later').catch(() => {}), 30000)"
        "</script>",
        "utf-8",
    )
    site = tmp_path.as_uri() + "/"
    seen = watch_offline(page.context, site)
    page.goto(leaky.as_uri())
    leave(page)

    visit = Visit(site, "", "", seen.requests, seen.errors)
    left = {r.url: r.failure for r in left_the_page(visit)}
    assert left == {
        "https://example.com/logo.png": "net::ERR_INTERNET_DISCONNECTED",
        "http://203.0.113.7/later": "net::ERR_INTERNET_DISCONNECTED",
    }

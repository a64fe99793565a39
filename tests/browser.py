"""Drive headless Chromium through the DevTools protocol over a pipe, with the standard library
only: open a page with every host but the loopback address unresolvable, run script in it,
record every request it makes (its workers' too) and take screenshots."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from contract.errors import ToolError

# Outside network refused: no name resolves, except the loopback address the tests serve on.
REFUSE_OUTSIDE = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests may run as root (CI); the pages are our own
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers have a small /dev/shm
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--host-resolver-rules={REFUSE_OUTSIDE}",
    "--remote-debugging-pipe",
)
Message = dict[str, Any]


@dataclass
class Request:
    """One request the page made. `blocked` names what stopped it inside the browser before it
    was sent (the page's Content-Security-Policy: "csp"); `error` is why it failed."""

    url: str
    blocked: str | None = None
    error: str | None = None
    finished: bool = False


@dataclass
class Tab:
    browser: Chromium
    session: str
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    loaded: bool = False
    expired: bool = False
    _by_id: dict[str, Request] = field(default_factory=dict, repr=False)

    def evaluate(self, expression: str, timeout: float = 30) -> Any:
        """The value of `expression` (a promise is awaited); a thrown error fails the call."""
        reply = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            self.session,
            timeout,
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise ToolError(f"script failed in the page: {describe_exception(details)}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> None:
        """Poll until `expression` is truthy in the page."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise ToolError(f"the page never reached: {expression}")
            time.sleep(0.05)

    def fast_forward(self, seconds: float) -> None:
        """Let `seconds` of the page's timers run at once (virtual time), so whatever the page
        would send later, such as batched telemetry, is sent and recorded now. The page's
        timers stay paused afterwards: call it last."""
        self.expired = False
        budget = {"policy": "advance", "budget": seconds * 1000}
        self.browser.call("Emulation.setVirtualTimePolicy", budget, self.session)
        deadline = time.monotonic() + 30
        while not self.expired:
            self.browser.receive_or_fail(deadline)

    def leave(self, timeout: float = 10) -> None:
        """Let the requests under way finish, so their outcome is recorded, then navigate away,
        so whatever the page sends when it is hidden or unloaded is recorded too."""
        deadline = time.monotonic() + timeout
        while any(not r.finished for r in self.requests):
            if not self.browser.receive(deadline):
                break
        self.browser.navigate(self, "about:blank")

    def screenshot(self, path: Path) -> None:
        reply = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(reply["data"]))

    def on_event(self, method: str, params: Message) -> None:
        if method == "Network.requestWillBeSent":
            if "redirectResponse" in params and params["requestId"] in self._by_id:
                self._by_id[params["requestId"]].finished = True
            request = Request(params["request"]["url"])
            self._by_id[params["requestId"]] = request
            self.requests.append(request)
        elif method == "Network.loadingFailed" and params["requestId"] in self._by_id:
            request = self._by_id[params["requestId"]]
            request.blocked = params.get("blockedReason")
            request.error = params.get("errorText")
            request.finished = True
        elif method == "Network.loadingFinished" and params["requestId"] in self._by_id:
            self._by_id[params["requestId"]].finished = True
        elif method == "Runtime.exceptionThrown":
            self.errors.append(describe_exception(params["exceptionDetails"]))
        elif method == "Page.loadEventFired":
            self.loaded = True
        elif method == "Emulation.virtualTimeBudgetExpired":
            self.expired = True


def describe_exception(details: Message) -> str:
    """The message of an exception the page threw, as the DevTools protocol reports it."""
    exception = details.get("exception", {})
    return str(exception.get("description") or details.get("text", "unknown error"))


class Chromium:
    """One headless Chromium: `with Chromium(executable) as browser: tab = browser.open(url)`."""

    def __init__(self, executable: str, width: int = 1280, height: int = 1800) -> None:
        self.executable = executable
        self.size = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self._tabs: dict[str, Tab] = {}
        self._replies: dict[int, Message] = {}
        self._buffer = b""
        self._last_id = 0

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
        to_browser, self._to_browser = map(_high_fd, os.pipe())
        self._from_browser, from_browser = map(_high_fd, os.pipe())
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        shell = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser}'
        command = [self.executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"]
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                ["bash", "-c", shell, *command],
                pass_fds=(to_browser, from_browser),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
            )
        except OSError as exc:
            for fd in (self._to_browser, self._from_browser):
                os.close(fd)
            self._log.close()
            self._profile.cleanup()
            raise ToolError(f"cannot start {self.executable}: {exc}") from exc
        finally:
            os.close(to_browser)
            os.close(from_browser)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self._process.poll() is None:
                self._post("Browser.close")
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            self._log.close()
            self._profile.cleanup()

    def open(self, url: str) -> Tab:
        """A new tab that has loaded `url`, its requests recorded from the first one."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        tab = Tab(self, session["sessionId"])
        self._tabs[tab.session] = tab
        for method in ("Network.enable", "Page.enable", "Runtime.enable"):
            self.call(method, session=tab.session)
        self.call("Emulation.setDeviceMetricsOverride", self.size, tab.session)
        # Workers and frames the page starts wait until their requests are recorded too.
        auto_attach = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}
        self.call("Target.setAutoAttach", auto_attach, tab.session)
        self.navigate(tab, url)
        return tab

    def navigate(self, tab: Tab, url: str, timeout: float = 30) -> None:
        """Load `url` in `tab` and wait for its load event."""
        tab.loaded = False
        reply = self.call("Page.navigate", {"url": url}, tab.session)
        if "errorText" in reply:
            raise ToolError(f"cannot open {url}: {reply['errorText']}")
        deadline = time.monotonic() + timeout
        while not tab.loaded:
            self.receive_or_fail(deadline)

    def call(
        self,
        method: str,
        params: Message | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> Message:
        """Send one command and wait for its reply, handling the events that arrive meanwhile."""
        ident = self._post(method, params, session)
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            self.receive_or_fail(deadline)
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise ToolError(f"{method} failed: {reply['error'].get('message')}")
        result: Message = reply.get("result", {})
        return result

    def _post(self, method: str, params: Message | None = None, session: str | None = None) -> int:
        self._last_id += 1
        message: Message = {"id": self._last_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise ToolError(f"Chromium is gone ({exc.strerror}){self._output()}") from exc
        return self._last_id

    def receive_or_fail(self, deadline: float) -> None:
        """Handle one message; Chromium owes one before `deadline`."""
        if not self.receive(deadline):
            raise ToolError(f"Chromium did not answer in time{self._output()}")

    def receive(self, deadline: float) -> bool:
        """Handle one message, False if none came before `deadline`: a reply is kept for
        `call`, an event goes to its tab."""
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(remaining, 0))
            if not ready:
                return False
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ToolError(f"Chromium exited{self._output()}")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message = json.loads(raw)
        if "id" in message:
            self._replies[message["id"]] = message
            return True
        method, params = message.get("method", ""), message.get("params", {})
        tab = self._tabs.get(message.get("sessionId", ""))
        if method == "Target.attachedToTarget" and tab is not None:
            child = params["sessionId"]
            self._tabs[child] = tab
            self._post("Network.enable", session=child)
            self._post("Runtime.runIfWaitingForDebugger", session=child)
        elif tab is not None:
            tab.on_event(method, params)
        return True

    def _output(self) -> str:
        self._log.seek(0)
        tail = self._log.read().decode(errors="replace").strip().splitlines()[-15:]
        return (":\n" + "\n".join(tail)) if tail else ""


def _high_fd(fd: int) -> int:
    """Move a pipe end above 9, so the shell's `3<&N` can never clash with fds 3 and 4."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved

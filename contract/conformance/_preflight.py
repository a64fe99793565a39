"""Before any fuzzing, one authenticated request to each operation's simplest form: a setup
mistake (the server down, the wrong credentials, a URL without the API's path prefix) then
stops the run within seconds, naming the variable to fix, instead of ending minutes later as
findings that blame the server for the user's typo.

The preflight waits as a patient client does: a server that is still starting refuses
connections for a few seconds, and a cold start (serverless, scaled to zero) may take up to
FIRST_ANSWER seconds for its first answer; it says that it is waiting. Once the server has
answered at all, an operation that does not answer in time is a finding about that operation,
not a setup error: the run goes on without it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from contract.conformance._contract import Contract, Operation
from contract.errors import SetupError

FIRST_ANSWER: Final = 30.0  # seconds the server's first answer may take (a cold start)
REFUSED_FOR: Final = 5.0  # seconds a refused connection is tried again (a server starting)
TIMEOUT: Final = 10.0  # seconds each later answer may take
PROGRESS_EVERY: Final = 5.0  # seconds between lines that say the preflight is waiting
RETRY_PAUSE: Final = 0.25
REFUSED = (401, 403)


@dataclass(frozen=True)
class Request:
    operation: Operation
    path: str  # below the base URL, with its required path parameters filled in
    query: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Preflight:
    """What the preflight learnt: the operations that did not answer in time (findings for
    the run to report, operations for it to leave out), and how long the first answer took."""

    hung: Mapping[str, Request] = field(default_factory=dict)  # operation label -> request
    first_answer: float = 0.0  # seconds
    timeout: float = TIMEOUT


def check_base_url(base_url: str, contract: Contract) -> None:
    """BASE_URL must be an http(s) URL with a host and no credentials in it (they belong in
    AUTH or AUTH_FILE: a URL travels on command lines, into logs and into reports)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SetupError(
            f"BASE_URL={shown(base_url)!r} is no http:// or https:// URL; give the server's "
            f"address with the API's path prefix, e.g. BASE_URL=http://127.0.0.1:8080"
            f"{contract.prefix}"
        )
    if parts.username is not None or parts.password is not None:
        raise SetupError(
            "BASE_URL carries credentials (user:password@): remove them, and put "
            "user:password in AUTH (or in a 0600 file named by AUTH_FILE)"
        )


def shown(url: str) -> str:
    """`url` without any user information, for messages."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def example_value(parameter: Mapping[str, Any]) -> str:
    """A value for a required parameter: its example, its schema's example or default, else a
    placeholder (a detail operation may then answer 404, which says the path exists)."""
    schema = parameter.get("schema") or {}
    examples = schema.get("examples") or [None]
    for value in (
        parameter.get("example"),
        schema.get("example"),
        examples[0],
        schema.get("default"),
    ):
        if value is not None:
            return str(value)
    return "preflight"


def simplest_requests(contract: Contract) -> list[Request]:
    """Each GET operation with its required parameters only."""
    requests = []
    for operation in contract.operations:
        if operation.method != "GET":
            continue
        filled, query = operation.template, list[tuple[str, str]]()
        for parameter in operation.spec.get("parameters") or []:
            if not parameter.get("required"):
                continue
            value = example_value(parameter)
            if parameter.get("in") == "path":
                filled = filled.replace("{" + parameter["name"] + "}", quote(value, safe=""))
            elif parameter.get("in") == "query":
                query.append((parameter["name"], value))
        requests.append(Request(operation, filled, tuple(query)))
    return requests


def url_of(base_url: str, request: Request) -> str:
    query = "?" + urlencode(request.query) if request.query else ""
    return base_url.rstrip("/") + request.path + query


@dataclass
class Waiting:
    """Says every PROGRESS_EVERY seconds that the preflight still waits for a first answer."""

    url: str
    say: Callable[[str], None]
    patience: float = FIRST_ANSWER
    started: float = field(default_factory=time.monotonic)
    _done: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Waiting:
        threading.Thread(target=self._tell, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()

    def _tell(self) -> None:
        while not self._done.wait(PROGRESS_EVERY):
            self.say(
                f"  waiting for the first answer from {shown(self.url)} "
                f"({time.monotonic() - self.started:.0f} s; a cold start may take up to "
                f"{self.patience:g} s)"
            )


def first_get(
    client: httpx.Client, url: str, patience: float, say: Callable[[str], None]
) -> httpx.Response:
    """The server's first answer: a refused connection is tried again for REFUSED_FOR
    seconds, an answer awaited for `patience` seconds."""
    started = time.monotonic()
    with Waiting(url, say, patience):
        while True:
            try:
                return client.get(url, timeout=patience)
            except httpx.ConnectError:
                if time.monotonic() - started >= REFUSED_FOR:
                    raise
                time.sleep(RETRY_PAUSE)


def preflight(
    contract: Contract,
    base_url: str,
    user: str,
    password: str,
    credentials_variable: str = "AUTH",
    patience: float = FIRST_ANSWER,
    timeout: float = TIMEOUT,
    say: Callable[[str], None] = lambda line: print(line, flush=True),
) -> Preflight:
    """Raise SetupError, naming BASE_URL or the credentials' variable, when the server cannot
    be tested at all; otherwise say which operations did not answer within `timeout` once the
    server had answered (whatever it answered otherwise: wrong answers are for the checks)."""
    statuses: dict[str, int] = {}
    hung: dict[str, Request] = {}
    first_answer = 0.0
    requests = simplest_requests(contract)
    auth = httpx.BasicAuth(user, password)
    with httpx.Client(auth=auth, follow_redirects=False) as client:
        for request in requests:
            url = url_of(base_url, request)
            patient = not statuses and not hung  # nothing has answered yet, nothing hung
            started = time.monotonic()
            try:
                if patient:
                    response = first_get(client, url, patience, say)
                    first_answer = time.monotonic() - started
                else:
                    response = client.get(url, timeout=timeout)
            except httpx.TimeoutException:
                hung[request.operation.label] = request
                continue
            except httpx.HTTPError as exc:
                if statuses or hung:
                    hung[request.operation.label] = request
                    continue
                reason = str(exc) or type(exc).__name__
                raise SetupError(
                    f"BASE_URL: cannot reach {shown(url)}: {reason}; is the server running, "
                    "and is BASE_URL its address (scheme, host, port)?"
                ) from None
            statuses[request.operation.label] = response.status_code
    if not statuses and requests:
        raise SetupError(
            f"BASE_URL: {shown(url_of(base_url, requests[0]))} did not answer within "
            f"{patience:g} s; is the server running, and is BASE_URL its address?"
        )
    if statuses and all(status in REFUSED for status in statuses.values()):
        codes = "/".join(sorted({str(status) for status in statuses.values()}))
        raise SetupError(
            f"{credentials_variable}: the server refused the credentials of user {user!r} on "
            f"every operation ({codes}); set {credentials_variable} to the user:password "
            "this server accepts"
        )
    if statuses and all(status == 404 for status in statuses.values()):
        raise SetupError(not_found_message(base_url, contract.prefix))
    return Preflight(hung, first_answer, timeout)


def not_found_message(base_url: str, prefix: str) -> str:
    """Every operation answered 404: most likely BASE_URL lacks the API's path prefix."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    message = f"BASE_URL: every operation answered 404 under {shown(base_url)}"
    if prefix and not path.endswith(prefix):
        # Cut after the prefix, complete a part of it (/rest-api), or add it to another path.
        if prefix in path:
            fixed = path[: path.index(prefix) + len(prefix)]
        elif prefix.startswith(path + "/"):
            fixed = prefix
        else:
            fixed = path + prefix
        suggested = shown(urlunsplit((parts.scheme, parts.netloc, fixed, "", "")))
        return f"{message}; the spec's paths live under {prefix}: try BASE_URL={suggested}"
    return f"{message}; is BASE_URL the address of this API?"

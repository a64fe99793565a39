"""HTTP access to the server under test for the property checks, within a request budget and
a rate limit, with a bounded number of requests in flight. Requests that do not depend on each
other go out together (`send`) and their answers come back in the order they were asked for,
so a run sends, sees and reports the same things whatever the server's latency. An operation
that once fails to answer in time is not asked again: the checks that need it say why they
could not check, instead of each waiting for it."""

from __future__ import annotations

import base64
import shlex
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlencode

import httpx

from contract.conformance._findings import NotCheckedError
from contract.errors import BudgetExhaustedError

Params = Sequence[tuple[str, str]]
AUTH_VARIABLE: Final = "$AUTH"
# Requests the property checks may send in one run (`make conformance MAX_REQUESTS=`).
REQUEST_BUDGET: Final = 5000
# Requests in flight at once (`make conformance CONCURRENCY=`).
CONCURRENCY: Final = 8
TIMEOUT: Final = 10.0  # seconds an answer may take once the server has answered at all


class Authorized:
    """The right credentials, as the run was given them."""

    def __repr__(self) -> str:
        return "AUTHORIZED"


AUTHORIZED: Final = Authorized()


def basic(username: str, password: str, scheme: str = "Basic") -> str:
    """The Authorization value of HTTP Basic credentials (RFC 7617)."""
    return f"{scheme} " + base64.b64encode(f"{username}:{password}".encode()).decode()


@dataclass(frozen=True)
class Request:
    """One GET below the base URL. `authorization`: the right credentials, None for no
    header, or the header's value; `header_name` is the name it is sent under."""

    path: str
    params: tuple[tuple[str, str], ...] = ()
    authorization: str | Authorized | None = AUTHORIZED
    header_name: str = "Authorization"


class OperationTimeoutError(Exception):
    """An operation did not answer within the timeout: a finding about that operation."""

    def __init__(self, operation: str, request: Request, seconds: float) -> None:
        super().__init__(f"{operation} did not answer within {seconds:g} s")
        self.operation, self.request, self.seconds = operation, request, seconds


class OperationUnavailableError(NotCheckedError):
    """A request to an operation that did not answer before: not sent, the check that needed
    it is not checked."""


@dataclass
class Probe:
    base_url: str
    username: str
    password: str = field(repr=False)
    max_requests: int = REQUEST_BUDGET
    requests_per_second: float = 0.0
    timeout: float = TIMEOUT
    concurrency: int = CONCURRENCY
    # Each response, in the order the requests were asked for (the coverage map, relations).
    observe: Callable[[httpx.Response], None] | None = field(default=None, repr=False)
    # The operation a path below the base URL belongs to (default: the path itself).
    operation_of: Callable[[str], str] = field(default=lambda path: path, repr=False)
    sent: int = 0
    hung: dict[str, OperationTimeoutError] = field(default_factory=dict)  # operation -> why
    _client: httpx.Client = field(init=False, repr=False)
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _next_slot: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        limits = httpx.Limits(max_connections=max(self.concurrency, 1) * 2)
        self._client = httpx.Client(timeout=self.timeout, limits=limits)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        self._client.close()

    # -- sending ------------------------------------------------------------------------------

    def get(
        self,
        path: str,
        params: Params = (),
        *,
        authorization: str | Authorized | None = AUTHORIZED,
        header_name: str = "Authorization",
    ) -> httpx.Response:
        return self.send([Request(path, tuple(params), authorization, header_name)])[0]

    def send(self, requests: Sequence[Request]) -> list[httpx.Response]:
        """The answers to `requests`, in their order; at most `concurrency` in flight. The
        budget is taken for all of them first (BudgetExhaustedError: none is sent); a request
        to an operation that did not answer before is not sent (OperationUnavailableError);
        one that times out raises OperationTimeoutError once all have come back."""
        if not requests:
            return []
        for request in requests:
            hung = self.hung.get(self.operation_of(request.path))
            if hung is not None:
                raise OperationUnavailableError(f"{hung.operation} did not answer before")
        if self.sent + len(requests) > self.max_requests:
            raise BudgetExhaustedError(f"request budget of {self.max_requests} spent")
        self.sent += len(requests)
        if len(requests) == 1 or self.concurrency <= 1:
            outcomes = [self._outcome(request) for request in requests]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="probe")
            outcomes = list(self._pool.map(self._outcome, requests))
        answers = []
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
            answers.append(outcome)
        if self.observe is not None:
            for answer in answers:
                self.observe(answer)
        return answers

    def _outcome(self, request: Request) -> httpx.Response | BaseException:
        """The answer, or the error to raise for it: a request to an operation that has just
        stopped answering (another request of the batch timed out) is not sent."""
        operation = self.operation_of(request.path)
        hung = self.hung.get(operation)
        if hung is not None:
            return hung
        try:
            return self._send_one(request)
        except httpx.TimeoutException:
            with self._lock:
                return self.hung.setdefault(
                    operation, OperationTimeoutError(operation, request, self.timeout)
                )
        except httpx.HTTPError as exc:
            return exc

    def _send_one(self, request: Request) -> httpx.Response:
        self._wait_for_slot()
        headers = {}
        if isinstance(request.authorization, Authorized):
            headers[request.header_name] = basic(self.username, self.password)
        elif request.authorization is not None:
            headers[request.header_name] = request.authorization
        return self._client.get(self.url(request.path, request.params), headers=headers)

    def _wait_for_slot(self) -> None:
        """Keep to the rate limit across every thread: each request takes the next slot."""
        if self.requests_per_second <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1 / self.requests_per_second
        if slot > now:
            time.sleep(slot - now)

    # -- showing --------------------------------------------------------------------------------

    def url(self, path: str, params: Params = ()) -> str:
        query = urlencode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def curl(
        self, path: str, params: Params = (), authorization: str | None = AUTH_VARIABLE
    ) -> str:
        """A replayable command that prints the status line, headers and body. The server's
        credentials stay out of it: by default curl reads them from $AUTH (user:password, as
        `make conformance` takes them: `export AUTH` first)."""
        if authorization == AUTH_VARIABLE:
            header = f'-u "{AUTH_VARIABLE}" '
        elif authorization is not None:
            header = f"-H {shlex.quote('Authorization: ' + authorization)} "
        else:
            header = ""
        return f"curl -si {header}{shlex.quote(self.url(path, params))}"

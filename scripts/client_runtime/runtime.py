"""Runtime of the generated client: Basic auth, timeouts, a User-Agent, retries, typed
errors and offset pagination. Generated code calls it; it knows nothing of any one API.

Copied verbatim into the generated package by `make generate`; edit it in the contract
repository, never in the package."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

import httpx
from httpx_retries import Retry, RetryTransport

T = TypeVar("T")
Page = TypeVar("Page")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class ApiError(Exception):
    """Base of every error the client raises. Carries the request (never its credentials)
    and, for an HTTP error, the response, its status and its parsed body."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        error: Any = None,
    ) -> None:
        super().__init__(message)
        self.request = None if request is None else redacted(request)
        self.response = response
        self.error = error  # the parsed error body: the spec's error model, or raw JSON

    @property
    def status_code(self) -> int | None:
        return None if self.response is None else self.response.status_code


class ApiConnectionError(ApiError):
    """No HTTP answer: the connection failed or was reset, even after the retries."""


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer in time, even after the retries."""


class ApiStatusError(ApiError):
    """The server answered with an error status (4xx or 5xx)."""


class BadRequestError(ApiStatusError):
    """400: a parameter is invalid; `error` says which."""


class UnauthorizedError(ApiStatusError):
    """401: credentials are missing or wrong."""


class ForbiddenError(ApiStatusError):
    """403: the credentials may not do this."""


class NotFoundError(ApiStatusError):
    """404: no such resource."""


class ConflictError(ApiStatusError):
    """409: the request conflicts with the resource's state."""


class RateLimitedError(ApiStatusError):
    """429: too many requests, still after the retries."""


class ServerError(ApiStatusError):
    """5xx: the server failed, still after the retries."""


STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    HTTPStatus.BAD_REQUEST: BadRequestError,
    HTTPStatus.UNAUTHORIZED: UnauthorizedError,
    HTTPStatus.FORBIDDEN: ForbiddenError,
    HTTPStatus.NOT_FOUND: NotFoundError,
    HTTPStatus.CONFLICT: ConflictError,
    HTTPStatus.TOO_MANY_REQUESTS: RateLimitedError,
}


def error_class(status: int) -> type[ApiStatusError]:
    if status >= 500:
        return ServerError
    return STATUS_ERRORS.get(status, ApiStatusError)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often idempotent requests are retried: on connection errors, timeouts
    and the `statuses` below, with exponential backoff and full jitter, honouring
    `Retry-After` (seconds or HTTP date). `RetryPolicy.off()` disables retries."""

    attempts: int = 4  # the first try included
    backoff_factor: float = 0.5  # waits of up to 0.5 s, 1 s, 2 s, ... (full jitter)
    max_backoff: float = 8.0  # cap of one wait, Retry-After included
    max_total_wait: float = 30.0  # cap of all waits of one request together
    statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    respect_retry_after: bool = True

    @classmethod
    def off(cls) -> RetryPolicy:
        return cls(attempts=1)

    def retry(self) -> Retry:
        return Retry(
            total=max(self.attempts - 1, 0),
            backoff_factor=self.backoff_factor,
            max_backoff_wait=self.max_backoff,
            total_timeout=self.max_total_wait,
            status_forcelist=self.statuses,
            respect_retry_after_header=self.respect_retry_after,
        )


class _RedactedBasicAuth(httpx.BasicAuth):
    """httpx's Basic auth with a repr that shows no credentials."""

    def __repr__(self) -> str:
        return "BasicAuth(<redacted>)"


@dataclass(frozen=True)
class ClientSettings:
    """Everything the facade needs to build its httpx clients."""

    base_url: str
    username: str = dataclasses.field(repr=False)
    password: str = dataclasses.field(repr=False)
    user_agent: str
    timeout: httpx.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    retry: RetryPolicy = RetryPolicy()
    error_parser: Callable[[Any], Any] | None = dataclasses.field(default=None, repr=False)

    def httpx_client(self, transport: httpx.BaseTransport | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            auth=_RedactedBasicAuth(self.username, self.password),
            timeout=self.timeout,
            headers={"User-Agent": self.user_agent},
            transport=RetryTransport(transport or httpx.HTTPTransport(), retry=self.retry.retry()),
            event_hooks={"response": [self._raise_for_status]},
        )

    def async_httpx_client(
        self, transport: httpx.AsyncBaseTransport | None = None
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            auth=_RedactedBasicAuth(self.username, self.password),
            timeout=self.timeout,
            headers={"User-Agent": self.user_agent},
            transport=RetryTransport(
                transport=transport or httpx.AsyncHTTPTransport(), retry=self.retry.retry()
            ),
            event_hooks={"response": [self._araise_for_status]},
        )

    def _raise_for_status(self, response: httpx.Response) -> None:
        if response.is_error:
            response.read()
            raise self.status_error(response)

    async def _araise_for_status(self, response: httpx.Response) -> None:
        if response.is_error:
            await response.aread()
            raise self.status_error(response)

    def status_error(self, response: httpx.Response) -> ApiStatusError:
        error: Any = None
        try:
            error = response.json()
            if self.error_parser is not None:
                error = self.error_parser(error)
        except (ValueError, KeyError, TypeError):
            pass  # not the documented error body: keep what could be read
        detail = error.get("detail") if isinstance(error, dict) else getattr(error, "detail", None)
        message = f"{describe(response.request)} -> {response.status_code} {response.reason_phrase}"
        if detail:
            message += f": {detail}"
        return error_class(response.status_code)(
            message, request=response.request, response=response, error=error
        )


def redacted(request: httpx.Request) -> httpx.Request:
    """A copy of `request` whose Authorization header no longer holds the credentials."""
    headers = request.headers.copy()
    if "Authorization" in headers:
        headers["Authorization"] = "[redacted]"
    return httpx.Request(request.method, request.url, headers=headers)


def describe(request: httpx.Request) -> str:
    """Method and URL of a request, without credentials a URL might carry."""
    return f"{request.method} {request.url.copy_with(username=None, password=None)}"


def translate_transport_errors(call: Callable[[], T]) -> T:
    """Run `call`, turning httpx's transport errors into the client's own."""
    try:
        return call()
    except httpx.TimeoutException as exc:
        raise ApiTimeoutError(f"{describe(exc.request)}: timed out", request=exc.request) from exc
    except httpx.TransportError as exc:
        raise ApiConnectionError(f"{describe(exc.request)}: {exc}", request=exc.request) from exc


async def atranslate_transport_errors(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except httpx.TimeoutException as exc:
        raise ApiTimeoutError(f"{describe(exc.request)}: timed out", request=exc.request) from exc
    except httpx.TransportError as exc:
        raise ApiConnectionError(f"{describe(exc.request)}: {exc}", request=exc.request) from exc


class UnexpectedResponseError(ApiError):
    """A success status the spec does not document, or a body its model cannot read."""


def parsed(value: object, expected: type[T], status: int, content: bytes) -> T:
    """The success model of a response; anything else breaks the contract and is raised."""
    if isinstance(value, expected):
        return value
    body = content[:200].decode("utf-8", "replace")
    raise UnexpectedResponseError(f"expected {expected.__name__} with status {status}: {body!r}")


def iterate_pages(
    fetch: Callable[[int, int | None], Page],
    items: Callable[[Page], Sequence[T]],
    total: Callable[[Page], int],
    page_size: int | None,
) -> Iterator[T]:
    """Every item, fetched lazily one page at a time by offset, until a page is empty or the
    offset reaches the total of the latest page. The offset advances by the items received,
    so `page_size=None` (the server's default size, whatever it is) pages as well. Items added
    or removed while iterating can shift later pages: an item may then be skipped or seen
    twice."""
    offset = 0
    while True:
        page = fetch(offset, page_size)
        batch = items(page)
        yield from batch
        offset += len(batch)
        if not batch or offset >= total(page):
            return


async def aiterate_pages(
    fetch: Callable[[int, int | None], Awaitable[Page]],
    items: Callable[[Page], Sequence[T]],
    total: Callable[[Page], int],
    page_size: int | None,
) -> AsyncIterator[T]:
    """The async twin of iterate_pages()."""
    offset = 0
    while True:
        page = await fetch(offset, page_size)
        batch = items(page)
        for item in batch:
            yield item
        offset += len(batch)
        if not batch or offset >= total(page):
            return


__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestError",
    "ClientSettings",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "aiterate_pages",
    "iterate_pages",
]

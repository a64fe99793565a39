"""Runtime of the generated client: Basic auth, timeouts, a User-Agent, retries, typed
errors and offset pagination. Generated code calls it; it knows nothing of any one API.

Copied verbatim into the generated package by `make generate`; edit it in the contract
repository, never in the package."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import enum
import ipaddress
import os
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Generic, TypeVar

import httpx
from httpx_retries import Retry, RetryTransport

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
Body = TypeVar("Body")
Item = TypeVar("Item")

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
        self.response = None if response is None else redacted_response(response)
        self.error = error  # the parsed error body: the spec's error model, or raw JSON

    @property
    def status_code(self) -> int | None:
        return None if self.response is None else self.response.status_code


class ApiConnectionError(ApiError):
    """No HTTP answer: the connection failed or was reset, even after the retries."""


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer in time, even after the retries."""


class InvalidParameterError(ApiError, ValueError):
    """A value the client refuses before it sends anything: the message names the parameter,
    the value and the values allowed. A ValueError too, for code that catches those."""


def setting(value: str | None, name: str, variable: str) -> str:
    """`value` where the caller passed one, else the environment variable `variable`;
    InvalidParameterError naming both where neither is set (a message never holds a value)."""
    if value is not None:
        return value
    found = os.environ.get(variable)
    if found:
        return found
    raise InvalidParameterError(
        f"no {name}: pass {name}= or set the environment variable {variable}"
    )


def enum_argument(kind: type[E], value: Any, parameter: str) -> E:
    """`value` (a member of the enum `kind`, or its value as the docs spell it) as a member;
    InvalidParameterError for any other."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise InvalidParameterError(
            f"{parameter}={value!r} is none of the values it takes: {allowed}"
        ) from None


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


class InsecureTransportWarning(UserWarning):
    """Basic credentials are about to be sent in clear text: an `http://` base URL whose host
    is not a loopback address. Pass `allow_insecure_http=True` to accept that."""


LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: 127.0.0.0/8, ::1 or localhost."""
    if host.lower().rstrip(".") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_if_insecure(url: httpx.URL, *, allowed: bool, stacklevel: int = 2) -> None:
    """Warn (InsecureTransportWarning) unless `url` is https, loopback, or `allowed`."""
    if allowed or url.scheme != "http" or is_loopback(url.host):
        return
    warnings.warn(
        f"HTTP Basic credentials would be sent unencrypted to {url.scheme}://{url.netloc.decode()};"
        " use https, or pass allow_insecure_http=True",
        InsecureTransportWarning,
        stacklevel=stacklevel + 1,
    )


class _RedactedBasicAuth(httpx.BasicAuth):
    """httpx's Basic auth with a repr that shows no credentials."""

    def __repr__(self) -> str:
        return "BasicAuth(<redacted>)"


class _UnboundClient(httpx.Client):
    """An httpx.Client whose read responses let go of their stream. httpx binds a response's
    stream to the response, a reference cycle only the cyclic garbage collector frees, so a
    loop over many pages would keep the bodies of dozens of them alive until it runs. A read
    response keeps its body in `content` and needs no stream."""

    def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        response = super().send(request, stream=stream, **kwargs)
        if not stream:
            response.stream = httpx.ByteStream(response.content)
        return response


class _UnboundAsyncClient(httpx.AsyncClient):
    """The asyncio twin of _UnboundClient."""

    async def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        response = await super().send(request, stream=stream, **kwargs)
        if not stream:
            response.stream = httpx.ByteStream(response.content)
        return response


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
    allow_insecure_http: bool = False

    def __post_init__(self) -> None:
        url = httpx.URL(self.base_url)
        if url.userinfo:
            raise ValueError(
                "base_url carries credentials: pass them as username and password instead"
            )

    def check_transport(self, *, stacklevel: int = 2) -> None:
        """Warn if the credentials would travel unencrypted to another machine."""
        if self.username or self.password:
            warn_if_insecure(
                httpx.URL(self.base_url),
                allowed=self.allow_insecure_http,
                stacklevel=stacklevel + 1,
            )

    def httpx_client(self, transport: httpx.BaseTransport | None = None) -> httpx.Client:
        return _UnboundClient(
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
        return _UnboundAsyncClient(
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


CREDENTIAL_HEADERS = ("Authorization", "Proxy-Authorization")


def redacted(request: httpx.Request) -> httpx.Request:
    """A copy of `request` whose Authorization header (and URL) no longer hold credentials."""
    headers = request.headers.copy()
    for name in CREDENTIAL_HEADERS:
        if name in headers:
            headers[name] = "[redacted]"
    url = request.url
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    return httpx.Request(request.method, url, headers=headers)


def redacted_response(response: httpx.Response) -> httpx.Response:
    """A copy of `response` (status, headers, and the body if it was read) bound to the
    redacted copy of its request; it keeps no link to the original request, its stream or
    its connection."""
    clean = copy.copy(response)  # httpx's pickling state: no stream, no extensions
    clean.extensions = {
        name: response.extensions[name]
        for name in ("http_version", "reason_phrase")
        if name in response.extensions
    }
    clean.history = [redacted_response(earlier) for earlier in response.history]
    if response.next_request is not None:
        clean.next_request = redacted(response.next_request)
    with contextlib.suppress(RuntimeError):  # a response built without a request has none
        clean.request = redacted(response.request)
    return clean


def scrub(error: BaseException) -> None:
    """Redact in place every httpx request and response held by `error` and by every exception
    along its `__cause__`/`__context__` chain (and inside exception groups). The client's own
    errors are redacted when created and are only walked through."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if not isinstance(current, ApiError):
            for name, value in list(vars(current).items()):
                if isinstance(value, httpx.Request):
                    vars(current)[name] = redacted(value)
                elif isinstance(value, httpx.Response):
                    vars(current)[name] = redacted_response(value)
        pending.extend(
            linked for linked in (current.__cause__, current.__context__) if linked is not None
        )
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)


def describe(request: httpx.Request) -> str:
    """Method and URL of a request, without credentials a URL might carry."""
    return f"{request.method} {request.url.copy_with(username=None, password=None)}"


def translated(error: BaseException) -> BaseException:
    """The exception to raise for `error` escaping a call: a transport error becomes the
    client's own; whatever is raised holds no credentials, nor does anything it links to."""
    scrub(error)
    if isinstance(error, httpx.TimeoutException):
        result: BaseException = ApiTimeoutError(
            f"{describe(error.request)}: timed out", request=error.request
        )
    elif isinstance(error, httpx.TransportError):
        result = ApiConnectionError(f"{describe(error.request)}: {error}", request=error.request)
    else:
        return error
    return result


def translate_transport_errors(call: Callable[[], T]) -> T:
    """Run `call`, turning httpx's transport errors into the client's own."""
    try:
        return call()
    except BaseException as exc:  # re-raised below, scrubbed of credentials
        error = translated(exc)
        if error is exc:
            raise
        raise error from exc


async def atranslate_transport_errors(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except BaseException as exc:  # re-raised below, scrubbed of credentials
        error = translated(exc)
        if error is exc:
            raise
        raise error from exc


class UnexpectedResponseError(ApiError):
    """A success status the spec does not document, or a body its model cannot read."""


def parsed(value: object, expected: type[T], status: int, content: bytes) -> T:
    """The success model of a response; anything else breaks the contract and is raised."""
    if isinstance(value, expected):
        return value
    body = content[:200].decode("utf-8", "replace")
    raise UnexpectedResponseError(f"expected {expected.__name__} with status {status}: {body!r}")


class Page(Generic[Body, Item]):
    """One page of a paged list, which is also iterable over every matching item from this
    page on: later pages are fetched lazily, with the same query, as each loop reaches them.

    `body` is the page's parsed response, `items` its items, `total` the number of matches the
    server reported and `offset` how many matches the page skips. The next page starts after
    the items received, so a server that caps the page size pages as well. Items added or
    removed while iterating shift later pages: an item may then be skipped or seen twice.
    """

    def __init__(
        self,
        body: Body,
        offset: int,
        fetch: Callable[[int], Page[Body, Item]],
        items: Callable[[Body], Sequence[Item]],
        total: Callable[[Body], int],
    ) -> None:
        self.body = body
        self.offset = offset
        self.items: Sequence[Item] = items(body)
        self.total: int = total(body)
        self._fetch = fetch

    def has_next_page(self) -> bool:
        return bool(self.items) and self.offset + len(self.items) < self.total

    def next_page(self) -> Page[Body, Item]:
        """The page after this one; a RuntimeError on the last page (see has_next_page())."""
        if not self.has_next_page():
            raise RuntimeError("this is the last page: check has_next_page() before next_page()")
        return self._fetch(self.offset + len(self.items))

    def iter_pages(self) -> Iterator[Page[Body, Item]]:
        """This page, then each later one, fetched as the loop reaches it."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[Item]:
        return _every_item(self)

    def __repr__(self) -> str:
        name, count = type(self).__name__, len(self.items)
        return f"{name}(offset={self.offset}, items={count}, total={self.total})"


class AsyncPage(Generic[Body, Item]):
    """The asyncio twin of Page: `async for` over every matching item from this page on, and
    an awaitable next_page()."""

    def __init__(
        self,
        body: Body,
        offset: int,
        fetch: Callable[[int], Awaitable[AsyncPage[Body, Item]]],
        items: Callable[[Body], Sequence[Item]],
        total: Callable[[Body], int],
    ) -> None:
        self.body = body
        self.offset = offset
        self.items: Sequence[Item] = items(body)
        self.total: int = total(body)
        self._fetch = fetch

    def has_next_page(self) -> bool:
        return bool(self.items) and self.offset + len(self.items) < self.total

    async def next_page(self) -> AsyncPage[Body, Item]:
        """The page after this one; a RuntimeError on the last page (see has_next_page())."""
        if not self.has_next_page():
            raise RuntimeError("this is the last page: check has_next_page() before next_page()")
        return await self._fetch(self.offset + len(self.items))

    async def iter_pages(self) -> AsyncIterator[AsyncPage[Body, Item]]:
        """This page, then each later one, fetched as the loop reaches it."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    def __aiter__(self) -> AsyncIterator[Item]:
        return _aevery_item(self)

    def __repr__(self) -> str:
        name, count = type(self).__name__, len(self.items)
        return f"{name}(offset={self.offset}, items={count}, total={self.total})"


class AsyncPager(Generic[Body, Item]):
    """What an asyncio list call returns before any request: `await` it for its first page,
    or `async for` over every matching item, as the SDKs generated by Stainless do."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[Body, Item]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[Body, Item]]:
        return self._first().__await__()

    async def _every_item(self) -> AsyncIterator[Item]:
        async for item in _aevery_item(await self._first()):
            yield item

    def __aiter__(self) -> AsyncIterator[Item]:
        return self._every_item()


def _every_item(page: Page[Body, Item]) -> Iterator[Item]:
    """Every item from `page` on, holding one page at a time: a page is let go before the
    next is fetched, so a loop over every match needs the memory of about one page."""
    while True:
        yield from page.items
        if not page.has_next_page():
            return
        offset, fetch = page.offset + len(page.items), page._fetch
        del page
        page = fetch(offset)


async def _aevery_item(page: AsyncPage[Body, Item]) -> AsyncIterator[Item]:
    """The asyncio twin of _every_item."""
    while True:
        for item in page.items:
            yield item
        if not page.has_next_page():
            return
        offset, fetch = page.offset + len(page.items), page._fetch
        del page
        page = await fetch(offset)


__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AsyncPage",
    "AsyncPager",
    "BadRequestError",
    "ClientSettings",
    "ConflictError",
    "ForbiddenError",
    "InsecureTransportWarning",
    "InvalidParameterError",
    "NotFoundError",
    "Page",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "enum_argument",
    "setting",
]

# What the package exports shows under the package, where users import it from, not under
# this private module: `customer_interface_client.NotFoundError` in every traceback and log
# line, and pickle finds it there. (ClientSettings and the functions serve generated code.)
_PACKAGE = __name__.rpartition(".")[0]
for _name in __all__:
    _exported = globals()[_name]
    if isinstance(_exported, type) and _exported is not ClientSettings:
        _exported.__module__ = _PACKAGE

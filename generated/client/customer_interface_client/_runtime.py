"""Runtime of the generated client: Basic auth, timeouts, a User-Agent, retries, per-call
options, typed errors, responses validated by the package's Pydantic models, raw responses,
a debug log and offset pagination. Generated code calls it; it knows nothing of any one API.

Copied verbatim into the generated package by `make generate`; edit it in the contract
repository, never in the package."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import enum
import ipaddress
import logging
import os
import re
import time
import warnings
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Generic, TypeVar

import httpx
import pydantic
from httpx_retries import Retry

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
M = TypeVar("M", bound=pydantic.BaseModel)
Body = TypeVar("Body")
Item = TypeVar("Item")

# The package this module is copied into: where its classes show, and its logger's name.
_PACKAGE = __name__.rpartition(".")[0]
LOGGER = logging.getLogger(_PACKAGE)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
HTTPX_DEFAULT_TIMEOUT = httpx.Timeout(5.0)  # what an httpx client has unless told otherwise


def inherited_timeout(http_client: httpx.Client | httpx.AsyncClient | None) -> httpx.Timeout:
    """The timeout of calls that set none: the caller's httpx client's own, unless it is
    httpx's default (which the caller did not choose), else DEFAULT_TIMEOUT."""
    if http_client is None or http_client.timeout == HTTPX_DEFAULT_TIMEOUT:
        return DEFAULT_TIMEOUT
    return http_client.timeout


class ApiModel(pydantic.BaseModel):
    """Base of the package's models (`models.py`, which datamodel-code-generator writes).
    pydantic-core keeps every string of the JSON it reads in a cache of up to 16,384; of a
    page's strings only the member names repeat, so caching the values too would grow a loop
    over many pages by about a megabyte, and costs more time than it saves."""

    model_config = pydantic.ConfigDict(cache_strings="keys")


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


class NotGiven:
    """The default of an option the caller did not pass, where None means something (a
    `timeout=None` waits for ever)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Timeout = float | httpx.Timeout | None


@dataclass(frozen=True)
class RequestOptions:
    """What one call may change of the client's settings: its timeout, how often it is
    retried, and headers and query parameters sent beside those of the API (they win)."""

    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, Any] | None = None


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

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be 1 or more (the first try), not {self.attempts}")
        self.retry()  # httpx-retries' own checks (a positive max_backoff, ...), now, not per call

    @classmethod
    def off(cls) -> RetryPolicy:
        return cls(attempts=1)

    def retry(self, max_retries: int | NotGiven = NOT_GIVEN) -> Retry:
        """httpx-retries' state of one request; `max_retries` (retries after the first
        try) overrides `attempts` for one call."""
        retries = self.attempts - 1 if isinstance(max_retries, NotGiven) else max_retries
        return Retry(
            total=max(retries, 0),
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


@dataclass(frozen=True)
class ClientSettings:
    """Everything a facade's connection needs besides the httpx client it sends with."""

    base_url: str
    username: str = dataclasses.field(repr=False)
    password: str = dataclasses.field(repr=False)
    user_agent: str
    timeout: Timeout | NotGiven = NOT_GIVEN
    retry: RetryPolicy = RetryPolicy()
    error_parser: Callable[[bytes], Any] | None = dataclasses.field(default=None, repr=False)
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

    def status_error(self, response: httpx.Response) -> ApiStatusError:
        error: Any = None
        try:
            parser = self.error_parser
            error = response.json() if parser is None else parser(response.content)
        except ValueError:  # not the documented error body (pydantic's errors are ValueErrors)
            with contextlib.suppress(ValueError):
                error = response.json()
        detail = error.get("detail") if isinstance(error, dict) else getattr(error, "detail", None)
        message = f"{describe(response.request)} -> {response.status_code} {response.reason_phrase}"
        if detail:
            message += f": {detail}"
        return error_class(response.status_code)(
            message, request=response.request, response=response, error=error
        )


class _Sender:
    """What the sync and async connections share: the request a call sends, when to retry,
    and what the debug log says (never a credential)."""

    def __init__(self, settings: ClientSettings, default_timeout: Timeout) -> None:
        self.settings = settings
        self._auth = _RedactedBasicAuth(settings.username, settings.password)
        self._base_url = settings.base_url.rstrip("/")
        given = settings.timeout
        self._timeout = default_timeout if isinstance(given, NotGiven) else given

    def build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        call: Mapping[str, Any],
        options: RequestOptions,
    ) -> httpx.Request:
        """The request of `call` (a generated operation's _get_kwargs()) with `options`."""
        arguments = dict(call)
        method, path = arguments.pop("method"), arguments.pop("url")
        if options.extra_query:
            arguments["params"] = {**arguments.get("params", {}), **options.extra_query}
        headers = httpx.Headers({"User-Agent": self.settings.user_agent})
        headers.update(arguments.get("headers", {}))  # a name in any case replaces the one before
        headers.update(options.extra_headers or {})
        arguments["headers"] = headers
        timeout = self._timeout if isinstance(options.timeout, NotGiven) else options.timeout
        return client.build_request(method, self._base_url + path, timeout=timeout, **arguments)

    def retry(self, options: RequestOptions) -> Retry:
        return self.settings.retry.retry(options.max_retries)

    def retries(
        self, request: httpx.Request, retry: Retry, outcome: httpx.Response | Exception
    ) -> bool:
        """Whether `outcome` of a try of `request` is to be retried (and logged as such)."""
        if retry.is_exhausted() or not retry.is_retryable_method(request.method):
            return False
        if isinstance(outcome, httpx.Response):
            # The policy's own set: httpx-retries would read an empty one as its defaults.
            if outcome.status_code not in self.settings.retry.statuses:
                return False
            why = f"{outcome.status_code} {outcome.reason_phrase}"
        elif retry.is_retryable_exception(outcome):
            why = type(outcome).__name__
        else:
            return False
        LOGGER.info(
            "retrying %s after %s (retry %d of %d)",
            describe(request), why, retry.attempts_made + 1, retry.total,
        )  # fmt: skip
        return True

    def finish(self, response: httpx.Response, started: float, retry: Retry) -> httpx.Response:
        """Log the final response; raise its status error. The body is kept as bytes and the
        stream let go: httpx binds a stream to its response in a cycle only the cyclic garbage
        collector frees, which would keep dozens of page bodies alive in a long loop."""
        response.stream = httpx.ByteStream(response.content)
        if LOGGER.isEnabledFor(logging.INFO):
            LOGGER.info(
                "%s -> %d %s (%.1f ms, %d retries)",
                describe(response.request), response.status_code, response.reason_phrase,
                (time.perf_counter() - started) * 1e3, retry.attempts_made,
            )  # fmt: skip
            LOGGER.debug("request headers: %s", shown_headers(response.request.headers))
            LOGGER.debug("response headers: %s", shown_headers(response.headers))
        if response.is_error:
            raise self.settings.status_error(response)
        return response


class Connection(_Sender):
    """Sends a facade's calls with an httpx.Client: the caller's `http_client` (proxies,
    mounts, a mock transport), left open for its owner, or one of its own."""

    def __init__(
        self,
        settings: ClientSettings,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise InvalidParameterError("pass http_client or transport, not both")
        self._owned = http_client is None
        self.http_client = http_client or httpx.Client(transport=transport)
        super().__init__(settings, inherited_timeout(http_client))

    def send(self, call: Mapping[str, Any], options: RequestOptions) -> tuple[httpx.Response, int]:
        """The response to `call`, after the retries it earned, with how many there were."""
        started = time.perf_counter()
        try:
            request, retry = self.build(self.http_client, call, options), self.retry(options)
            while True:
                try:
                    response = self.http_client.send(request, auth=self._auth)
                except httpx.TransportError as exc:
                    if not self.retries(request, retry, exc):
                        raise
                    retry = retry.increment()
                    retry.sleep(exc)
                    continue
                if not self.retries(request, retry, response):
                    return self.finish(response, started, retry), retry.attempts_made
                response.close()
                retry = retry.increment()
                retry.sleep(response)
        except BaseException as exc:  # re-raised below, scrubbed of credentials
            error = translated(exc)
            if error is exc:
                raise
            raise error from exc

    def close(self) -> None:
        if self._owned:
            self.http_client.close()


class AsyncConnection(_Sender):
    """The asyncio twin of Connection."""

    def __init__(
        self,
        settings: ClientSettings,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise InvalidParameterError("pass http_client or transport, not both")
        self._owned = http_client is None
        self.http_client = http_client or httpx.AsyncClient(transport=transport)
        super().__init__(settings, inherited_timeout(http_client))

    async def send(
        self, call: Mapping[str, Any], options: RequestOptions
    ) -> tuple[httpx.Response, int]:
        started = time.perf_counter()
        try:
            request, retry = self.build(self.http_client, call, options), self.retry(options)
            while True:
                try:
                    response = await self.http_client.send(request, auth=self._auth)
                except httpx.TransportError as exc:
                    if not self.retries(request, retry, exc):
                        raise
                    retry = retry.increment()
                    await retry.asleep(exc)
                    continue
                if not self.retries(request, retry, response):
                    return self.finish(response, started, retry), retry.attempts_made
                await response.aclose()
                retry = retry.increment()
                await retry.asleep(response)
        except BaseException as exc:  # re-raised below, scrubbed of credentials
            error = translated(exc)
            if error is exc:
                raise
            raise error from exc

    async def aclose(self) -> None:
        if self._owned:
            await self.http_client.aclose()


LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def configure_logging(variable: str) -> None:
    """Log the client's requests to stderr at the level the environment variable `variable`
    names (`debug`: headers too, credentials redacted; `info`: one line a request), unless
    the client's logger is set up already. Python's logging configuration works as well."""
    wanted = os.environ.get(variable, "").strip().lower()
    if not wanted or LOGGER.handlers:
        return
    if wanted not in LOG_LEVELS:
        warnings.warn(
            f"{variable}={wanted!r} is none of {', '.join(LOG_LEVELS)}: the client logs nothing",
            stacklevel=3,
        )
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(LOG_LEVELS[wanted])
    LOGGER.propagate = False  # an application's own handlers would print each line again


# Headers that carry a credential: Authorization and Proxy-Authorization, cookies, and what an
# extra_headers= may carry a key in. Errors and the debug log show them as `[redacted]`.
SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|api-?key|password", re.IGNORECASE)


def shown_headers(headers: httpx.Headers) -> dict[str, str]:
    """`headers` as the debug log shows them: each secret one as `[redacted]`."""
    return {
        name: "[redacted]" if SECRET_HEADER.search(name) else value
        for name, value in headers.items()
    }


def redacted(request: httpx.Request) -> httpx.Request:
    """A copy of `request` whose secret headers (SECRET_HEADER) and URL hold no credentials."""
    headers = request.headers.copy()
    for name in {name for name in headers if SECRET_HEADER.search(name)}:
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


class UnexpectedResponseError(ApiError):
    """A success status the spec does not document, or a body that breaks the spec: the
    message names each member that does, and `errors` lists them as Pydantic reports them
    (`loc`, `msg`, `type`)."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(message, request=request, response=response)
        self.errors = list(errors)


SHOWN_PROBLEMS = 3  # members named in the message of a body that breaks the spec


def location(loc: Sequence[int | str]) -> str:
    """A member's place in a body as code would reach it: `data.event_groups[2].state`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the body"


def _head(response: httpx.Response) -> str:
    return f"{describe(response.request)} -> {response.status_code} {response.reason_phrase}"


def parse(model: type[M], response: httpx.Response, statuses: frozenset[int]) -> M:
    """The body of a success response as `model`, validated by pydantic-core from its bytes;
    UnexpectedResponseError for a status outside `statuses` or a body the model refuses."""
    if response.status_code not in statuses:
        expected = ", ".join(map(str, sorted(statuses)))
        raise UnexpectedResponseError(
            f"{_head(response)}: the spec documents {expected} for success,"
            f" not {response.status_code}",
            request=response.request,
            response=response,
        )
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        problems = exc.errors(include_url=False, include_context=False, include_input=False)
        shown = "; ".join(
            f"{location(problem['loc'])}: {problem['msg']}" for problem in problems[:SHOWN_PROBLEMS]
        )
        more = len(problems) - SHOWN_PROBLEMS
        raise UnexpectedResponseError(
            f"{_head(response)}: the body breaks the spec's {model.__name__}: {shown}"
            + (f" (and {more} more)" if more > 0 else ""),
            request=response.request,
            response=response,
            errors=problems,
        ) from None


class RawResponse(Generic[T]):
    """A call's HTTP response beside what it parses to: `status_code`, `headers` and
    `retries_taken` at once, `parse()` for the model (or page) the plain call returns.
    `http_response` is the httpx response with the credentials of its request redacted."""

    def __init__(self, response: httpx.Response, parser: Callable[[], T], retries: int) -> None:
        self._response = response
        self._parser = parser
        self._parsed: list[T] = []
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers
        self.retries_taken = retries

    @property
    def http_response(self) -> httpx.Response:
        return redacted_response(self._response)

    def parse(self) -> T:
        """The parsed body, validated once, however often this is called."""
        if not self._parsed:
            self._parsed.append(self._parser())
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {describe(self._response.request)}>"


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


# What the package exports, shown under the package, where users import it from, not under
# this private module: `customer_interface_client.NotFoundError` in every traceback and log
# line, and pickle finds it there. The rest (ClientSettings, Connection, parse, ...) serves
# the generated code.
__all__ = [
    "NOT_GIVEN",
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AsyncPage",
    "AsyncPager",
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "InsecureTransportWarning",
    "InvalidParameterError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "RateLimitedError",
    "RawResponse",
    "RetryPolicy",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedResponseError",
]

for _name in __all__:
    _exported = globals()[_name]
    if isinstance(_exported, type):
        _exported.__module__ = _PACKAGE

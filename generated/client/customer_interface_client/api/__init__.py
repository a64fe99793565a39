"""High-level access to every operation: Basic auth, timeouts, retries, per-call options,
typed errors, Pydantic models, raw responses and pages that iterate every match of a list.
Generated from the spec; do not edit."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Literal

import httpx

from .. import _runtime
from .._runtime import NOT_GIVEN, ClientSettings, NotGiven, RetryPolicy
from ..models import (
    Error,
    EventGroup,
    EventGroupListResponse,
    EventGroupResponse,
    EventGroupSortField,
    SortDirection,
)
from ..types import UNSET, Unset
from .event_groups import get_event_group, list_event_groups

# Where the client finds what its caller does not pass: the package's name, upper case.
ENVIRONMENT = {
    "base_url": "CUSTOMER_INTERFACE_BASE_URL",
    "username": "CUSTOMER_INTERFACE_USERNAME",
    "password": "CUSTOMER_INTERFACE_PASSWORD",
    "log": "CUSTOMER_INTERFACE_LOG",
}

# The client's version, then the version of the API it was generated for: they move apart.
USER_AGENT = f"customer-interface-client/3.0.0 (API 1.0.1; python-httpx/{httpx.__version__})"


class EventGroupsApi:
    """The operations tagged `event_groups`. Each takes the per-call options
    `timeout`, `max_retries`, `extra_headers` and `extra_query`; `with_raw_response` has each
    return the HTTP response (status, headers) beside what it parses to."""

    def __init__(self, connection: _runtime.Connection) -> None:
        self.with_raw_response = EventGroupsApiWithRawResponse(connection)

    def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.Page[EventGroupListResponse, EventGroup]:
        """List event groups: `GET /event-groups`.

        Returns the page that skips `offset` matches and holds `count` at most. Iterate
        it (`for`) for every match from there on: later pages are fetched as the loop
        reaches them, with the same options. Raises an `ApiError` subclass for an error status,
        a failed connection or a body that breaks the spec.
        """
        return self.with_raw_response.list(
            count=count,
            offset=offset,
            sort_field=sort_field,
            sort_direction=sort_direction,
            name=name,
            text_id=text_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        ).parse()

    def retrieve(
        self,
        event_group_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> EventGroup:
        """Get an event group: `GET /event-groups/{event_group_id}`, the item itself.

        Raises `NotFoundError` when there is none, and an `ApiError` subclass for any other
        error status, a failed connection or a body that breaks the spec.
        """
        _raw = self.with_raw_response.retrieve(
            event_group_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return _raw.parse()


class EventGroupsApiWithRawResponse:
    """The operations tagged `event_groups`, each returning a `RawResponse`: status,
    headers and retries taken at once, `parse()` for what the plain call returns."""

    def __init__(self, connection: _runtime.Connection) -> None:
        self._connection = connection

    def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.RawResponse[_runtime.Page[EventGroupListResponse, EventGroup]]:
        """The first page's response; later pages come from its parsed page."""
        _options = _runtime.RequestOptions(timeout, max_retries, extra_headers, extra_query)

        def _fetch(_position: int) -> _runtime.RawResponse[_runtime.Page[EventGroupListResponse, EventGroup]]:
            _response, _retries = self._connection.send(
                list_event_groups._get_kwargs(
                    count=count,
                    offset=_position,
                    sort_field=UNSET
                    if isinstance(sort_field, Unset)
                    else _runtime.enum_argument(EventGroupSortField, sort_field, "sort_field"),
                    sort_direction=UNSET
                    if isinstance(sort_direction, Unset)
                    else _runtime.enum_argument(SortDirection, sort_direction, "sort_direction"),
                    name=name,
                    text_id=text_id,
                ),
                _options,
            )

            def _page() -> _runtime.Page[EventGroupListResponse, EventGroup]:
                body = _runtime.parse(EventGroupListResponse, _response, frozenset({200}))
                return _runtime.Page(
                    body,
                    _position,
                    _following,
                    lambda body: body.data.event_groups,
                    lambda body: body.data.total_items,
                )

            return _runtime.RawResponse(_response, _page, _retries)

        def _following(_position: int) -> _runtime.Page[EventGroupListResponse, EventGroup]:
            return (_fetch(_position)).parse()

        return _fetch(0 if isinstance(offset, Unset) else offset)

    def retrieve(
        self,
        event_group_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.RawResponse[EventGroup]:
        _options = _runtime.RequestOptions(timeout, max_retries, extra_headers, extra_query)
        _response, _retries = self._connection.send(
            get_event_group._get_kwargs(
                event_group_id=event_group_id,
            ),
            _options,
        )

        def _parsed() -> EventGroup:
            body = _runtime.parse(EventGroupResponse, _response, frozenset({200}))
            return body.data

        return _runtime.RawResponse(_response, _parsed, _retries)


class CustomerInterface:
    """Client of Customer Interface API - Event Groups.

    `base_url` includes the API's path prefix. `base_url`, `username` and `password` not
    passed are read from the environment (ENVIRONMENT names the variables), and the variable
    ENVIRONMENT["log"] set to `debug` or `info` logs each request to stderr. Credentials are
    sent with HTTP Basic auth and appear in no repr, log line or error message; an `http://`
    base URL that is not a loopback address warns with `InsecureTransportWarning` unless
    `allow_insecure_http=True`. Idempotent requests are retried as `retry` says
    (`RetryPolicy.off()` disables retries). `http_client` is an httpx.Client of yours
    (proxies, mounts, a mock transport) to send with: its timeout is the default, and closing
    it stays yours.
    """

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy = RetryPolicy(),
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        _runtime.configure_logging(ENVIRONMENT["log"])
        base_url = _runtime.setting(base_url, "base_url", ENVIRONMENT["base_url"])
        username = _runtime.setting(username, "username", ENVIRONMENT["username"])
        password = _runtime.setting(password, "password", ENVIRONMENT["password"])
        settings = ClientSettings(
            base_url=base_url,
            username=username,
            password=password,
            user_agent=USER_AGENT,
            timeout=timeout,
            retry=retry,
            error_parser=Error.model_validate_json,
            allow_insecure_http=allow_insecure_http,
        )
        settings.check_transport(stacklevel=2)
        self.base_url = base_url
        self._connection = _runtime.Connection(settings, http_client, transport)
        self.event_groups = EventGroupsApi(self._connection)

    def __repr__(self) -> str:
        return f"CustomerInterface(base_url={self.base_url!r})"

    def close(self) -> None:
        """Close the connections, unless the httpx client is the caller's."""
        self._connection.close()

    def __enter__(self) -> CustomerInterface:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncEventGroupsApi:
    """The operations tagged `event_groups`, awaitable. Each takes the per-call options
    `timeout`, `max_retries`, `extra_headers` and `extra_query`; `with_raw_response` has each
    return the HTTP response (status, headers) beside what it parses to."""

    def __init__(self, connection: _runtime.AsyncConnection) -> None:
        self.with_raw_response = AsyncEventGroupsApiWithRawResponse(connection)

    def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.AsyncPager[EventGroupListResponse, EventGroup]:
        """List event groups: `GET /event-groups`.

        Awaited, returns the page that skips `offset` matches and holds `count` at most. Iterate
        it (`async for`) for every match from there on: later pages are fetched as the loop
        reaches them, with the same options. Raises an `ApiError` subclass for an error status,
        a failed connection or a body that breaks the spec.
        """

        async def _first() -> _runtime.AsyncPage[EventGroupListResponse, EventGroup]:
            _raw = await self.with_raw_response.list(
                count=count,
                offset=offset,
                sort_field=sort_field,
                sort_direction=sort_direction,
                name=name,
                text_id=text_id,
                timeout=timeout,
                max_retries=max_retries,
                extra_headers=extra_headers,
                extra_query=extra_query,
            )
            return _raw.parse()

        return _runtime.AsyncPager(_first)

    async def retrieve(
        self,
        event_group_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> EventGroup:
        """Get an event group: `GET /event-groups/{event_group_id}`, the item itself.

        Raises `NotFoundError` when there is none, and an `ApiError` subclass for any other
        error status, a failed connection or a body that breaks the spec.
        """
        _raw = await self.with_raw_response.retrieve(
            event_group_id,
            timeout=timeout,
            max_retries=max_retries,
            extra_headers=extra_headers,
            extra_query=extra_query,
        )
        return _raw.parse()


class AsyncEventGroupsApiWithRawResponse:
    """The operations tagged `event_groups`, awaitable, each returning a `RawResponse`: status,
    headers and retries taken at once, `parse()` for what the plain call returns."""

    def __init__(self, connection: _runtime.AsyncConnection) -> None:
        self._connection = connection

    async def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.RawResponse[_runtime.AsyncPage[EventGroupListResponse, EventGroup]]:
        """The first page's response; later pages come from its parsed page."""
        _options = _runtime.RequestOptions(timeout, max_retries, extra_headers, extra_query)

        async def _fetch(
            _position: int,
        ) -> _runtime.RawResponse[_runtime.AsyncPage[EventGroupListResponse, EventGroup]]:
            _response, _retries = await self._connection.send(
                list_event_groups._get_kwargs(
                    count=count,
                    offset=_position,
                    sort_field=UNSET
                    if isinstance(sort_field, Unset)
                    else _runtime.enum_argument(EventGroupSortField, sort_field, "sort_field"),
                    sort_direction=UNSET
                    if isinstance(sort_direction, Unset)
                    else _runtime.enum_argument(SortDirection, sort_direction, "sort_direction"),
                    name=name,
                    text_id=text_id,
                ),
                _options,
            )

            def _page() -> _runtime.AsyncPage[EventGroupListResponse, EventGroup]:
                body = _runtime.parse(EventGroupListResponse, _response, frozenset({200}))
                return _runtime.AsyncPage(
                    body,
                    _position,
                    _following,
                    lambda body: body.data.event_groups,
                    lambda body: body.data.total_items,
                )

            return _runtime.RawResponse(_response, _page, _retries)

        async def _following(_position: int) -> _runtime.AsyncPage[EventGroupListResponse, EventGroup]:
            return (await _fetch(_position)).parse()

        return await _fetch(0 if isinstance(offset, Unset) else offset)

    async def retrieve(
        self,
        event_group_id: str,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
    ) -> _runtime.RawResponse[EventGroup]:
        _options = _runtime.RequestOptions(timeout, max_retries, extra_headers, extra_query)
        _response, _retries = await self._connection.send(
            get_event_group._get_kwargs(
                event_group_id=event_group_id,
            ),
            _options,
        )

        def _parsed() -> EventGroup:
            body = _runtime.parse(EventGroupResponse, _response, frozenset({200}))
            return body.data

        return _runtime.RawResponse(_response, _parsed, _retries)


class AsyncCustomerInterface:
    """Client of Customer Interface API - Event Groups, for asyncio.

    `base_url` includes the API's path prefix. `base_url`, `username` and `password` not
    passed are read from the environment (ENVIRONMENT names the variables), and the variable
    ENVIRONMENT["log"] set to `debug` or `info` logs each request to stderr. Credentials are
    sent with HTTP Basic auth and appear in no repr, log line or error message; an `http://`
    base URL that is not a loopback address warns with `InsecureTransportWarning` unless
    `allow_insecure_http=True`. Idempotent requests are retried as `retry` says
    (`RetryPolicy.off()` disables retries). `http_client` is an httpx.AsyncClient of yours
    (proxies, mounts, a mock transport) to send with: its timeout is the default, and closing
    it stays yours.
    """

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        retry: RetryPolicy = RetryPolicy(),
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        _runtime.configure_logging(ENVIRONMENT["log"])
        base_url = _runtime.setting(base_url, "base_url", ENVIRONMENT["base_url"])
        username = _runtime.setting(username, "username", ENVIRONMENT["username"])
        password = _runtime.setting(password, "password", ENVIRONMENT["password"])
        settings = ClientSettings(
            base_url=base_url,
            username=username,
            password=password,
            user_agent=USER_AGENT,
            timeout=timeout,
            retry=retry,
            error_parser=Error.model_validate_json,
            allow_insecure_http=allow_insecure_http,
        )
        settings.check_transport(stacklevel=2)
        self.base_url = base_url
        self._connection = _runtime.AsyncConnection(settings, http_client, transport)
        self.event_groups = AsyncEventGroupsApi(self._connection)

    def __repr__(self) -> str:
        return f"AsyncCustomerInterface(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        """Close the connections, unless the httpx client is the caller's."""
        await self._connection.aclose()

    async def __aenter__(self) -> AsyncCustomerInterface:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

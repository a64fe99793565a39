"""High-level access to every operation: Basic auth, timeouts, retries, typed errors and
pages that iterate every match of a list. Generated from the spec; do not edit."""

from __future__ import annotations

from types import TracebackType
from typing import Literal

import httpx

from .. import _runtime
from .._runtime import ClientSettings, RetryPolicy
from ..client import AuthenticatedClient
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
}

# The client's version, then the version of the API it was generated for: they move apart.
USER_AGENT = f"customer-interface-client/2.0.0 (API 1.0.0; python-httpx/{httpx.__version__})"


class EventGroupsApi:
    """The operations tagged `event_groups`."""

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
    ) -> _runtime.Page[EventGroupListResponse, EventGroup]:
        """List event groups: `GET /event-groups`.

        Returns the page that skips `offset` matches and holds `count` at most. Iterate
        it (`for`) for every match from there on: later pages are fetched as the loop
        reaches them. Raises an `ApiError` subclass for an error status or a failed connection.
        """

        def fetch(position: int) -> _runtime.Page[EventGroupListResponse, EventGroup]:
            response = _runtime.translate_transport_errors(
                lambda: list_event_groups.sync_detailed(
                    client=self._client,
                    count=count,
                    offset=position,
                    sort_field=UNSET
                    if isinstance(sort_field, Unset)
                    else _runtime.enum_argument(EventGroupSortField, sort_field, "sort_field"),
                    sort_direction=UNSET
                    if isinstance(sort_direction, Unset)
                    else _runtime.enum_argument(SortDirection, sort_direction, "sort_direction"),
                    name=name,
                    text_id=text_id,
                )
            )
            body = _runtime.parsed(response.parsed, EventGroupListResponse, response.status_code, response.content)
            return _runtime.Page(
                body,
                position,
                fetch,
                lambda body: body.data.event_groups,
                lambda body: body.data.total_items,
            )

        return fetch(0 if isinstance(offset, Unset) else offset)

    def retrieve(
        self,
        event_group_id: str,
    ) -> EventGroup:
        """Get an event group: `GET /event-groups/{event_group_id}`, the item itself.

        Raises `NotFoundError` when there is none, and an `ApiError` subclass for any other
        error status or a failed connection.
        """
        response = _runtime.translate_transport_errors(
            lambda: get_event_group.sync_detailed(
                client=self._client,
                event_group_id=event_group_id,
            )
        )
        body = _runtime.parsed(response.parsed, EventGroupResponse, response.status_code, response.content)
        return body.data


class CustomerInterface:
    """Client of Customer Interface API - Event Groups.

    `base_url` includes the API's path prefix. `base_url`, `username` and `password` not
    passed are read from the environment (ENVIRONMENT names the variables). Credentials are
    sent with HTTP Basic auth and appear in no repr, log line or error message; an `http://` base URL that is not a loopback
    address warns with `InsecureTransportWarning` unless `allow_insecure_http=True`. Idempotent
    requests are retried as `retry` says (`RetryPolicy.off()` disables retries).
    """

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float | httpx.Timeout = _runtime.DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        base_url = _runtime.setting(base_url, "base_url", ENVIRONMENT["base_url"])
        username = _runtime.setting(username, "username", ENVIRONMENT["username"])
        password = _runtime.setting(password, "password", ENVIRONMENT["password"])
        settings = ClientSettings(
            base_url=base_url,
            username=username,
            password=password,
            user_agent=USER_AGENT,
            timeout=httpx.Timeout(timeout),
            retry=retry,
            error_parser=Error.from_dict,
            allow_insecure_http=allow_insecure_http,
        )
        settings.check_transport(stacklevel=2)
        self.base_url = base_url
        # Basic auth lives in the httpx client; the generated client's bearer token is unused.
        self._client = AuthenticatedClient(base_url=base_url, token="")
        self._client.set_httpx_client(settings.httpx_client(transport))
        self.event_groups = EventGroupsApi(self._client)

    def __repr__(self) -> str:
        return f"CustomerInterface(base_url={self.base_url!r})"

    def close(self) -> None:
        self._client.get_httpx_client().close()

    def __enter__(self) -> CustomerInterface:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncEventGroupsApi:
    """The operations tagged `event_groups`, awaitable."""

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    def list(
        self,
        *,
        count: int | Unset = 100,
        offset: int | Unset = 0,
        sort_field: EventGroupSortField | Literal["event_group_id", "name", "text_id", "state"] | Unset = UNSET,
        sort_direction: SortDirection | Literal["ASC", "DESC"] | Unset = UNSET,
        name: str | Unset = UNSET,
        text_id: str | Unset = UNSET,
    ) -> _runtime.AsyncPager[EventGroupListResponse, EventGroup]:
        """List event groups: `GET /event-groups`.

        Awaited, returns the page that skips `offset` matches and holds `count` at most. Iterate
        it (`async for`) for every match from there on: later pages are fetched as the loop
        reaches them. Raises an `ApiError` subclass for an error status or a failed connection.
        """

        async def fetch(position: int) -> _runtime.AsyncPage[EventGroupListResponse, EventGroup]:
            response = await _runtime.atranslate_transport_errors(
                lambda: list_event_groups.asyncio_detailed(
                    client=self._client,
                    count=count,
                    offset=position,
                    sort_field=UNSET
                    if isinstance(sort_field, Unset)
                    else _runtime.enum_argument(EventGroupSortField, sort_field, "sort_field"),
                    sort_direction=UNSET
                    if isinstance(sort_direction, Unset)
                    else _runtime.enum_argument(SortDirection, sort_direction, "sort_direction"),
                    name=name,
                    text_id=text_id,
                )
            )
            body = _runtime.parsed(response.parsed, EventGroupListResponse, response.status_code, response.content)
            return _runtime.AsyncPage(
                body,
                position,
                fetch,
                lambda body: body.data.event_groups,
                lambda body: body.data.total_items,
            )

        return _runtime.AsyncPager(lambda: fetch(0 if isinstance(offset, Unset) else offset))

    async def retrieve(
        self,
        event_group_id: str,
    ) -> EventGroup:
        """Get an event group: `GET /event-groups/{event_group_id}`, the item itself.

        Raises `NotFoundError` when there is none, and an `ApiError` subclass for any other
        error status or a failed connection.
        """
        response = await _runtime.atranslate_transport_errors(
            lambda: get_event_group.asyncio_detailed(
                client=self._client,
                event_group_id=event_group_id,
            )
        )
        body = _runtime.parsed(response.parsed, EventGroupResponse, response.status_code, response.content)
        return body.data


class AsyncCustomerInterface:
    """Client of Customer Interface API - Event Groups, for asyncio.

    `base_url` includes the API's path prefix. `base_url`, `username` and `password` not
    passed are read from the environment (ENVIRONMENT names the variables). Credentials are
    sent with HTTP Basic auth and appear in no repr, log line or error message; an `http://` base URL that is not a loopback
    address warns with `InsecureTransportWarning` unless `allow_insecure_http=True`. Idempotent
    requests are retried as `retry` says (`RetryPolicy.off()` disables retries).
    """

    def __init__(
        self,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float | httpx.Timeout = _runtime.DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        base_url = _runtime.setting(base_url, "base_url", ENVIRONMENT["base_url"])
        username = _runtime.setting(username, "username", ENVIRONMENT["username"])
        password = _runtime.setting(password, "password", ENVIRONMENT["password"])
        settings = ClientSettings(
            base_url=base_url,
            username=username,
            password=password,
            user_agent=USER_AGENT,
            timeout=httpx.Timeout(timeout),
            retry=retry,
            error_parser=Error.from_dict,
            allow_insecure_http=allow_insecure_http,
        )
        settings.check_transport(stacklevel=2)
        self.base_url = base_url
        # Basic auth lives in the httpx client; the generated client's bearer token is unused.
        self._client = AuthenticatedClient(base_url=base_url, token="")
        self._client.set_async_httpx_client(settings.async_httpx_client(transport))
        self.event_groups = AsyncEventGroupsApi(self._client)

    def __repr__(self) -> str:
        return f"AsyncCustomerInterface(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        await self._client.get_async_httpx_client().aclose()

    async def __aenter__(self) -> AsyncCustomerInterface:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

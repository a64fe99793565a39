from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models import Error, EventGroupListResponse, EventGroupSortField, SortDirection
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    count: int | Unset = 100,
    offset: int | Unset = 0,
    sort_field: EventGroupSortField | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    name: str | Unset = UNSET,
    text_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["count"] = count

    params["offset"] = offset

    json_sort_field: str | Unset = UNSET
    if not isinstance(sort_field, Unset):
        json_sort_field = sort_field.value

    params["sort_field"] = json_sort_field

    json_sort_direction: str | Unset = UNSET
    if not isinstance(sort_direction, Unset):
        json_sort_direction = sort_direction.value

    params["sort_direction"] = json_sort_direction

    params["name"] = name

    params["text_id"] = text_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/event-groups",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | EventGroupListResponse | None:
    if response.status_code == 200:
        response_200 = EventGroupListResponse.model_validate_json(response.content)
        return response_200

    if response.status_code == 400:
        response_400 = Error.model_validate_json(response.content)
        return response_400

    if response.status_code == 401:
        response_401 = Error.model_validate_json(response.content)
        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | EventGroupListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    count: int | Unset = 100,
    offset: int | Unset = 0,
    sort_field: EventGroupSortField | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    name: str | Unset = UNSET,
    text_id: str | Unset = UNSET,
) -> Response[Error | EventGroupListResponse]:
    """List event groups

     Returns the event groups that match the optional `name` and `text_id` filters, one page at
    a time. `count` and `offset` select the page; `total_items` always counts every match, so a
    client can tell how many pages remain. Without `sort_field` the server's default order is
    used (see `sort_field`).

    Args:
        count (int | Unset):  Default: 100.
        offset (int | Unset):  Default: 0.
        sort_field (EventGroupSortField | Unset): A field of `EventGroup` that a list can be
            sorted by.
        sort_direction (SortDirection | Unset): Ascending (`ASC`) or descending (`DESC`) order.
        name (str | Unset):
        text_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventGroupListResponse]
    """

    kwargs = _get_kwargs(
        count=count,
        offset=offset,
        sort_field=sort_field,
        sort_direction=sort_direction,
        name=name,
        text_id=text_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    count: int | Unset = 100,
    offset: int | Unset = 0,
    sort_field: EventGroupSortField | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    name: str | Unset = UNSET,
    text_id: str | Unset = UNSET,
) -> Error | EventGroupListResponse | None:
    """List event groups

     Returns the event groups that match the optional `name` and `text_id` filters, one page at
    a time. `count` and `offset` select the page; `total_items` always counts every match, so a
    client can tell how many pages remain. Without `sort_field` the server's default order is
    used (see `sort_field`).

    Args:
        count (int | Unset):  Default: 100.
        offset (int | Unset):  Default: 0.
        sort_field (EventGroupSortField | Unset): A field of `EventGroup` that a list can be
            sorted by.
        sort_direction (SortDirection | Unset): Ascending (`ASC`) or descending (`DESC`) order.
        name (str | Unset):
        text_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventGroupListResponse
    """

    return sync_detailed(
        client=client,
        count=count,
        offset=offset,
        sort_field=sort_field,
        sort_direction=sort_direction,
        name=name,
        text_id=text_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    count: int | Unset = 100,
    offset: int | Unset = 0,
    sort_field: EventGroupSortField | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    name: str | Unset = UNSET,
    text_id: str | Unset = UNSET,
) -> Response[Error | EventGroupListResponse]:
    """List event groups

     Returns the event groups that match the optional `name` and `text_id` filters, one page at
    a time. `count` and `offset` select the page; `total_items` always counts every match, so a
    client can tell how many pages remain. Without `sort_field` the server's default order is
    used (see `sort_field`).

    Args:
        count (int | Unset):  Default: 100.
        offset (int | Unset):  Default: 0.
        sort_field (EventGroupSortField | Unset): A field of `EventGroup` that a list can be
            sorted by.
        sort_direction (SortDirection | Unset): Ascending (`ASC`) or descending (`DESC`) order.
        name (str | Unset):
        text_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventGroupListResponse]
    """

    kwargs = _get_kwargs(
        count=count,
        offset=offset,
        sort_field=sort_field,
        sort_direction=sort_direction,
        name=name,
        text_id=text_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    count: int | Unset = 100,
    offset: int | Unset = 0,
    sort_field: EventGroupSortField | Unset = UNSET,
    sort_direction: SortDirection | Unset = UNSET,
    name: str | Unset = UNSET,
    text_id: str | Unset = UNSET,
) -> Error | EventGroupListResponse | None:
    """List event groups

     Returns the event groups that match the optional `name` and `text_id` filters, one page at
    a time. `count` and `offset` select the page; `total_items` always counts every match, so a
    client can tell how many pages remain. Without `sort_field` the server's default order is
    used (see `sort_field`).

    Args:
        count (int | Unset):  Default: 100.
        offset (int | Unset):  Default: 0.
        sort_field (EventGroupSortField | Unset): A field of `EventGroup` that a list can be
            sorted by.
        sort_direction (SortDirection | Unset): Ascending (`ASC`) or descending (`DESC`) order.
        name (str | Unset):
        text_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventGroupListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            count=count,
            offset=offset,
            sort_field=sort_field,
            sort_direction=sort_direction,
            name=name,
            text_id=text_id,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models import Error, EventGroupResponse
from ...types import Response


def _get_kwargs(
    event_group_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/event-groups/{event_group_id}".format(
            event_group_id=quote(str(event_group_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | EventGroupResponse | None:
    if response.status_code == 200:
        response_200 = EventGroupResponse.model_validate_json(response.content)
        return response_200

    if response.status_code == 400:
        response_400 = Error.model_validate_json(response.content)
        return response_400

    if response.status_code == 401:
        response_401 = Error.model_validate_json(response.content)
        return response_401

    if response.status_code == 404:
        response_404 = Error.model_validate_json(response.content)
        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | EventGroupResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    event_group_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | EventGroupResponse]:
    """Get an event group

     Returns one event group by its id.

    Args:
        event_group_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventGroupResponse]
    """

    kwargs = _get_kwargs(
        event_group_id=event_group_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    event_group_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | EventGroupResponse | None:
    """Get an event group

     Returns one event group by its id.

    Args:
        event_group_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventGroupResponse
    """

    return sync_detailed(
        event_group_id=event_group_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    event_group_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | EventGroupResponse]:
    """Get an event group

     Returns one event group by its id.

    Args:
        event_group_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventGroupResponse]
    """

    kwargs = _get_kwargs(
        event_group_id=event_group_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    event_group_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | EventGroupResponse | None:
    """Get an event group

     Returns one event group by its id.

    Args:
        event_group_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventGroupResponse
    """

    return (
        await asyncio_detailed(
            event_group_id=event_group_id,
            client=client,
        )
    ).parsed

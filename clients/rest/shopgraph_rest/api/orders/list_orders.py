# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_orders_direction import ListOrdersDirection
from ...models.list_orders_sort import ListOrdersSort
from ...models.list_orders_status import ListOrdersStatus
from ...models.order_list import OrderList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListOrdersSort | Unset = "created_at",
    direction: ListOrdersDirection | Unset = "asc",
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["starting_after"] = starting_after

    params["ending_before"] = ending_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort

    params["sort"] = json_sort

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction

    params["direction"] = json_direction

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["customer_id"] = customer_id

    json_created_from: str | Unset = UNSET
    if not isinstance(created_from, Unset):
        json_created_from = created_from.isoformat()
    params["created_from"] = json_created_from

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OrderList | Problem | None:
    if response.status_code == 200:
        response_200 = OrderList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OrderList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListOrdersSort | Unset = "created_at",
    direction: ListOrdersDirection | Unset = "asc",
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
) -> Response[OrderList | Problem]:
    """List orders

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListOrdersSort | Unset):  Default: 'created_at'.
        direction (ListOrdersDirection | Unset):  Default: 'asc'.
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):
        created_from (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        created_after (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        status=status,
        customer_id=customer_id,
        created_from=created_from,
        created_before=created_before,
        created_after=created_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListOrdersSort | Unset = "created_at",
    direction: ListOrdersDirection | Unset = "asc",
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
) -> OrderList | Problem | None:
    """List orders

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListOrdersSort | Unset):  Default: 'created_at'.
        direction (ListOrdersDirection | Unset):  Default: 'asc'.
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):
        created_from (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        created_after (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderList | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        status=status,
        customer_id=customer_id,
        created_from=created_from,
        created_before=created_before,
        created_after=created_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListOrdersSort | Unset = "created_at",
    direction: ListOrdersDirection | Unset = "asc",
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
) -> Response[OrderList | Problem]:
    """List orders

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListOrdersSort | Unset):  Default: 'created_at'.
        direction (ListOrdersDirection | Unset):  Default: 'asc'.
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):
        created_from (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        created_after (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderList | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        status=status,
        customer_id=customer_id,
        created_from=created_from,
        created_before=created_before,
        created_after=created_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListOrdersSort | Unset = "created_at",
    direction: ListOrdersDirection | Unset = "asc",
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    created_from: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
) -> OrderList | Problem | None:
    """List orders

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListOrdersSort | Unset):  Default: 'created_at'.
        direction (ListOrdersDirection | Unset):  Default: 'asc'.
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):
        created_from (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        created_after (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            sort=sort,
            direction=direction,
            status=status,
            customer_id=customer_id,
            created_from=created_from,
            created_before=created_before,
            created_after=created_after,
        )
    ).parsed

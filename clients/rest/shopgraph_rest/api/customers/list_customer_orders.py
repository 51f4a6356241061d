# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_customer_orders_direction import (
    ListCustomerOrdersDirection,
)
from ...models.list_customer_orders_sort import (
    ListCustomerOrdersSort,
)
from ...models.order_list import OrderList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListCustomerOrdersSort | Unset = "created_at",
    direction: ListCustomerOrdersDirection | Unset = "asc",
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{id}/orders".format(
            id=quote(str(id), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListCustomerOrdersSort | Unset = "created_at",
    direction: ListCustomerOrdersDirection | Unset = "asc",
) -> Response[OrderList | Problem]:
    """List a customer's orders

     Deprecated since 2026-12-06, sunset 2027-06-06 (410 after): One way to list orders: `GET
    /v1/orders?customer_id=` takes the customer and every other filter (status, dates) too.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListCustomerOrdersSort | Unset):  Default: 'created_at'.
        direction (ListCustomerOrdersDirection | Unset):  Default: 'asc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListCustomerOrdersSort | Unset = "created_at",
    direction: ListCustomerOrdersDirection | Unset = "asc",
) -> OrderList | Problem | None:
    """List a customer's orders

     Deprecated since 2026-12-06, sunset 2027-06-06 (410 after): One way to list orders: `GET
    /v1/orders?customer_id=` takes the customer and every other filter (status, dates) too.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListCustomerOrdersSort | Unset):  Default: 'created_at'.
        direction (ListCustomerOrdersDirection | Unset):  Default: 'asc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderList | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListCustomerOrdersSort | Unset = "created_at",
    direction: ListCustomerOrdersDirection | Unset = "asc",
) -> Response[OrderList | Problem]:
    """List a customer's orders

     Deprecated since 2026-12-06, sunset 2027-06-06 (410 after): One way to list orders: `GET
    /v1/orders?customer_id=` takes the customer and every other filter (status, dates) too.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListCustomerOrdersSort | Unset):  Default: 'created_at'.
        direction (ListCustomerOrdersDirection | Unset):  Default: 'asc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OrderList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListCustomerOrdersSort | Unset = "created_at",
    direction: ListCustomerOrdersDirection | Unset = "asc",
) -> OrderList | Problem | None:
    """List a customer's orders

     Deprecated since 2026-12-06, sunset 2027-06-06 (410 after): One way to list orders: `GET
    /v1/orders?customer_id=` takes the customer and every other filter (status, dates) too.

    Args:
        id (str):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListCustomerOrdersSort | Unset):  Default: 'created_at'.
        direction (ListCustomerOrdersDirection | Unset):  Default: 'asc'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OrderList | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            sort=sort,
            direction=direction,
        )
    ).parsed

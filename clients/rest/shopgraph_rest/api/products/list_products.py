# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_products_direction import ListProductsDirection
from ...models.list_products_sort import ListProductsSort
from ...models.problem import Problem
from ...models.product_list import ProductList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListProductsSort | Unset = "created_at",
    direction: ListProductsDirection | Unset = "asc",
    category_id: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    search: str | Unset = UNSET,
    price_min: int | Unset = UNSET,
    price_max: int | Unset = UNSET,
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

    params["category_id"] = category_id

    params["sku"] = sku

    params["search"] = search

    params["price_min"] = price_min

    params["price_max"] = price_max

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/products",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProductList | None:
    if response.status_code == 200:
        response_200 = ProductList.from_dict(response.json())

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
) -> Response[Problem | ProductList]:
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
    sort: ListProductsSort | Unset = "created_at",
    direction: ListProductsDirection | Unset = "asc",
    category_id: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    search: str | Unset = UNSET,
    price_min: int | Unset = UNSET,
    price_max: int | Unset = UNSET,
) -> Response[Problem | ProductList]:
    """List products

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListProductsSort | Unset):  Default: 'created_at'.
        direction (ListProductsDirection | Unset):  Default: 'asc'.
        category_id (str | Unset):
        sku (str | Unset):
        search (str | Unset):
        price_min (int | Unset):
        price_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        category_id=category_id,
        sku=sku,
        search=search,
        price_min=price_min,
        price_max=price_max,
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
    sort: ListProductsSort | Unset = "created_at",
    direction: ListProductsDirection | Unset = "asc",
    category_id: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    search: str | Unset = UNSET,
    price_min: int | Unset = UNSET,
    price_max: int | Unset = UNSET,
) -> Problem | ProductList | None:
    """List products

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListProductsSort | Unset):  Default: 'created_at'.
        direction (ListProductsDirection | Unset):  Default: 'asc'.
        category_id (str | Unset):
        sku (str | Unset):
        search (str | Unset):
        price_min (int | Unset):
        price_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        category_id=category_id,
        sku=sku,
        search=search,
        price_min=price_min,
        price_max=price_max,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListProductsSort | Unset = "created_at",
    direction: ListProductsDirection | Unset = "asc",
    category_id: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    search: str | Unset = UNSET,
    price_min: int | Unset = UNSET,
    price_max: int | Unset = UNSET,
) -> Response[Problem | ProductList]:
    """List products

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListProductsSort | Unset):  Default: 'created_at'.
        direction (ListProductsDirection | Unset):  Default: 'asc'.
        category_id (str | Unset):
        sku (str | Unset):
        search (str | Unset):
        price_min (int | Unset):
        price_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProductList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        ending_before=ending_before,
        sort=sort,
        direction=direction,
        category_id=category_id,
        sku=sku,
        search=search,
        price_min=price_min,
        price_max=price_max,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    ending_before: str | Unset = UNSET,
    sort: ListProductsSort | Unset = "created_at",
    direction: ListProductsDirection | Unset = "asc",
    category_id: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    search: str | Unset = UNSET,
    price_min: int | Unset = UNSET,
    price_max: int | Unset = UNSET,
) -> Problem | ProductList | None:
    """List products

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        ending_before (str | Unset):
        sort (ListProductsSort | Unset):  Default: 'created_at'.
        direction (ListProductsDirection | Unset):  Default: 'asc'.
        category_id (str | Unset):
        sku (str | Unset):
        search (str | Unset):
        price_min (int | Unset):
        price_max (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProductList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            starting_after=starting_after,
            ending_before=ending_before,
            sort=sort,
            direction=direction,
            category_id=category_id,
            sku=sku,
            search=search,
            price_min=price_min,
            price_max=price_max,
        )
    ).parsed

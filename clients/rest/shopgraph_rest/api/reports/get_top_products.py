# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_top_products_by import GetTopProductsBy
from ...models.problem import Problem
from ...models.top_products import TopProducts
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    by: GetTopProductsBy | Unset = "revenue",
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    currency: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_by: str | Unset = UNSET
    if not isinstance(by, Unset):
        json_by = by

    params["by"] = json_by

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["currency"] = currency

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/top-products",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TopProducts | None:
    if response.status_code == 200:
        response_200 = TopProducts.from_dict(response.json())

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
) -> Response[Problem | TopProducts]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    by: GetTopProductsBy | Unset = "revenue",
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    currency: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Response[Problem | TopProducts]:
    """Best sellers

     Needs `reports:read`. Ranked per currency; `currency` ranks one.

    Args:
        by (GetTopProductsBy | Unset):  Default: 'revenue'.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        currency (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TopProducts]
    """

    kwargs = _get_kwargs(
        by=by,
        from_=from_,
        to=to,
        currency=currency,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    by: GetTopProductsBy | Unset = "revenue",
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    currency: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Problem | TopProducts | None:
    """Best sellers

     Needs `reports:read`. Ranked per currency; `currency` ranks one.

    Args:
        by (GetTopProductsBy | Unset):  Default: 'revenue'.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        currency (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TopProducts
    """

    return sync_detailed(
        client=client,
        by=by,
        from_=from_,
        to=to,
        currency=currency,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    by: GetTopProductsBy | Unset = "revenue",
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    currency: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Response[Problem | TopProducts]:
    """Best sellers

     Needs `reports:read`. Ranked per currency; `currency` ranks one.

    Args:
        by (GetTopProductsBy | Unset):  Default: 'revenue'.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        currency (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TopProducts]
    """

    kwargs = _get_kwargs(
        by=by,
        from_=from_,
        to=to,
        currency=currency,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    by: GetTopProductsBy | Unset = "revenue",
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    currency: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Problem | TopProducts | None:
    """Best sellers

     Needs `reports:read`. Ranked per currency; `currency` ranks one.

    Args:
        by (GetTopProductsBy | Unset):  Default: 'revenue'.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        currency (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TopProducts
    """

    return (
        await asyncio_detailed(
            client=client,
            by=by,
            from_=from_,
            to=to,
            currency=currency,
            limit=limit,
        )
    ).parsed

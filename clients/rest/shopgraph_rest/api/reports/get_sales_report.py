# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_sales_report_group_by import (
    GetSalesReportGroupBy,
)
from ...models.problem import Problem
from ...models.sales_report import SalesReport
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime,
    to: datetime.datetime,
    group_by: GetSalesReportGroupBy | Unset = "day",
    time_zone: str | Unset = "UTC",
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to = to.isoformat()
    params["to"] = json_to

    json_group_by: str | Unset = UNSET
    if not isinstance(group_by, Unset):
        json_group_by = group_by

    params["group_by"] = json_group_by

    params["time_zone"] = time_zone

    params["limit"] = limit

    params["starting_after"] = starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/sales",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SalesReport | None:
    if response.status_code == 200:
        response_200 = SalesReport.from_dict(response.json())

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
) -> Response[Problem | SalesReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime,
    to: datetime.datetime,
    group_by: GetSalesReportGroupBy | Unset = "day",
    time_zone: str | Unset = "UTC",
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Response[Problem | SalesReport]:
    """Sales per period, product, category or customer

     Needs `reports:read` (and `customers:read` by customer). What counts as a sale, and when:
    docs/analytics.md.

    Args:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (GetSalesReportGroupBy | Unset):  Default: 'day'.
        time_zone (str | Unset):  Default: 'UTC'.
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesReport]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
        time_zone=time_zone,
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime,
    to: datetime.datetime,
    group_by: GetSalesReportGroupBy | Unset = "day",
    time_zone: str | Unset = "UTC",
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Problem | SalesReport | None:
    """Sales per period, product, category or customer

     Needs `reports:read` (and `customers:read` by customer). What counts as a sale, and when:
    docs/analytics.md.

    Args:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (GetSalesReportGroupBy | Unset):  Default: 'day'.
        time_zone (str | Unset):  Default: 'UTC'.
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesReport
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        group_by=group_by,
        time_zone=time_zone,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime,
    to: datetime.datetime,
    group_by: GetSalesReportGroupBy | Unset = "day",
    time_zone: str | Unset = "UTC",
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Response[Problem | SalesReport]:
    """Sales per period, product, category or customer

     Needs `reports:read` (and `customers:read` by customer). What counts as a sale, and when:
    docs/analytics.md.

    Args:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (GetSalesReportGroupBy | Unset):  Default: 'day'.
        time_zone (str | Unset):  Default: 'UTC'.
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SalesReport]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        group_by=group_by,
        time_zone=time_zone,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.datetime,
    to: datetime.datetime,
    group_by: GetSalesReportGroupBy | Unset = "day",
    time_zone: str | Unset = "UTC",
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Problem | SalesReport | None:
    """Sales per period, product, category or customer

     Needs `reports:read` (and `customers:read` by customer). What counts as a sale, and when:
    docs/analytics.md.

    Args:
        from_ (datetime.datetime):
        to (datetime.datetime):
        group_by (GetSalesReportGroupBy | Unset):  Default: 'day'.
        time_zone (str | Unset):  Default: 'UTC'.
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SalesReport
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            group_by=group_by,
            time_zone=time_zone,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed

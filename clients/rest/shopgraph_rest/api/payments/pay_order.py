# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.payment import Payment
from ...models.payment_input import PaymentInput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: PaymentInput,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{id}/payments".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Payment | Problem | None:
    if response.status_code == 201:
        response_201 = Payment.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = Problem.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = Problem.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Payment | Problem]:
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
    body: PaymentInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[Payment | Problem]:
    """Pay for an order

     Charges the order's balance (or `amount` of it) from a card token; with `capture: false` only
    authorizes. Fully captured, the order becomes paid. 402 PAYMENT_DECLINED leaves the order payable
    and its stock reserved; 503 means the provider did not answer: retry with the same Idempotency-Key,
    which goes on with the same payment and never charges twice.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (PaymentInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PaymentInput,
    idempotency_key: str | Unset = UNSET,
) -> Payment | Problem | None:
    """Pay for an order

     Charges the order's balance (or `amount` of it) from a card token; with `capture: false` only
    authorizes. Fully captured, the order becomes paid. 402 PAYMENT_DECLINED leaves the order payable
    and its stock reserved; 503 means the provider did not answer: retry with the same Idempotency-Key,
    which goes on with the same payment and never charges twice.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (PaymentInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PaymentInput,
    idempotency_key: str | Unset = UNSET,
) -> Response[Payment | Problem]:
    """Pay for an order

     Charges the order's balance (or `amount` of it) from a card token; with `capture: false` only
    authorizes. Fully captured, the order becomes paid. 402 PAYMENT_DECLINED leaves the order payable
    and its stock reserved; 503 means the provider did not answer: retry with the same Idempotency-Key,
    which goes on with the same payment and never charges twice.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (PaymentInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Payment | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: PaymentInput,
    idempotency_key: str | Unset = UNSET,
) -> Payment | Problem | None:
    """Pay for an order

     Charges the order's balance (or `amount` of it) from a card token; with `capture: false` only
    authorizes. Fully captured, the order becomes paid. 402 PAYMENT_DECLINED leaves the order payable
    and its stock reserved; 503 means the provider did not answer: retry with the same Idempotency-Key,
    which goes on with the same payment and never charges twice.

    Args:
        id (str):
        idempotency_key (str | Unset):
        body (PaymentInput):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Payment | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

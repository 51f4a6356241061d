"""A write is refused before it commits, or answers with what it made (issue 8.5, 8.6, 8.7).

A key that may write but not read still gets the resource it just created: refusing the
answer after the write committed makes a client retry with a new key and pay twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import orders, payments

from .conftest import GraphQL
from .test_access import auth, graphql, new_key
from .test_orders import _customer, _product

SURFACES = ["rest", "graphql"]


async def _count(services: Services, query: Any) -> int:
    async with services.database.engine.connect() as db:
        return int((await db.execute(query)).scalar_one())


async def _pending_order(client: httpx.AsyncClient, unique: str) -> dict[str, Any]:
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


@pytest.mark.parametrize("keyed", [False, True])
async def test_a_payments_write_key_gets_the_payment_it_made(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    services: Services,
    unique: str,
    keyed: bool,
) -> None:
    order = await _pending_order(client, unique)
    _, key = await new_key(services, "payments:write")
    mutation = (
        'mutation($o: ID!, $k: String) { payOrder(orderId: $o, input: {source: "tok_visa"}, '
        "idempotencyKey: $k) { payment { id status captured { amount } } "
        "userErrors { code } } }"
    )
    idem = f"p-{uuid.uuid4()}" if keyed else None
    for attempt in range(2 if keyed else 1):
        response = await graphql(anonymous, mutation, auth(key), o=order["id"], k=idem)
        body = response.json()
        assert "errors" not in body, (attempt, body)
        payment = body["data"]["payOrder"]["payment"]
        assert payment["status"] == "succeeded"
        assert payment["captured"]["amount"] == order["total"]["amount"]
    query = select(func.count()).where(payments.c.order_id == ids.decode("Order", order["id"]))
    assert await _count(services, query) == 1


@pytest.mark.parametrize("keyed", [False, True])
async def test_an_orders_write_key_gets_the_order_it_placed(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    services: Services,
    unique: str,
    keyed: bool,
) -> None:
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    _, key = await new_key(services, "orders:write")
    mutation = (
        "mutation($input: PlaceOrderInput!, $k: String) { placeOrder(input: $input, "
        "idempotencyKey: $k) { order { id status total { amount } } userErrors { code } } }"
    )
    variables = {"customerId": customer, "lines": [{"productId": product, "quantity": 1}]}
    idem = f"o-{uuid.uuid4()}" if keyed else None
    seen = set()
    for attempt in range(2 if keyed else 1):
        body = (await graphql(anonymous, mutation, auth(key), input=variables, k=idem)).json()
        assert "errors" not in body, (attempt, body)
        assert body["data"]["placeOrder"]["order"]["status"] == "PENDING"
        seen.add(body["data"]["placeOrder"]["order"]["id"])
    assert len(seen) == 1
    query = select(func.count()).where(orders.c.customer_id == ids.decode("Customer", customer))
    assert await _count(services, query) == 1


@pytest.mark.parametrize("surface", SURFACES)
async def test_an_orders_write_key_cancels_the_order_it_placed(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    gql: GraphQL,
    services: Services,
    unique: str,
    surface: str,
) -> None:
    """Issue 8.6: cancelling needs `orders:write`, not also `orders:read`."""
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    _, key = await new_key(services, "orders:write")
    placed = await anonymous.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        headers=auth(key),
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    if surface == "rest":
        cancelled = await anonymous.post(f"/v1/orders/{order_id}/cancel", headers=auth(key))
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
    else:
        body = (
            await graphql(
                anonymous,
                "mutation($id: ID!) { cancelOrder(id: $id) { order { id status } "
                "userErrors { code } } }",
                auth(key),
                id=order_id,
            )
        ).json()
        assert body["data"]["cancelOrder"] == {
            "order": {"id": order_id, "status": "CANCELLED"},
            "userErrors": [],
        }
    level = (await client.get(f"/v1/products/{product}/inventory")).json()
    assert level["reserved"] == 0


async def test_a_deleted_customers_token_never_reaches_a_newer_customer(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, unique: str
) -> None:
    """Issue 8.7: keys are never reused, and a token cannot match a row created after it."""
    gone = await _customer(client, f"{unique}-gone")
    token = await client.post(f"/v1/customers/{gone}/tokens")
    assert token.status_code == 201, token.text
    customer_token = token.json()["access_token"]
    assert (await client.delete(f"/v1/customers/{gone}")).status_code == 204
    newer = await _customer(client, f"{unique}-newer")
    assert ids.decode("Customer", newer) != ids.decode("Customer", gone)
    product = await _product(client, unique, 5)
    placed = await anonymous.post(
        "/v1/orders",
        json={"customer_id": newer, "lines": [{"product_id": product, "quantity": 1}]},
        headers=auth(customer_token),
    )
    assert placed.status_code == 401, placed.text
    assert placed.json()["code"] == "UNAUTHENTICATED"

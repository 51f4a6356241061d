"""One idempotency key is one operation by one principal, whichever surface carries it.

Regression tests for issue 8: a key used on REST and then on GraphQL (or the reverse) is
the same operation; a keyed write never holds two pool connections, so concurrent keyed
writes beyond the pool's size all answer; a committed write is never run again by a
retry; a GraphQL replay says so in `extensions`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.engine import Database, Limits
from shopgraph.db.models import idempotency_keys, orders, payments, refunds, utcnow
from shopgraph.resolvers.idempotency import fingerprint
from shopgraph.resolvers.inputs import parse
from shopgraph.resolvers.ordering import OrderPlacement
from shopgraph.settings import Settings

from .conftest import ADMIN, GraphQL, bearer, client_of
from .invariants import assert_money_invariants, assert_stock_invariants
from .test_orders import _customer, _product

PAY = """
mutation($o: ID!, $k: String, $amount: Long) {
  payOrder(orderId: $o, input: {source: "tok_visa", amount: $amount}, idempotencyKey: $k) {
    payment { id status amount { amount } captured { amount } }
    userErrors { field code message }
  }
}"""
REFUND = """
mutation($p: ID!, $k: String, $amount: Long) {
  refundPayment(paymentId: $p, input: {amount: $amount}, idempotencyKey: $k) {
    refund { id amount { amount } }
    userErrors { field code message }
  }
}"""
PLACE = """
mutation($input: PlaceOrderInput!, $k: String) {
  placeOrder(input: $input, idempotencyKey: $k) {
    order { id number status total { amount } }
    userErrors { field code message }
  }
}"""


async def _order(client: httpx.AsyncClient, unique: str, price: int = 1000) -> dict[str, Any]:
    product = await _product(client, unique, 10, price=price)
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def _count(services: Services, query: Any) -> int:
    async with services.database.engine.connect() as db:
        return int((await db.execute(query)).scalar_one())


def _payments_of(order_id: str) -> Any:
    return select(func.count()).where(payments.c.order_id == ids.decode("Order", order_id))


def _orders_of(customer_id: str) -> Any:
    return select(func.count()).where(orders.c.customer_id == ids.decode("Customer", customer_id))


async def test_a_payment_key_is_one_operation_across_surfaces(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services
) -> None:
    """Issue 8.1: a 1-cent REST charge must not pay the order through a GraphQL replay."""
    order = await _order(client, unique)
    key = f"k-{uuid.uuid4()}"
    first = await client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"source": "tok_visa", "amount": 1},
        headers={"Idempotency-Key": key},
    )
    assert first.status_code == 201, first.text
    second = (await gql(PAY, o=order["id"], k=key))["data"]["payOrder"]
    assert second["payment"] is None
    assert [e["code"] for e in second["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    shown = (await client.get(f"/v1/orders/{order['id']}")).json()
    assert shown["status"] == "pending"
    assert await _count(services, _payments_of(order["id"])) == 1
    # The same parameters on the other surface are a replay of the first payment.
    again = (await gql(PAY, o=order["id"], k=key, amount=1))["data"]["payOrder"]
    assert again["payment"]["id"] == first.json()["id"]
    assert await _count(services, _payments_of(order["id"])) == 1
    await assert_money_invariants(services)


async def test_a_refund_key_is_one_operation_across_surfaces(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    key = f"r-{uuid.uuid4()}"
    first = await client.post(
        f"/v1/payments/{payment['id']}/refunds",
        json={"amount": 1},
        headers={"Idempotency-Key": key},
    )
    assert first.status_code == 201, first.text
    second = (await gql(REFUND, p=payment["id"], k=key))["data"]["refundPayment"]
    assert second["refund"] is None
    assert [e["code"] for e in second["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    shown = (await client.get(f"/v1/payments/{payment['id']}")).json()
    assert shown["refunded"]["amount"] == 1
    listed = await client.get(f"/v1/payments/{payment['id']}/refunds")
    assert len(listed.json()["data"]) == 1
    query = select(func.count()).where(refunds.c.payment_id == ids.decode("Payment", payment["id"]))
    assert await _count(services, query) == 1


@pytest.mark.parametrize("first_surface", ["rest", "graphql"])
async def test_an_order_key_is_one_order_across_surfaces(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services, first_surface: str
) -> None:
    product = await _product(client, unique, 10)
    customer = await _customer(client, unique)
    body = {"customer_id": customer, "lines": [{"product_id": product, "quantity": 2}]}
    variables = {"customerId": customer, "lines": [{"productId": product, "quantity": 2}]}
    key = f"o-{uuid.uuid4()}"

    async def rest() -> tuple[str, httpx.Response]:
        response = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": key})
        assert response.status_code == 201, response.text
        return str(response.json()["id"]), response

    async def graphql() -> str:
        payload = (await gql(PLACE, input=variables, k=key))["data"]["placeOrder"]
        assert payload["userErrors"] == []
        return str(payload["order"]["id"])

    if first_surface == "rest":
        made, _ = await rest()
        assert await graphql() == made
    else:
        made = await graphql()
        replayed_id, replay = await rest()
        assert replayed_id == made
        assert replay.headers["idempotent-replayed"] == "true"
        assert replay.headers["location"] == f"/v1/orders/{made}"
        assert replay.json()["lines"][0]["quantity"] == 2
    assert await _count(services, _orders_of(customer)) == 1
    await assert_stock_invariants(services)


async def test_a_graphql_replay_is_marked_in_extensions(
    client: httpx.AsyncClient, unique: str
) -> None:
    """Issue 8.8: REST says `Idempotent-Replayed: true`; GraphQL says it in `extensions`."""
    product = await _product(client, unique, 10)
    customer = await _customer(client, unique)
    variables: dict[str, Any] = {
        "input": {"customerId": customer, "lines": [{"productId": product, "quantity": 1}]},
        "k": f"o-{uuid.uuid4()}",
    }
    keyed = {"query": PLACE, "variables": variables}
    first = (await client.post("/graphql", json=keyed)).json()
    second = (await client.post("/graphql", json=keyed)).json()
    assert second["data"]["placeOrder"]["order"]["id"] == first["data"]["placeOrder"]["order"]["id"]
    assert first["extensions"]["idempotency"] == [{"path": ["placeOrder"], "replayed": False}]
    assert second["extensions"]["idempotency"] == [{"path": ["placeOrder"], "replayed": True}]
    unkeyed = {"query": PLACE, "variables": {**variables, "k": None}}
    third = (await client.post("/graphql", json=unkeyed)).json()
    assert "idempotency" not in third.get("extensions", {})


@pytest.fixture
async def small_pool(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app over a database pool of two connections."""
    limits = Limits(pool_size=2, max_waiting=100)
    services = Services(settings, database=Database(settings.database_url, limits=limits))
    async with client_of(settings, services, bearer(settings, ADMIN)) as http:
        yield http


async def test_keyed_orders_beyond_the_pool_all_answer_and_retries_make_no_second_order(
    small_pool: httpx.AsyncClient, client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    """Issue 8.2: no request holds two pool connections; a committed write is never re-run."""
    product = await _product(client, unique, 100)
    customers = [await _customer(client, f"{unique}-{n}") for n in range(24)]
    keys = [f"pool-{uuid.uuid4()}" for _ in customers]

    async def place(customer: str, key: str) -> httpx.Response:
        return await small_pool.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
            headers={"Idempotency-Key": key},
        )

    first = await asyncio.wait_for(
        asyncio.gather(*(place(c, k) for c, k in zip(customers, keys, strict=True))), 60
    )
    assert [r.status_code for r in first] == [201] * len(customers), [
        r.text for r in first if r.status_code != 201
    ]
    retries = await asyncio.gather(*(place(c, k) for c, k in zip(customers, keys, strict=True)))
    assert [r.json()["id"] for r in retries] == [r.json()["id"] for r in first]
    for customer in customers:
        assert await _count(services, _orders_of(customer)) == 1
    await assert_stock_invariants(services)


async def _leave_in_flight(
    services: Services, key: str, body: dict[str, Any], lease_left: timedelta
) -> None:
    """The row a request leaves behind when its process dies after claiming `key`."""
    now = utcnow()
    params = parse(OrderPlacement, body).model_dump()
    async with services.database.transaction() as db:
        await db.execute(
            insert(idempotency_keys).values(
                scope=ADMIN.id,
                key=key,
                fingerprint=fingerprint("place_order", params),
                state="in_flight",
                lease_token="a-dead-request",
                lease_expires_at=now + lease_left,
                created_at=now - timedelta(minutes=5),
                expires_at=now + timedelta(hours=23),
            )
        )


async def test_a_key_left_in_flight_is_taken_over_once_its_lease_ends(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    """Issue 8.3: a crashed request's key is not stuck for 24 hours."""
    product = await _product(client, unique, 10)
    customer = await _customer(client, unique)
    body = {"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]}
    live, dead = f"live-{uuid.uuid4()}", f"dead-{uuid.uuid4()}"
    await _leave_in_flight(services, live, body, timedelta(minutes=1))
    await _leave_in_flight(services, dead, body, -timedelta(seconds=1))

    refused = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": live})
    assert refused.status_code == 409
    assert refused.json()["code"] == "CONFLICT"
    taken = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": dead})
    assert taken.status_code == 201, taken.text
    replay = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": dead})
    assert replay.json()["id"] == taken.json()["id"]
    assert await _count(services, _orders_of(customer)) == 1

"""Idempotency keys: one order per key, exact replays, reuse refused, expiry."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import idempotency_keys, orders, utcnow
from shopgraph.resolvers.idempotency import purge_expired

from .conftest import GraphQL
from .invariants import assert_stock_invariants
from .test_orders import PLACE, _customer, _product


async def _order_count(services: Services, customer_id: str) -> int:
    async with services.database.engine.connect() as db:
        query = select(func.count()).where(
            orders.c.customer_id == ids.decode("Customer", customer_id)
        )
        return int((await db.execute(query)).scalar_one())


async def _setup(client: httpx.AsyncClient, unique: str, stock: int = 50) -> dict[str, Any]:
    product = await _product(client, unique, stock)
    customer = await _customer(client, unique)
    return {"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]}


async def test_twenty_concurrent_requests_one_key_one_order(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    body = await _setup(client, unique)
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    responses = await asyncio.gather(
        *(client.post("/v1/orders", json=body, headers=key) for _ in range(20))
    )
    created = [r for r in responses if r.status_code == 201]
    assert {r.status_code for r in responses} <= {201, 409}, [r.text for r in responses]
    assert len({r.json()["id"] for r in created}) == 1
    assert all(r.json()["code"] == "CONFLICT" for r in responses if r.status_code == 409)
    assert await _order_count(services, body["customer_id"]) == 1
    await assert_stock_invariants(services)


async def test_replay_returns_the_original_answer(client: httpx.AsyncClient, unique: str) -> None:
    body = await _setup(client, unique)
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = await client.post("/v1/orders", json=body, headers=key)
    second = await client.post("/v1/orders", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert second.headers["location"] == first.headers["location"]


async def test_same_key_other_parameters_is_refused(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    body = await _setup(client, unique)
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    assert (await client.post("/v1/orders", json=body, headers=key)).status_code == 201
    other = {**body, "lines": [{**body["lines"][0], "quantity": 2}]}
    response = await client.post("/v1/orders", json=other, headers=key)
    assert response.status_code == 422
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _order_count(services, body["customer_id"]) == 1


async def test_failed_validation_frees_the_key_but_stock_outcomes_are_kept(
    client: httpx.AsyncClient, unique: str
) -> None:
    body = await _setup(client, unique, stock=1)
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    invalid = await client.post("/v1/orders", json={**body, "lines": []}, headers=key)
    assert invalid.status_code == 422
    assert (await client.post("/v1/orders", json=body, headers=key)).status_code == 201

    short = {**body, "lines": [{**body["lines"][0], "quantity": 5}]}
    key2 = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    refused = await client.post("/v1/orders", json=short, headers=key2)
    assert refused.status_code == 409
    await client.post(
        f"/v1/products/{body['lines'][0]['product_id']}/inventory/adjustments",
        json={"delta": 10, "reason": "restock", "kind": "receipt"},
    )
    again = await client.post("/v1/orders", json=short, headers=key2)
    assert again.status_code == 409  # the stored answer, as Stripe does
    assert again.headers["idempotent-replayed"] == "true"


async def test_graphql_key_gives_one_order(
    gql: GraphQL, client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    body = await _setup(client, unique)
    variables = {
        "customerId": body["customer_id"],
        "lines": [{"productId": body["lines"][0]["product_id"], "quantity": 1}],
    }
    key = f"g-{uuid.uuid4()}"
    mutation = PLACE.replace(
        "placeOrder(input: $input)", "placeOrder(input: $input, idempotencyKey: $key)"
    ).replace(
        "mutation($input: PlaceOrderInput!)", "mutation($input: PlaceOrderInput!, $key: String)"
    )
    results = await asyncio.gather(*(gql(mutation, input=variables, key=key) for _ in range(20)))
    payloads = [r["data"]["placeOrder"] for r in results]
    orders_seen = {p["order"]["id"] for p in payloads if p["order"]}
    assert len(orders_seen) == 1
    assert all(p["userErrors"][0]["code"] == "CONFLICT" for p in payloads if not p["order"])
    replay = (await gql(mutation, input=variables, key=key))["data"]["placeOrder"]
    assert replay["order"]["id"] in orders_seen
    reused = await gql(
        mutation, input={**variables, "lines": [{**variables["lines"][0], "quantity": 3}]}, key=key
    )
    assert reused["data"]["placeOrder"]["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _order_count(services, body["customer_id"]) == 1


async def test_bad_keys_are_refused(client: httpx.AsyncClient, unique: str) -> None:
    body = await _setup(client, unique)
    for bad in ("x" * 256, "tab\there"):
        response = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": bad})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_expired_keys_are_purged_and_reusable(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    body = await _setup(client, unique)
    stale = f"old-{uuid.uuid4()}"
    past = utcnow() - timedelta(days=2)
    async with services.database.transaction() as db:
        await db.execute(
            insert(idempotency_keys).values(
                scope="rest|anonymous|",
                key=stale,
                fingerprint="f" * 64,
                state="done",
                status_code=201,
                response="{}",
                created_at=past,
                expires_at=past + timedelta(hours=24),
            )
        )
    # An expired key is a new key: no reuse error, a new order.
    assert (
        await client.post("/v1/orders", json=body, headers={"Idempotency-Key": stale})
    ).status_code == 201
    async with services.database.transaction() as db:
        await db.execute(
            insert(idempotency_keys).values(
                scope="rest|anonymous|",
                key=f"{stale}-2",
                fingerprint="f" * 64,
                state="done",
                status_code=201,
                response="{}",
                created_at=past,
                expires_at=past + timedelta(hours=24),
            )
        )
    assert await purge_expired(services.database) >= 1
    async with services.database.engine.connect() as db:
        left = await db.execute(
            select(idempotency_keys.c.key).where(idempotency_keys.c.key == f"{stale}-2")
        )
        assert left.first() is None

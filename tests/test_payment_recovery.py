"""Money in flight when a request dies: resumed by a retry with its key, or reconciled.

Regression tests for issue 8.3 and 8.4. A request cancelled while the provider is being
asked (a client that hangs up, a worker stopped) leaves its payment `processing`. A retry
with the same key resumes that payment rather than being refused or charging again; with
no retry, reconciliation asks the provider what happened and settles the row.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import payments, refunds, utcnow
from shopgraph.payments import SandboxProvider
from shopgraph.resolvers.reconciliation import reconcile

from .invariants import assert_money_invariants, assert_stock_invariants
from .test_orders import _customer, _product


@pytest.fixture
def slow_sandbox(services: Services) -> Iterator[SandboxProvider]:
    provider = services.payment_provider
    assert isinstance(provider, SandboxProvider)
    provider.latency = 0.3
    yield provider
    provider.latency = 0.0


async def _order(client: httpx.AsyncClient, unique: str) -> dict[str, Any]:
    product = await _product(client, unique, 5, price=700)
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def _statuses(services: Services, table: Any, column: Any, pk: int) -> list[str]:
    async with services.database.engine.connect() as db:
        rows = await db.execute(select(table.c.status).where(column == pk).order_by(table.c.id))
        return [row[0] for row in rows]


async def _cancel_once_processing(
    services: Services, request: asyncio.Task[httpx.Response], table: Any, column: Any, pk: int
) -> None:
    """Cancel `request` while the provider is being asked for it."""
    for _ in range(200):
        if "processing" in await _statuses(services, table, column, pk):
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the payment never started")
    request.cancel()
    with pytest.raises(asyncio.CancelledError):
        await request


async def test_a_payment_cancelled_mid_charge_is_resumed_by_its_key(
    client: httpx.AsyncClient, services: Services, slow_sandbox: SandboxProvider, unique: str
) -> None:
    order = await _order(client, unique)
    order_pk = ids.decode("Order", order["id"])
    assert order_pk is not None
    key = {"Idempotency-Key": f"cancelled-{uuid.uuid4()}"}
    path = f"/v1/orders/{order['id']}/payments"
    request = asyncio.create_task(client.post(path, json={"source": "tok_visa"}, headers=key))
    await _cancel_once_processing(services, request, payments, payments.c.order_id, order_pk)

    retry = await client.post(path, json={"source": "tok_visa"}, headers=key)
    assert retry.status_code == 201, retry.text
    assert retry.json()["status"] == "succeeded"
    replay = await client.post(path, json={"source": "tok_visa"}, headers=key)
    assert replay.json()["id"] == retry.json()["id"]
    assert await _statuses(services, payments, payments.c.order_id, order_pk) == ["succeeded"]
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "paid"
    await assert_money_invariants(services)


async def test_reconciliation_settles_a_stranded_payment(
    client: httpx.AsyncClient, services: Services, slow_sandbox: SandboxProvider, unique: str
) -> None:
    order = await _order(client, unique)
    order_pk = ids.decode("Order", order["id"])
    assert order_pk is not None
    path = f"/v1/orders/{order['id']}/payments"
    request = asyncio.create_task(client.post(path, json={"source": "tok_visa"}))
    await _cancel_once_processing(services, request, payments, payments.c.order_id, order_pk)
    # Cancelled mid-call: the provider may or may not have charged. Only the provider knows.
    assert await _statuses(services, payments, payments.c.order_id, order_pk) == ["processing"]

    await reconcile(services, now=utcnow() + timedelta(hours=1))
    settled = await _statuses(services, payments, payments.c.order_id, order_pk)
    assert settled in (["succeeded"], ["failed"])
    shown = (await client.get(f"/v1/orders/{order['id']}")).json()
    assert shown["status"] == ("paid" if settled == ["succeeded"] else "pending")
    if settled == ["failed"]:  # never charged: the order can be paid again
        again = await client.post(path, json={"source": "tok_visa"})
        assert again.status_code == 201, again.text
    await assert_money_invariants(services)
    await assert_stock_invariants(services)


async def test_reconciliation_settles_a_stranded_refund(
    client: httpx.AsyncClient, services: Services, slow_sandbox: SandboxProvider, unique: str
) -> None:
    order = await _order(client, unique)
    paid = await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    payment = paid.json()
    payment_pk = ids.decode("Payment", payment["id"])
    assert payment_pk is not None
    request = asyncio.create_task(
        client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 200})
    )
    await _cancel_once_processing(services, request, refunds, refunds.c.payment_id, payment_pk)

    await reconcile(services, now=utcnow() + timedelta(hours=1))
    settled = await _statuses(services, refunds, refunds.c.payment_id, payment_pk)
    assert settled in (["succeeded"], ["failed"])
    shown = (await client.get(f"/v1/payments/{payment['id']}")).json()
    assert shown["refunded"]["amount"] == (200 if settled == ["succeeded"] else 0)
    await assert_money_invariants(services)


async def test_reconciliation_leaves_payments_in_their_lease_alone(
    client: httpx.AsyncClient, services: Services, slow_sandbox: SandboxProvider, unique: str
) -> None:
    """A payment whose request may still be asking the provider is not touched."""
    order = await _order(client, unique)
    order_pk = ids.decode("Order", order["id"])
    assert order_pk is not None
    path = f"/v1/orders/{order['id']}/payments"
    request = asyncio.create_task(client.post(path, json={"source": "tok_visa"}))
    for _ in range(200):
        if await _statuses(services, payments, payments.c.order_id, order_pk):
            break
        await asyncio.sleep(0.01)
    await reconcile(services)
    response = await request
    assert response.status_code == 201, response.text
    assert await _statuses(services, payments, payments.c.order_id, order_pk) == ["succeeded"]

"""The write path across real server processes: two uvicorn workers, one database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import orders, payments

from .invariants import assert_money_invariants, assert_provider_agrees, assert_stock_invariants
from .servers import Server, serving

BURST = 100
PLACE = """
mutation($input: PlaceOrderInput!, $k: String) {
  placeOrder(input: $input, idempotencyKey: $k) {
    order { id status }
    userErrors { field code message }
  }
}"""
PAY = """
mutation($o: ID!, $k: String) {
  payOrder(orderId: $o, input: {source: "tok_visa"}, idempotencyKey: $k) {
    payment { id status }
    userErrors { field code message }
  }
}"""


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """`shopgraph serve --workers 2` on the test database, with default pool settings.

    Its key is enterprise tier, so a burst of hundreds of writes is not throttled: rate
    limits have tests of their own.
    """
    with serving(database_url, "--workers", "2", tier="enterprise") as running:
        yield running


async def test_thirty_buyers_five_units_across_two_processes(
    server: Server, services: Services, unique: str
) -> None:
    limits = httpx.Limits(max_connections=30)
    async with httpx.AsyncClient(
        base_url=server.base, limits=limits, timeout=30, headers=server.headers
    ) as http:
        product = (
            await http.post(
                "/v1/products",
                json={
                    "sku": f"MP-{unique}",
                    "name": "Rare",
                    "price": {"amount": 99, "currency": "USD"},
                },
            )
        ).json()["id"]
        await http.post(
            f"/v1/products/{product}/inventory/adjustments",
            json={"delta": 5, "reason": "stock", "kind": "receipt"},
        )
        customer = (
            await http.post(
                "/v1/customers", json={"email": f"mp.{unique}@example.com", "name": "M"}
            )
        ).json()["id"]
        body = {"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]}
        responses = await asyncio.gather(*(http.post("/v1/orders", json=body) for _ in range(30)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] * 5 + [409] * 25, [
            r.text for r in responses if r.status_code >= 500
        ]
        level = (await http.get(f"/v1/products/{product}/inventory")).json()
        assert level["available"] == 0
    await assert_stock_invariants(services)


async def _created(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    response = await http.post(path, json=body)
    assert response.status_code == 201, response.text
    made: str = response.json()["id"]
    return made


async def _counts(services: Services, column: Any, public_ids: Sequence[str]) -> dict[str, int]:
    """How many rows of `column`'s table point at each of `public_ids` (orders, customers)."""
    kind = "Customer" if column is orders.c.customer_id else "Order"
    pks = {ids.decode(kind, public_id): public_id for public_id in public_ids}
    async with services.database.engine.connect() as db:
        rows = await db.execute(
            select(column, func.count()).where(column.in_(list(pks))).group_by(column)
        )
        found = {pks[pk]: int(count) for pk, count in rows}
    return {public_id: found.get(public_id, 0) for public_id in public_ids}


def _graphql_replay(response: httpx.Response, field: str, kind: str, made: str) -> None:
    """A GraphQL retry of a REST write: the same object, marked as replayed in extensions."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload = body["data"][field]
    assert payload["userErrors"] == [], payload
    assert payload[kind]["id"] == made
    assert body["extensions"]["idempotency"] == [{"path": [field], "replayed": True}]


async def _patient(send: Any, n: int) -> httpx.Response:
    """`send(n)` again, as a client should, while the server says to come back: 503 after
    `Retry-After` (the two processes do not share the burst evenly, and one may queue more
    requests than its pool allows, or wait for a connection longer than its pool timeout),
    and 409 while an earlier attempt under the same key is still in flight (one that was
    cut short after starting its work holds its key until its lease ends; the next retry
    then takes it over and finishes the work, once)."""
    deadline = asyncio.get_running_loop().time() + 120
    while True:
        response: httpx.Response = await send(n)
        in_flight = response.status_code == 409 and "idempotency_key" in response.json()
        if response.status_code != 503 and not in_flight:
            return response
        if asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(float(response.headers.get("retry-after", "2")))


async def test_a_hundred_keyed_orders_and_payments_across_two_processes_replay_on_both_surfaces(
    server: Server, services: Services, unique: str
) -> None:
    """Keyed writes beyond the default pool, in two processes: all answer, none runs twice.

    Every retry, through REST or GraphQL, is the first answer replayed; a key is the
    principal's, so a GraphQL retry of a REST write is the same operation.
    """
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them under
    # a request (a ReadError that says nothing about the server).
    limits = httpx.Limits(max_connections=2 * BURST, keepalive_expiry=2)
    async with httpx.AsyncClient(
        base_url=server.base, limits=limits, timeout=60, headers=server.headers
    ) as http:
        products = [
            await _created(
                http,
                "/v1/products",
                {
                    "sku": f"MK-{unique}-{n}",
                    "name": "Plenty",
                    "price": {"amount": 250 + n, "currency": "USD"},
                },
            )
            for n in range(4)
        ]
        for product in products:
            receipt = await http.post(
                f"/v1/products/{product}/inventory/adjustments",
                json={"delta": BURST, "reason": "stock", "kind": "receipt"},
            )
            assert receipt.status_code == 201, receipt.text
        customers = await asyncio.gather(
            *(
                _created(
                    http, "/v1/customers", {"email": f"mk.{unique}.{n}@example.com", "name": "K"}
                )
                for n in range(2 * BURST)
            )
        )
        buyers, payers = customers[:BURST], customers[BURST:]

        def placement(n: int, customer: str) -> dict[str, Any]:
            return {
                "customer_id": customer,
                "lines": [{"product_id": products[n % 4], "quantity": 1}],
            }

        pending = await asyncio.gather(
            *(_created(http, "/v1/orders", placement(n, c)) for n, c in enumerate(payers))
        )
        order_keys = [f"mk-order-{uuid.uuid4()}" for _ in buyers]
        pay_keys = [f"mk-pay-{uuid.uuid4()}" for _ in pending]

        def place(n: int) -> Any:
            return http.post(
                "/v1/orders",
                json=placement(n, buyers[n]),
                headers={"Idempotency-Key": order_keys[n]},
            )

        def pay(n: int) -> Any:
            return http.post(
                f"/v1/orders/{pending[n]}/payments",
                json={"source": "tok_visa"},
                headers={"Idempotency-Key": pay_keys[n]},
            )

        first = await asyncio.gather(
            *(_patient(place, n) for n in range(BURST)), *(_patient(pay, n) for n in range(BURST))
        )
        assert [r.status_code for r in first] == [201] * (2 * BURST), [
            r.text for r in first if r.status_code != 201
        ]
        placed, paid = first[:BURST], first[BURST:]
        assert all(r.json()["status"] == "succeeded" for r in paid)

        def place_again(n: int) -> Any:
            if n % 2 == 0:
                return place(n)
            input_ = {
                "customerId": buyers[n],
                "lines": [{"productId": products[n % 4], "quantity": 1}],
            }
            return http.post(
                "/graphql",
                json={"query": PLACE, "variables": {"input": input_, "k": order_keys[n]}},
            )

        def pay_again(n: int) -> Any:
            if n % 2 == 0:
                return pay(n)
            variables = {"o": pending[n], "k": pay_keys[n]}
            return http.post("/graphql", json={"query": PAY, "variables": variables})

        again = await asyncio.gather(
            *(_patient(place_again, n) for n in range(BURST)),
            *(_patient(pay_again, n) for n in range(BURST)),
        )
    for n, (before, after) in enumerate(zip(first, again, strict=True)):
        field, kind = ("placeOrder", "order") if n < BURST else ("payOrder", "payment")
        if n % 2 == 0:  # REST: the first answer, byte for byte, marked as replayed
            assert after.status_code == 201, after.text
            assert after.headers.get("idempotent-replayed") == "true"
            assert after.content == before.content
        else:
            _graphql_replay(after, field, kind, before.json()["id"])

    assert set((await _counts(services, orders.c.customer_id, customers)).values()) == {1}
    paid_orders = await _counts(services, payments.c.order_id, pending)
    assert set(paid_orders.values()) == {1}, {o: c for o, c in paid_orders.items() if c != 1}
    async with services.database.engine.connect() as db:
        statuses = await db.execute(
            select(orders.c.status, func.count())
            .where(orders.c.id.in_([ids.decode("Order", o) for o in pending]))
            .group_by(orders.c.status)
        )
        assert dict(statuses.all()) == {"paid": BURST}
    assert len({r.json()["id"] for r in placed}) == BURST
    await assert_stock_invariants(services)
    await assert_money_invariants(services)
    await assert_provider_agrees(services)

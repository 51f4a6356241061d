"""Paying, capturing and refunding: no double charge, no over-refund, whatever the timing."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from shopgraph.context import Services

from .conftest import GraphQL
from .invariants import (
    assert_money_invariants,
    assert_provider_agrees,
    assert_stock_invariants,
    sandbox_books,
)
from .test_orders import _customer, _product


async def _order(
    client: httpx.AsyncClient, unique: str, price: int = 1000, quantity: int = 1
) -> dict[str, Any]:
    product = await _product(client, unique, 10, price=price)
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": quantity}]},
    )
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def _check(services: Services) -> None:
    await assert_stock_invariants(services)
    await assert_money_invariants(services)
    await assert_provider_agrees(services)


async def test_pay_then_fulfil(client: httpx.AsyncClient, unique: str, services: Services) -> None:
    order = await _order(client, unique, price=1250, quantity=2)
    product = order["lines"][0]["product_id"]
    paid = await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    assert paid.status_code == 201, paid.text
    payment = paid.json()
    assert paid.headers["location"] == f"/v1/payments/{payment['id']}"
    assert payment["status"] == "succeeded"
    assert payment["amount"] == payment["captured"] == {"amount": 2500, "currency": "USD"}
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "paid"
    level = (await client.get(f"/v1/products/{product}/inventory")).json()
    assert (level["on_hand"], level["reserved"]) == (10, 2)
    fulfilled = await client.post(f"/v1/orders/{order['id']}/fulfill")
    assert fulfilled.json()["status"] == "fulfilled"
    level = (await client.get(f"/v1/products/{product}/inventory")).json()
    assert (level["on_hand"], level["reserved"]) == (8, 0)
    assert (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).status_code == 409
    await _check(services)


async def test_declined_payment_leaves_order_payable(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    declined = await client.post(
        f"/v1/orders/{order['id']}/payments", json={"source": "tok_chargeDeclined"}
    )
    assert declined.status_code == 402
    problem = declined.json()
    assert problem["code"] == "PAYMENT_DECLINED"
    assert problem["decline_code"] == "card_declined"
    failed = (await client.get(f"/v1/payments/{problem['payment_id']}")).json()
    assert failed["status"] == "failed"
    assert failed["failure_code"] == "card_declined"
    again = (await client.get(f"/v1/orders/{order['id']}")).json()
    assert again["status"] == "pending"
    level = (await client.get(f"/v1/products/{order['lines'][0]['product_id']}/inventory")).json()
    assert level["reserved"] == 1
    assert (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).status_code == 201
    await _check(services)


async def test_transient_failure_is_retried_safely_with_the_same_key(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    key = {"Idempotency-Key": f"pay-{uuid.uuid4()}"}
    first = await client.post(
        f"/v1/orders/{order['id']}/payments", json={"source": "tok_flaky"}, headers=key
    )
    assert first.status_code == 503
    assert first.json()["code"] == "SERVICE_UNAVAILABLE"
    second = await client.post(
        f"/v1/orders/{order['id']}/payments", json={"source": "tok_flaky"}, headers=key
    )
    assert second.status_code == 201, second.text
    third = await client.post(
        f"/v1/orders/{order['id']}/payments", json={"source": "tok_flaky"}, headers=key
    )
    assert third.headers["idempotent-replayed"] == "true"
    assert third.json()["id"] == second.json()["id"]
    # The retry went on with the payment the first attempt booked, under its provider key.
    payments = (await client.get(f"/v1/orders/{order['id']}/payments")).json()["data"]
    assert [p["status"] for p in payments] == ["succeeded"]
    assert payments[0]["id"] == second.json()["id"]
    assert sum(p["captured"]["amount"] for p in payments) == order["total"]["amount"]
    await _check(services)


async def test_one_key_many_requests_one_charge(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    key = {"Idempotency-Key": f"pay-{uuid.uuid4()}"}
    before = set(await sandbox_books(services, "charge"))
    responses = await asyncio.gather(
        *(
            client.post(
                f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"}, headers=key
            )
            for _ in range(20)
        )
    )
    assert {r.status_code for r in responses} <= {201, 409}
    assert len({r.json()["id"] for r in responses if r.status_code == 201}) == 1
    assert len(set(await sandbox_books(services, "charge")) - before) == 1
    await _check(services)


async def test_concurrent_payments_without_keys_never_overcharge(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    before = set(await sandbox_books(services, "charge"))
    responses = await asyncio.gather(
        *(
            client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
            for _ in range(12)
        )
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 11, [
        r.text for r in responses
    ]
    charges = await sandbox_books(services, "charge")
    new = set(charges) - before
    assert len(new) == 1
    assert sum(charges[reference] for reference in new) == order["total"]["amount"]
    await _check(services)


async def test_authorize_then_capture(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    body = await gql(
        "mutation($o: ID!) { payOrder(orderId: $o, "
        'input: {source: "tok_mastercard", capture: false}) '
        "{ payment { id status captured { amount } order { status } } userErrors { code } } }",
        o=order["id"],
    )
    payment = body["data"]["payOrder"]["payment"]
    assert payment["status"] == "authorized"
    assert payment["captured"]["amount"] == 0
    assert payment["order"]["status"] == "PENDING"
    cancel = await client.post(f"/v1/orders/{order['id']}/cancel")
    assert cancel.status_code == 409  # money is held: refund or capture first
    captured = await client.post(f"/v1/payments/{payment['id']}/capture")
    assert captured.json()["status"] == "succeeded"
    assert (await client.post(f"/v1/payments/{payment['id']}/capture")).status_code == 409
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "paid"
    await _check(services)


async def test_partial_and_full_refunds(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique, price=1000)
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    too_much = await client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 1001})
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["field"] == "amount"
    part = await client.post(
        f"/v1/payments/{payment['id']}/refunds", json={"amount": 300, "reason": "scratched"}
    )
    assert part.status_code == 201, part.text
    assert part.json()["status"] == "succeeded"
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "partially_refunded"
    rest = await client.post(f"/v1/payments/{payment['id']}/refunds", json={})
    assert rest.json()["amount"]["amount"] == 700
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "refunded"
    done = await client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 1})
    assert done.status_code == 409
    shown = (await client.get(f"/v1/payments/{payment['id']}")).json()
    assert shown["refunded"]["amount"] == 1000
    refunds = (await client.get(f"/v1/payments/{payment['id']}/refunds")).json()["data"]
    assert [r["amount"]["amount"] for r in refunds] == [300, 700]
    await _check(services)


async def test_concurrent_refunds_never_exceed_the_capture(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique, price=1000)
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    before = set(await sandbox_books(services, "refund"))
    responses = await asyncio.gather(
        *(
            client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 300})
            for _ in range(10)
        )
    )
    assert sorted(r.status_code for r in responses)[:3] == [201, 201, 201]
    assert sum(1 for r in responses if r.status_code == 201) == 3
    assert {r.status_code for r in responses} <= {201, 409, 422}
    refunded = await sandbox_books(services, "refund")
    new = set(refunded) - before
    assert sum(refunded[reference] for reference in new) == 900
    assert (await client.get(f"/v1/payments/{payment['id']}")).json()["refunded"]["amount"] == 900
    await _check(services)


async def test_refund_provider_failure_gives_the_money_back(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique)
    payment = (
        await client.post(
            f"/v1/orders/{order['id']}/payments", json={"source": "tok_refundUnavailable"}
        )
    ).json()
    failed = await client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 100})
    assert failed.status_code == 503
    shown = (await client.get(f"/v1/payments/{payment['id']}")).json()
    assert shown["refunded"]["amount"] == 0
    refunds = (await client.get(f"/v1/payments/{payment['id']}/refunds")).json()["data"]
    assert [r["status"] for r in refunds] == ["failed"]
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "paid"
    await _check(services)


async def test_bad_payment_input(client: httpx.AsyncClient, unique: str) -> None:
    order = await _order(client, unique)
    cases = [
        ({"source": "tok_nonsense"}, 422, "source"),
        ({}, 422, "source"),
        ({"source": "tok_visa", "amount": 0}, 422, "amount"),
        ({"source": "tok_visa", "amount": order["total"]["amount"] + 1}, 422, "amount"),
        ({"source": "tok_visa", "capture": "yes"}, 422, "capture"),
    ]
    for body, status, field in cases:
        response = await client.post(f"/v1/orders/{order['id']}/payments", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["errors"][0]["field"] == field
    assert (
        await client.post("/v1/orders/ord_GoVSUmvkI9Z/payments", json={"source": "tok_visa"})
    ).status_code == 404
    assert (await client.get(f"/v1/orders/{order['id']}/payments")).json()["data"] == []
    cancelled = await client.post(f"/v1/orders/{order['id']}/cancel")
    assert cancelled.status_code == 200
    late = await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    assert late.status_code == 409
    assert late.json()["current_status"] == "cancelled"


async def test_graphql_payments_and_refunds_are_batched(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, statements: Any
) -> None:
    customer = await _customer(client, unique)
    for _ in range(3):
        product = await _product(client, unique, 5)
        order = (
            await client.post(
                "/v1/orders",
                json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
            )
        ).json()
        payment = (
            await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
        ).json()
        body = await gql(
            "mutation($p: ID!, $k: String) { refundPayment(paymentId: $p, "
            "input: {amount: 100}, idempotencyKey: $k) "
            "{ refund { id amount { amount } payment { id } } userErrors { code } } }",
            p=payment["id"],
            k=f"r-{uuid.uuid4()}",
        )
        assert body["data"]["refundPayment"]["refund"]["payment"]["id"] == payment["id"]
    query = (
        "query($c: ID!) { customer(id: $c) { orders(first: 10) { nodes { status "
        "payments { status captured { amount } refunds { amount { amount } } } } } } }"
    )
    statements.reset()
    body = await gql(query, c=customer)
    orders = body["data"]["customer"]["orders"]["nodes"]
    assert len(orders) == 3
    assert all(o["status"] == "PARTIALLY_REFUNDED" for o in orders)
    assert all(o["payments"][0]["refunds"][0]["amount"]["amount"] == 100 for o in orders)
    # customer, orders page, payments, refunds; plus the audit trail's record of a third
    # party reading customer data (an INSERT, and BEGIN on SQLite)
    selects = [s for s in statements.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4, statements.statements


async def test_one_refund_key_many_requests_one_refund(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    order = await _order(client, unique, price=1000)
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    key = {"Idempotency-Key": f"refund-{uuid.uuid4()}"}
    before = set(await sandbox_books(services, "refund"))
    responses = await asyncio.gather(
        *(
            client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 400}, headers=key)
            for _ in range(20)
        )
    )
    assert {r.status_code for r in responses} <= {201, 409}, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses if r.status_code == 201}) == 1
    assert len(set(await sandbox_books(services, "refund")) - before) == 1
    shown = (await client.get(f"/v1/payments/{payment['id']}")).json()
    assert shown["refunded"]["amount"] == 400
    await _check(services)


async def test_refunds_are_resources_and_nodes_follow_their_order(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    """Issue 9.14: a refund's `Location` named no route, `node(id:)` missed refunds, and a
    customer's own payment was null through `node(id:)` but readable through REST."""
    order = await _order(client, unique)
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    refunded = await client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 100})
    shown = await client.get(refunded.headers["location"])
    assert shown.status_code == 200, shown.text
    assert shown.json() == refunded.json()
    token = (await client.post(f"/v1/customers/{order['customer_id']}/tokens")).json()
    own = {"Authorization": f"Bearer {token['access_token']}"}
    query = (
        "query($ids: [ID!]!) { nodes(ids: $ids) { id "
        "... on Payment { status } ... on Refund { amount { amount } } } }"
    )
    for http in (client, anonymous):
        body = (
            await http.post(
                "/graphql",
                json={"query": query, "variables": {"ids": [payment["id"], refunded.json()["id"]]}},
                headers=own if http is anonymous else None,
            )
        ).json()
        assert body["data"]["nodes"] == [
            {"id": payment["id"], "status": "succeeded"},
            {"id": refunded.json()["id"], "amount": {"amount": 100}},
        ], body
    other = await _customer(client, f"{unique}-other")
    stranger = (await client.post(f"/v1/customers/{other}/tokens")).json()["access_token"]
    body = (
        await anonymous.post(
            "/graphql",
            json={"query": query, "variables": {"ids": [payment["id"], refunded.json()["id"]]}},
            headers={"Authorization": f"Bearer {stranger}"},
        )
    ).json()
    assert body["data"]["nodes"] == [None, None]
    hidden = await anonymous.get(
        refunded.headers["location"], headers={"Authorization": f"Bearer {stranger}"}
    )
    assert hidden.status_code == 404

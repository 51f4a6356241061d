"""Placing, cancelling and fulfilling orders, with real concurrent requests."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from shopgraph.context import Services

from .conftest import GraphQL
from .invariants import assert_stock_invariants

PLACE = """
mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id number status total { amount currency } lines { quantity unitPrice { amount } } }
    userErrors { field code message }
  }
}"""


async def _product(
    client: httpx.AsyncClient, unique: str, stock: int, price: int = 500, currency: str = "USD"
) -> str:
    product = await client.post(
        "/v1/products",
        json={
            "sku": f"O-{unique}-{random.random()}",
            "name": "Stocked",
            "price": {"amount": price, "currency": currency},
        },
    )
    assert product.status_code == 201, product.text
    product_id: str = product.json()["id"]
    if stock:
        receipt = await client.post(
            f"/v1/products/{product_id}/inventory/adjustments",
            json={"delta": stock, "reason": "test stock", "kind": "receipt"},
        )
        assert receipt.status_code == 201, receipt.text
    return product_id


async def _customer(client: httpx.AsyncClient, unique: str) -> str:
    response = await client.post(
        "/v1/customers",
        json={"email": f"buyer.{unique}.{random.random()}@example.com", "name": "Buyer"},
    )
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["id"]
    return customer_id


async def _available(client: httpx.AsyncClient, product_id: str) -> int:
    level: dict[str, Any] = (await client.get(f"/v1/products/{product_id}/inventory")).json()
    assert level["available"] == level["on_hand"] - level["reserved"]
    return int(level["available"])


async def test_place_order_prices_from_the_catalog(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    mug = await _product(client, unique, 10, price=1250)
    pot = await _product(client, unique, 10, price=4000)
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={
            "customer_id": customer,
            "lines": [{"product_id": mug, "quantity": 3}, {"product_id": pot, "quantity": 1}],
        },
    )
    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert order["status"] == "pending"
    assert order["total"] == {"amount": 3 * 1250 + 4000, "currency": "USD"}
    assert [
        (line["quantity"], line["unit_price"]["amount"], line["line_total"]["amount"])
        for line in order["lines"]
    ] == [(3, 1250, 3750), (1, 4000, 4000)]
    # A later price change leaves the order as it was placed.
    await client.patch(f"/v1/products/{mug}", json={"price": {"amount": 9999, "currency": "USD"}})
    again = (await client.get(f"/v1/orders/{order['id']}")).json()
    assert again["total"] == order["total"]
    assert again["lines"] == order["lines"]
    assert await _available(client, mug) == 7
    assert await _available(client, pot) == 9
    await assert_stock_invariants(services)


@pytest.mark.parametrize(
    ("lines", "status", "field", "code"),
    [
        ([], 422, "lines", "INVALID"),
        ([{"product_id": "prod_nope", "quantity": 1}], 422, "lines.0.product_id", "NOT_FOUND"),
        ([{"product_id": "PRODUCT", "quantity": 0}], 422, "lines.0.quantity", "OUT_OF_RANGE"),
        ([{"product_id": "PRODUCT", "quantity": "2"}], 422, "lines.0.quantity", "INVALID"),
        (
            [{"product_id": "PRODUCT", "quantity": 1}, {"product_id": "PRODUCT", "quantity": 1}],
            422,
            "lines.1.product_id",
            "INVALID",
        ),
        (
            [{"product_id": "PRODUCT", "quantity": 1}, {"product_id": "EURO", "quantity": 1}],
            422,
            "lines",
            "INVALID",
        ),
        (
            [{"product_id": "PRODUCT", "quantity": 1}, {"product_id": "EMPTY", "quantity": 1}],
            409,
            "lines.1.quantity",
            "INSUFFICIENT_INVENTORY",
        ),
    ],
)
async def test_bad_orders_reserve_nothing(
    client: httpx.AsyncClient,
    unique: str,
    services: Services,
    lines: list[dict[str, Any]],
    status: int,
    field: str,
    code: str,
) -> None:
    ids = {
        "PRODUCT": await _product(client, unique, 5),
        "EURO": await _product(client, unique, 5, currency="EUR"),
        "EMPTY": await _product(client, unique, 0),
    }
    customer = await _customer(client, unique)
    body = {
        "customer_id": customer,
        "lines": [
            {**line, "product_id": ids.get(line["product_id"], line["product_id"])}
            for line in lines
        ],
    }
    before = len((await client.get("/v1/orders", params={"customer_id": customer})).json()["data"])
    response = await client.post("/v1/orders", json=body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ], problem
    assert await _available(client, ids["PRODUCT"]) == 5
    assert (
        len((await client.get("/v1/orders", params={"customer_id": customer})).json()["data"])
        == before
    )
    await assert_stock_invariants(services)


async def test_unknown_customer_is_a_validation_error(
    client: httpx.AsyncClient, unique: str
) -> None:
    product = await _product(client, unique, 1)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": "cus_GoVSUmvkI9Z", "lines": [{"product_id": product, "quantity": 1}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer_id"


async def test_thirty_buyers_five_units(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services
) -> None:
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    body = {"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]}
    rest = [client.post("/v1/orders", json=body) for _ in range(15)]
    graphql = [
        gql(PLACE, input={"customerId": customer, "lines": [{"productId": product, "quantity": 1}]})
        for _ in range(15)
    ]
    rest_results, graphql_results = await asyncio.gather(
        asyncio.gather(*rest), asyncio.gather(*graphql)
    )
    placed = [r for r in rest_results if r.status_code == 201]
    refused = [r for r in rest_results if r.status_code == 409]
    assert len(placed) + len(refused) == 15, [r.text for r in rest_results]
    assert all(r.json()["code"] == "INSUFFICIENT_INVENTORY" for r in refused)
    graphql_placed = [r for r in graphql_results if r["data"]["placeOrder"]["order"]]
    assert all(
        r["data"]["placeOrder"]["userErrors"][0]["code"] == "INSUFFICIENT_INVENTORY"
        for r in graphql_results
        if not r["data"]["placeOrder"]["order"]
    )
    assert len(placed) + len(graphql_placed) == 5
    assert await _available(client, product) == 0
    await assert_stock_invariants(services)


async def test_multi_line_orders_contending_in_any_order(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    """Orders listing the same products in different orders: no deadlock reaches a client."""
    products = [await _product(client, unique, 6) for _ in range(4)]
    customer = await _customer(client, unique)
    rng = random.Random(5)
    bodies: list[dict[str, Any]] = []
    for _ in range(24):
        chosen = rng.sample(products, k=3)
        bodies.append(
            {"customer_id": customer, "lines": [{"product_id": p, "quantity": 1} for p in chosen]}
        )
    responses = await asyncio.gather(*(client.post("/v1/orders", json=body) for body in bodies))
    assert {r.status_code for r in responses} <= {201, 409}, [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    placed = [body for body, r in zip(bodies, responses, strict=True) if r.status_code == 201]
    for product in products:
        units = sum(1 for body in placed for line in body["lines"] if line["product_id"] == product)
        assert units <= 6
        assert await _available(client, product) == 6 - units
    assert placed, "some orders must get through"
    await assert_stock_invariants(services)


async def test_cancel_releases_stock_once(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    product = await _product(client, unique, 4)
    customer = await _customer(client, unique)
    order = (
        await client.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 3}]},
        )
    ).json()
    assert await _available(client, product) == 1
    responses = await asyncio.gather(
        *(client.post(f"/v1/orders/{order['id']}/cancel") for _ in range(8))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 7, [r.text for r in responses]
    conflict = next(r.json() for r in responses if r.status_code == 409)
    assert conflict["current_status"] == "cancelled"
    assert await _available(client, product) == 4
    assert (await client.get(f"/v1/orders/{order['id']}")).json()["status"] == "cancelled"
    await assert_stock_invariants(services)


async def test_illegal_transitions_are_conflicts(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    product = await _product(client, unique, 2)
    customer = await _customer(client, unique)
    order = (
        await client.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        )
    ).json()
    response = await client.post(f"/v1/orders/{order['id']}/fulfill")
    assert response.status_code == 409
    assert response.json()["current_status"] == "pending"
    body = await gql(
        "mutation($id: ID!) { fulfillOrder(id: $id) { order { id } userErrors { code message } } }",
        id=order["id"],
    )
    assert body["data"]["fulfillOrder"]["userErrors"][0]["code"] == "CONFLICT"
    assert (await client.post("/v1/orders/ord_GoVSUmvkI9Z/cancel")).status_code == 404


async def test_adjustments_never_take_stock_below_reserved(
    client: httpx.AsyncClient, gql: GraphQL, unique: str, services: Services
) -> None:
    product = await _product(client, unique, 10)
    customer = await _customer(client, unique)
    await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 4}]},
    )
    removals = await asyncio.gather(
        *(
            client.post(
                f"/v1/products/{product}/inventory/adjustments",
                json={"delta": -2, "reason": "damaged"},
            )
            for _ in range(6)
        )
    )
    assert sorted(r.status_code for r in removals) == [201] * 3 + [409] * 3
    assert await _available(client, product) == 0
    bad = await gql(
        "mutation($p: ID!) { adjustInventory(productId: $p, input: {delta: 0, reason: "
        '"x"}) { userErrors { field code } } }',
        p=product,
    )
    assert bad["data"]["adjustInventory"]["userErrors"] == [{"field": "delta", "code": "INVALID"}]
    receipt = await client.post(
        f"/v1/products/{product}/inventory/adjustments",
        json={"delta": -1, "reason": "x", "kind": "receipt"},
    )
    assert receipt.status_code == 422
    await assert_stock_invariants(services)


async def test_low_stock_threshold(client: httpx.AsyncClient, gql: GraphQL, unique: str) -> None:
    product = await _product(client, unique, 5)
    level = (
        await client.patch(f"/v1/products/{product}/inventory", json={"low_stock_threshold": 5})
    ).json()
    assert level["low_stock"] is True
    assert level["low_stock_threshold"] == 5
    await client.post(
        f"/v1/products/{product}/inventory/adjustments", json={"delta": 1, "reason": "restock"}
    )
    body = await gql(
        "query($id: ID!) { product(id: $id) "
        "{ inventory { available lowStock lowStockThreshold } } }",
        id=product,
    )
    assert body["data"]["product"]["inventory"] == {
        "available": 6,
        "lowStock": False,
        "lowStockThreshold": 5,
    }


async def test_ledger_lists_every_movement(client: httpx.AsyncClient, unique: str) -> None:
    product = await _product(client, unique, 3)
    customer = await _customer(client, unique)
    order = (
        await client.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 2}]},
        )
    ).json()
    await client.post(f"/v1/orders/{order['id']}/cancel")
    movements = (await client.get(f"/v1/products/{product}/inventory/movements")).json()["data"]
    assert [
        (m["kind"], m["on_hand_delta"], m["reserved_delta"], m["order_id"]) for m in movements
    ] == [
        ("receipt", 3, 0, None),
        ("reservation", 0, 2, order["id"]),
        ("release", 0, -2, order["id"]),
    ]

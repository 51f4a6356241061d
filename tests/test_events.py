"""Events: written with the change that caused them, carrying the resource as REST renders it
(issue 12). Every write that reports an event is driven here on both databases."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.db.models import events
from shopgraph.events.catalog import EVENT_TYPES
from shopgraph.events.outbox import emit
from shopgraph.settings import Settings

from .conftest import GraphQL, bearer
from .test_orders import _customer, _product


async def _events_of(client: httpx.AsyncClient, object_id: str) -> list[dict[str, Any]]:
    response = await client.get("/v1/events", params={"object_id": object_id, "limit": 100})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    assert all(event["data"]["object"]["id"] == object_id for event in found)
    return found


async def _types_of(client: httpx.AsyncClient, object_id: str) -> list[str]:
    return [event["type"] for event in await _events_of(client, object_id)]


async def _last(client: httpx.AsyncClient, object_id: str, type: str) -> dict[str, Any]:
    found = [e for e in await _events_of(client, object_id) if e["type"] == type]
    assert found, f"no {type} event for {object_id}"
    return found[-1]


async def _as_rest_renders_it(client: httpx.AsyncClient, path: str, event: dict[str, Any]) -> None:
    """The event carries the resource exactly as GET renders it (the state it was left in)."""
    current = await client.get(path)
    assert current.status_code == 200, current.text
    assert event["data"]["object"] == current.json()


async def _order(client: httpx.AsyncClient, unique: str, product: str, quantity: int = 1) -> str:
    customer = await _customer(client, unique)
    response = await client.post(
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": quantity}]},
    )
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


async def test_the_life_of_an_order_is_told_in_events(
    client: httpx.AsyncClient, unique: str
) -> None:
    product = await _product(client, unique, 10, price=700)
    order = await _order(client, unique, product, quantity=2)
    await _as_rest_renders_it(
        client, f"/v1/orders/{order}", await _last(client, order, "order.created")
    )
    declined = await client.post(
        f"/v1/orders/{order}/payments", json={"source": "tok_chargeDeclined"}
    )
    assert declined.status_code == 402
    failed_payment = declined.json()["payment_id"]
    assert await _types_of(client, failed_payment) == ["payment.failed"]
    paid = await client.post(f"/v1/orders/{order}/payments", json={"source": "tok_visa"})
    assert paid.status_code == 201, paid.text
    payment = paid.json()["id"]
    assert await _types_of(client, order) == ["order.created", "order.paid"]
    await _as_rest_renders_it(
        client, f"/v1/orders/{order}", await _last(client, order, "order.paid")
    )
    fulfilled = await client.post(f"/v1/orders/{order}/fulfill")
    assert fulfilled.status_code == 200, fulfilled.text
    await _as_rest_renders_it(
        client, f"/v1/orders/{order}", await _last(client, order, "order.fulfilled")
    )
    assert await _types_of(client, payment) == ["payment.succeeded"]
    refunded = await client.post(f"/v1/payments/{payment}/refunds", json={"amount": 300})
    assert refunded.status_code == 201, refunded.text
    refund = refunded.json()["id"]
    assert await _types_of(client, refund) == ["refund.created", "refund.succeeded"]
    await _as_rest_renders_it(
        client, f"/v1/refunds/{refund}", await _last(client, refund, "refund.succeeded")
    )
    created = await _last(client, refund, "refund.created")
    assert created["data"]["object"]["status"] == "processing"
    assert created["request_id"] == refunded.headers["x-request-id"]
    # The payment event is the payment as it was then: before its refund.
    succeeded = (await _events_of(client, payment))[0]["data"]["object"]
    assert (succeeded["status"], succeeded["refunded"]["amount"]) == ("succeeded", 0)

    other = await _order(client, unique, product)
    assert (await client.post(f"/v1/orders/{other}/cancel")).status_code == 200
    assert await _types_of(client, other) == ["order.created", "order.cancelled"]
    await _as_rest_renders_it(
        client, f"/v1/orders/{other}", await _last(client, other, "order.cancelled")
    )


async def test_stock_falling_to_the_threshold_is_an_event_once(
    client: httpx.AsyncClient, unique: str
) -> None:
    product = await _product(client, unique, 10)
    settings = await client.patch(
        f"/v1/products/{product}/inventory", json={"low_stock_threshold": 4}
    )
    assert settings.status_code == 200, settings.text
    await _order(client, unique, product, quantity=5)  # 5 available: above 4
    assert await _types_of(client, product) == ["product.created"]
    await _order(client, unique, product, quantity=1)  # 4: low from now on
    low = await _last(client, product, "inventory.low_stock")
    assert low["data"]["object"]["inventory"]["available"] == 4
    await _order(client, unique, product, quantity=1)  # 3: still low, no news
    removed = await client.post(
        f"/v1/products/{product}/inventory/adjustments",
        json={"delta": -1, "reason": "broken", "kind": "adjustment"},
    )
    assert removed.status_code == 201, removed.text
    assert await _types_of(client, product) == ["product.created", "inventory.low_stock"]
    restocked = await client.post(
        f"/v1/products/{product}/inventory/adjustments",
        json={"delta": 10, "reason": "restock", "kind": "receipt"},
    )
    assert restocked.status_code == 201, restocked.text
    removed = await client.post(  # 12 available, then 3: low again
        f"/v1/products/{product}/inventory/adjustments",
        json={"delta": -9, "reason": "recount", "kind": "adjustment"},
    )
    assert removed.status_code == 201, removed.text
    assert (await _types_of(client, product)).count("inventory.low_stock") == 2
    await _as_rest_renders_it(
        client, f"/v1/products/{product}", await _last(client, product, "inventory.low_stock")
    )


async def test_product_edits_are_events(client: httpx.AsyncClient, unique: str) -> None:
    product = await _product(client, unique, 0, price=900)
    await _as_rest_renders_it(
        client, f"/v1/products/{product}", await _last(client, product, "product.created")
    )
    changed = await client.patch(f"/v1/products/{product}", json={"name": "Renamed"})
    assert changed.status_code == 200, changed.text
    updated = await _last(client, product, "product.updated")
    await _as_rest_renders_it(client, f"/v1/products/{product}", updated)
    assert updated["data"]["object"]["name"] == "Renamed"
    as_it_was = (await client.get(f"/v1/products/{product}")).json()
    assert (await client.delete(f"/v1/products/{product}")).status_code == 204
    deleted = await _last(client, product, "product.deleted")
    assert deleted["data"]["object"] == as_it_was
    assert (await client.delete(f"/v1/products/{product}")).status_code == 404
    assert await _types_of(client, product) == [
        "product.created",
        "product.updated",
        "product.deleted",
    ]


async def _count(services: Services) -> int:
    async with services.database.connect() as db:
        return int((await db.execute(select(func.count()).select_from(events))).scalar_one())


async def test_a_write_that_rolls_back_leaves_no_event(
    client: httpx.AsyncClient, unique: str, services: Services
) -> None:
    product = await _product(client, unique, 1)
    customer = await _customer(client, unique)
    before = await _count(services)
    short = await client.post(  # the order is inserted, then its stock is short: rolled back
        "/v1/orders",
        json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 2}]},
    )
    assert short.status_code == 409, short.text
    sku = (await client.get(f"/v1/products/{product}")).json()["sku"]
    clash = await client.post(
        "/v1/products", json={"sku": sku, "name": "Twin", "price": {"amount": 1, "currency": "USD"}}
    )
    assert clash.status_code == 409, clash.text
    stale = await client.patch(
        f"/v1/products/{product}", json={"name": "Stale"}, headers={"If-Match": '"999"'}
    )
    assert stale.status_code == 412, stale.text
    assert await _count(services) == before
    assert await _types_of(client, product) == ["product.created"]


async def test_an_event_is_invisible_until_its_change_commits(
    client: httpx.AsyncClient, services: Services, unique: str
) -> None:
    object_id = f"prod_{unique}"[:30]
    committing = asyncio.Event()
    seen_inside: list[list[dict[str, Any]]] = []

    async def write() -> None:
        async with services.database.transaction() as db:
            await emit(db, "product.updated", {"id": object_id}, request_id=None)
            seen_inside.append(await _events_of(client, object_id))
            committing.set()

    await write()
    assert committing.is_set()
    assert seen_inside == [[]]
    after = await _events_of(client, object_id)
    assert [e["type"] for e in after] == ["product.updated"]

    async def failing_write() -> None:
        async with services.database.transaction() as db:
            await emit(db, "product.deleted", {"id": object_id}, request_id=None)
            raise RuntimeError("the change fails after its event was written")

    with pytest.raises(RuntimeError):
        await failing_write()
    assert [e["type"] for e in await _events_of(client, object_id)] == ["product.updated"]


async def test_listing_filters_and_reading_one(client: httpx.AsyncClient, unique: str) -> None:
    product = await _product(client, unique, 10)
    order = await _order(client, unique, product)
    orders_only = await client.get(
        "/v1/events", params={"type": "order.*", "limit": 100, "direction": "desc"}
    )
    assert orders_only.status_code == 200, orders_only.text
    types = {e["type"] for e in orders_only.json()["data"]}
    assert types
    assert all(t.startswith("order.") for t in types)
    created = (await _events_of(client, order))[0]
    one = await client.get(f"/v1/events/{created['id']}")
    assert one.status_code == 200, one.text
    assert one.json() == created
    assert created["id"].startswith("event_")
    for bad in ("order.shipped", "nope.*", "x" * 300):
        refused = await client.get("/v1/events", params={"type": bad})
        assert refused.status_code in (400, 422), refused.text
        assert refused.json()["code"] == "VALIDATION_FAILED"
    assert (await client.get("/v1/events/event_nope")).status_code == 404
    assert (await client.get("/v1/events/prod_nope")).status_code == 404


async def test_events_need_webhooks_read(app: Any, settings: Settings) -> None:
    catalog = Principal("api_key", "key_catalog", frozenset({"products:write"}), "standard")
    reader = Principal("api_key", "key_events", frozenset({"webhooks:read"}), "standard")
    transport = httpx.ASGITransport(app=app)
    for principal, status in ((catalog, 403), (reader, 200)):
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=bearer(settings, principal)
        ) as http:
            assert (await http.get("/v1/events")).status_code == status
            body = (
                await http.post("/graphql", json={"query": "{ events { nodes { id } } }"})
            ).json()
            assert ("errors" in body) == (status == 403), body


async def test_graphql_serves_the_same_events(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    product = await _product(client, unique, 3)
    rest = await _events_of(client, product)
    body = await gql(
        "query($id: ID!) { events(objectId: $id, first: 10) { nodes { id type createdAt "
        "objectType objectId requestId data } } }",
        id=product,
    )
    assert "errors" not in body, body
    nodes = body["data"]["events"]["nodes"]
    assert [n["id"] for n in nodes] == [e["id"] for e in rest]
    assert [n["data"] for n in nodes] == [e["data"] for e in rest]
    assert {n["objectType"] for n in nodes} == {"Product"}
    one = await gql("query($id: ID!) { event(id: $id) { type } }", id=rest[0]["id"])
    assert one["data"]["event"]["type"] == "product.created"


def test_every_type_names_a_resource_the_api_serves() -> None:
    assert {t.object_type for t in EVENT_TYPES.values()} == {
        "Order",
        "Payment",
        "Refund",
        "Product",
        "WebhookEndpoint",
    }
    assert all(name.count(".") == 1 and name == name.lower() for name in EVENT_TYPES)

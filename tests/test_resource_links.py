"""Every REST resource carries its own `url` and its neighbours' (`*_url`) since version
2026-12-06 (issue 13): each one is followed here and must lead where it says. Consumers on
2026-12-01 see none of them."""

from __future__ import annotations

from typing import Any

import httpx

from shopgraph.versioning import FIRST, HEADER
from shopgraph.versioning.changes import LINKS

from .test_orders import _customer, _product


async def _get(client: httpx.AsyncClient, url: str, **headers: str) -> Any:
    assert url.startswith("/v1/"), url
    answer = await client.get(url, headers=headers)
    assert answer.status_code == 200, (url, answer.text)
    return answer.json()


def _listed(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["data"]]


async def test_every_url_a_resource_carries_leads_where_it_says(
    client: httpx.AsyncClient, unique: str
) -> None:
    category = (await client.post("/v1/categories", json={"name": f"Linked {unique}"})).json()
    product_id = await _product(client, unique, 5)
    moved = await client.patch(f"/v1/products/{product_id}", json={"category_id": category["id"]})
    assert moved.status_code == 200, moved.text
    customer_id = await _customer(client, unique)
    lines = [{"product_id": product_id, "quantity": 1}]
    made = await client.post("/v1/orders", json={"customer_id": customer_id, "lines": lines})
    assert made.status_code == 201, made.text
    order = made.json()
    payment = (
        await client.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    ).json()
    refund = (await client.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 1})).json()
    product = await _get(client, f"/v1/products/{product_id}")
    customer = await _get(client, f"/v1/customers/{customer_id}")
    order = await _get(client, order["url"])
    payment = await _get(client, payment["url"])

    for object_type, resource in (
        ("Category", category),
        ("Product", product),
        ("Customer", customer),
        ("Order", order),
        ("Payment", payment),
        ("Refund", refund),
    ):
        assert LINKS[object_type] <= resource.keys(), object_type
        assert await _get(client, resource["url"]) == resource  # itself, as it is now

    assert product["id"] in _listed(await _get(client, category["products_url"]))
    assert (await _get(client, product["category_url"]))["id"] == category["id"]
    assert (await _get(client, product["inventory_url"]))["on_hand"] == 5
    assert _listed(await _get(client, customer["orders_url"])) == [order["id"]]
    assert (await _get(client, order["customer_url"]))["id"] == customer_id
    assert _listed(await _get(client, order["payments_url"])) == [payment["id"]]
    assert (await _get(client, payment["order_url"]))["id"] == order["id"]
    assert _listed(await _get(client, payment["refunds_url"])) == [refund["id"]]
    assert (await _get(client, refund["payment_url"]))["id"] == payment["id"]

    uncategorised = await _get(client, f"/v1/products/{await _product(client, unique, 0)}")
    assert uncategorised["category_url"] is None


def _urls_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        here = [key for key in value if key == "url" or key.endswith("_url")]
        return here + [found for item in value.values() for found in _urls_in(item)]
    if isinstance(value, list):
        return [found for item in value for found in _urls_in(item)]
    return []


async def test_the_first_version_carries_no_urls(client: httpx.AsyncClient, unique: str) -> None:
    product_id = await _product(client, unique, 2)
    customer_id = await _customer(client, unique)
    lines = [{"product_id": product_id, "quantity": 1}]
    order = (
        await client.post("/v1/orders", json={"customer_id": customer_id, "lines": lines})
    ).json()
    old = {HEADER: FIRST}
    for path in (
        "/v1/products?limit=5",
        f"/v1/products/{product_id}",
        "/v1/categories?limit=5",
        f"/v1/customers/{customer_id}",
        f"/v1/orders/{order['id']}",
        f"/v1/orders?customer_id={customer_id}",
        f"/v1/events?object_id={order['id']}",
    ):
        assert _urls_in(await _get(client, path, **old)) == [], path
        assert _urls_in(await _get(client, path)), path  # the current version has them

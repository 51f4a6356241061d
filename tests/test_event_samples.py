"""docs/webhook-events.md shows one sample event per type; here a scenario makes them all
for real and checks that every sample has the shape the API sends today (the same fields,
all the way down), so the catalogue cannot drift from the code.

To write the samples again from the scenario: SHOPGRAPH_UPDATE_SNAPSHOTS=1 ./dev test
tests/test_event_samples.py (ids, times and names come out normalised).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import httpx
import orjson

from shopgraph.context import Services
from shopgraph.events.catalog import EVENT_TYPES

from .webhook_helpers import Receiver, deliver_due, make_endpoint, serving, stop_listening

SAMPLES = Path(__file__).parent.parent / "docs" / "webhook-events.md"
UPDATE = os.environ.get("SHOPGRAPH_UPDATE_SNAPSHOTS") == "1"
SAMPLE = re.compile(r"^### `([a-z_.]+)`\n.*?^```json\n(.*?)\n```", re.M | re.S)


async def _scenario(shop: httpx.AsyncClient, unique: str) -> None:
    """Every event type, by the API's own routes (and a receiver answering 410)."""

    async def ok(response: httpx.Response) -> dict[str, Any]:
        assert response.status_code < 300, response.text
        return response.json() if response.content else {}

    async def product(name: str, stock: int) -> str:
        made = await ok(
            await shop.post(
                "/v1/products",
                json={
                    "sku": f"{name.upper()}-{unique}",
                    "name": name.title(),
                    "price": {"amount": 1250, "currency": "USD"},
                },
            )
        )
        if stock:
            await ok(
                await shop.post(
                    f"/v1/products/{made['id']}/inventory/adjustments",
                    json={"delta": stock, "reason": "first delivery", "kind": "receipt"},
                )
            )
        return str(made["id"])

    mug = await product("mug", 5)
    await ok(await shop.patch(f"/v1/products/{mug}", json={"description": "Stoneware, 350 ml"}))
    await ok(await shop.patch(f"/v1/products/{mug}/inventory", json={"low_stock_threshold": 3}))
    customer = await ok(
        await shop.post(
            "/v1/customers", json={"email": f"ada.{unique}@example.com", "name": "Ada Lovelace"}
        )
    )
    lines = [{"product_id": mug, "quantity": 2}]
    order = await ok(
        await shop.post("/v1/orders", json={"customer_id": customer["id"], "lines": lines})
    )
    declined = await shop.post(
        f"/v1/orders/{order['id']}/payments", json={"source": "tok_chargeDeclined"}
    )
    assert declined.status_code == 402
    payment = await ok(
        await shop.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"})
    )
    await ok(await shop.post(f"/v1/orders/{order['id']}/fulfill"))
    await ok(await shop.post(f"/v1/payments/{payment['id']}/refunds", json={"amount": 1250}))
    other = await ok(
        await shop.post("/v1/orders", json={"customer_id": customer["id"], "lines": lines})
    )
    await ok(await shop.post(f"/v1/orders/{other['id']}/cancel"))
    await ok(await shop.delete(f"/v1/products/{await product('teapot', 0)}"))


def _shape(value: Any) -> Any:
    """The fields of a JSON value all the way down (the first item stands for a list)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__ if value is not None else None


def _normalised(event: dict[str, Any], unique: str) -> dict[str, Any]:
    """Ids, times and this run's names as a reader would like to see them."""
    text = orjson.dumps(event, option=orjson.OPT_INDENT_2).decode().replace(unique, "1042")

    def fake_id(match: re.Match[str]) -> str:
        digest = hashlib.sha256(match[0].encode()).digest()
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
        return match[1] + "".join(alphabet[b % len(alphabet)] for b in digest[:11])

    text = re.sub(r'(?<=: ")([a-z]+_)[A-Za-z0-9]{8,}(?=")', fake_id, text)
    text = re.sub(r'"http://127\.0\.0\.1:\d+/hook"', '"https://hooks.partner.example/shop"', text)
    text = re.sub(r'"\d{4}-\d\d-\d\dT[\d:.]+Z"', '"2026-12-05T22:41:07.120833Z"', text)
    text = re.sub(
        r'"request_id": "[0-9a-f]+"', '"request_id": "5ad46a9d3c6e39040000000000000007"', text
    )
    return dict(orjson.loads(text))


def _document(samples: dict[str, dict[str, Any]]) -> str:
    parts = [
        "# Sample events\n\n"
        "One event of each type, as `GET /v1/events/{id}` and a webhook delivery carry it "
        "(docs/webhooks.md explains the envelope). Made by a real scenario and checked "
        "against the code by `tests/test_event_samples.py`: the fields are those the API "
        "sends; ids, times and names are examples.\n"
    ]
    for type, event in samples.items():
        body = orjson.dumps(event, option=orjson.OPT_INDENT_2).decode()
        parts.append(f"### `{type}`\n\n{EVENT_TYPES[type].description}\n\n```json\n{body}\n```\n")
    return "\n".join(parts)


async def test_every_type_has_a_sample_shaped_as_the_api_sends_it(
    shop: httpx.AsyncClient, lenient: Services, unique: str
) -> None:
    async with serving(Receiver(status=410)) as gone:
        leaving = await make_endpoint(shop, gone.url, event_types=["product.created"])
        try:
            await _scenario(shop, unique)
            await deliver_due(lenient)  # answered 410: the endpoint is disabled
        finally:
            await stop_listening(shop, leaving)
    listed = await shop.get("/v1/events", params={"limit": 100, "direction": "desc"})
    live: dict[str, dict[str, Any]] = {}
    for event in listed.json()["data"]:
        live.setdefault(event["type"], event)  # the newest of each type: this scenario's
    missing = set(EVENT_TYPES) - set(live)
    assert missing <= {"refund.failed"}, missing  # the provider refusing needs a crash
    if "refund.failed" not in live:  # same resource, as a refund the provider refused
        refund = live["refund.succeeded"]
        failed = {
            **refund["data"]["object"],
            "status": "failed",
            "failure_code": "provider_refused",
        }
        live["refund.failed"] = {
            **refund,
            "id": refund["id"][:-1] + ("x" if refund["id"][-1] != "x" else "y"),  # another event
            "type": "refund.failed",
            "data": {"object": failed},
        }
    if UPDATE:
        SAMPLES.write_text(_document({t: _normalised(live[t], unique) for t in EVENT_TYPES}))
    documented = {type: orjson.loads(body) for type, body in SAMPLE.findall(SAMPLES.read_text())}
    assert list(documented) == list(EVENT_TYPES), "one sample per type, in catalogue order"
    for type, sample in documented.items():
        assert sample["type"] == type
        assert _shape(sample) == _shape(live[type]), f"{type}: the sample has drifted"

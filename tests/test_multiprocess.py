"""The write path across real server processes: two uvicorn workers, one database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from shopgraph.context import Services

from .invariants import assert_stock_invariants
from .servers import Server, serving


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    """`shopgraph serve --workers 2` on the test database."""
    with serving(database_url, "--workers", "2") as running:
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

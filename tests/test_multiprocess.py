"""The write path across real server processes: two uvicorn workers, one database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from shopgraph.context import Services

from .invariants import assert_stock_invariants
from .test_cli import _free_port


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    """`shopgraph serve --workers 2` on the test database."""
    port = _free_port()
    env = {
        **os.environ,
        "SHOPGRAPH_DATABASE_URL": database_url,
        "SHOPGRAPH_LOG_LEVEL": "warning",
        "SHOPGRAPH_SECRET_KEY": "test-secret",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "shopgraph.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=30)


async def test_thirty_buyers_five_units_across_two_processes(
    server: str, services: Services, unique: str
) -> None:
    limits = httpx.Limits(max_connections=30)
    async with httpx.AsyncClient(base_url=server, limits=limits, timeout=30) as http:
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

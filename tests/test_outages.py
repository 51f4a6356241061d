"""Outages and overload look the same to every client: 503 with Retry-After, fast, in the
surface's own format, never a 500 or a hung request (issue 9.6, 9.7, 9.9).

An unreachable database (nothing listens at its address), a row lock held by another
session, and a pool whose connections are all taken are each made real here; a server
process whose database is cut mid-load is in test_fault_injection.py.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from sqlalchemy import text

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.engine import Database, Limits
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer, client_of
from .servers import free_port
from .test_orders import _customer, _product

PROBLEM_JSON = "application/problem+json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
PRODUCTS = "{ products(first: 2) { nodes { id } } }"


def _unavailable(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) >= 1
    body: dict[str, Any] = response.json()
    return body


def _client(settings: Settings, database: Database) -> Any:
    """A client (without credentials) of the app over `database`."""
    return client_of(settings, Services(settings, database=database))


def _unreachable(settings: Settings) -> str:
    """A database URL of the same backend where nothing can be reached."""
    if settings.is_sqlite:
        return "sqlite+aiosqlite:////nonexistent-directory/shopgraph.db"
    return f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres"


async def test_an_unreachable_database_is_a_503_on_both_surfaces(settings: Settings) -> None:
    """Issue 9.6: text/plain 500s (authenticated), problem 500s (anonymous), GraphQL
    mutations 200 INTERNAL; now 503 SERVICE_UNAVAILABLE with Retry-After everywhere."""
    limits = Limits(connect_timeout=1, pool_timeout=1)
    database = Database(_unreachable(settings), limits=limits)
    async with _client(settings, database) as http:
        started = time.monotonic()
        admin = bearer(settings, ADMIN)
        anonymous = await http.get("/v1/products")
        body = _unavailable(anonymous)
        assert anonymous.headers["content-type"].startswith(PROBLEM_JSON)
        assert body["code"] == "SERVICE_UNAVAILABLE"
        keyed = await http.get("/v1/products", headers={"Authorization": "Bearer sg_abcdefgh_x"})
        assert _unavailable(keyed)["code"] == "SERVICE_UNAVAILABLE"  # authentication reads too
        for accept in ("application/json", GRAPHQL_RESPONSE):
            query = await http.post(
                "/graphql", json={"query": PRODUCTS}, headers={"accept": accept, **admin}
            )
            errors = _unavailable(query)["errors"]
            assert errors[0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        product = ids.encode("Product", 1)
        delete = f'mutation {{ deleteProduct(id: "{product}") {{ userErrors {{ code }} }} }}'
        mutation = await http.post("/graphql", json={"query": delete}, headers=admin)
        assert _unavailable(mutation)["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert time.monotonic() - started < 15  # every wait is bounded


async def test_a_held_row_lock_fails_a_write_within_the_lock_timeout(
    settings: Settings, client: httpx.AsyncClient, services: Services, unique: str
) -> None:
    """Issue 9.7: an order blocked on a row lock waited 44 s; now the lock timeout bounds it."""
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    database = Database(settings.database_url, limits=Limits(lock_timeout=1))
    holder = await services.database.engine.connect()
    try:
        if settings.is_sqlite:  # SQLite locks the whole database for a writer
            holder = await holder.execution_options(shopgraph_write=True)
            await holder.begin()  # BEGIN IMMEDIATE: the write lock, at once
        else:
            await holder.begin()
            await holder.execute(
                text("SELECT * FROM inventory_levels WHERE product_id = :p FOR UPDATE"),
                {"p": ids.decode("Product", product)},
            )
        async with _client(settings, database) as http:
            started = time.monotonic()
            response = await http.post(
                "/v1/orders",
                json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
                headers=bearer(settings, ADMIN),
            )
            waited = time.monotonic() - started
        body = _unavailable(response)
        assert "retry" in body["detail"]
        assert waited < 5, waited
    finally:
        await holder.rollback()
        await holder.close()


async def test_an_exhausted_pool_sheds_load_fast(settings: Settings) -> None:
    """Issue 9.7: 200 heavy requests on a pool of 2 queued 30-36 s and failed INTERNAL."""
    limits = Limits(pool_size=1, max_overflow=0, pool_timeout=0.5, max_waiting=3)
    database = Database(settings.database_url, limits=limits)
    async with _client(settings, database) as http:
        held = await database.checkout()  # every connection of the pool is taken
        try:
            started = time.monotonic()
            admin = bearer(settings, ADMIN)
            answers = await asyncio.gather(
                *(http.get("/v1/customers", headers=admin) for _ in range(20))
            )
            elapsed = time.monotonic() - started
        finally:
            await held.close()
        assert {r.status_code for r in answers} == {503}
        assert all(r.headers["retry-after"] for r in answers)
        assert elapsed < 3, elapsed  # shed at once, or after the 0.5 s pool timeout
        busy = [r.json()["detail"] for r in answers]
        assert any("too many requests are waiting" in detail for detail in busy)
        assert (await http.get("/v1/customers", headers=admin)).status_code == 200  # recovered

"""A request's reads take a pooled connection and give it back fit for the next request."""

from __future__ import annotations

from typing import Any

import httpx
from aiodataloader import DataLoader
from sqlalchemy import event

from shopgraph import registry
from shopgraph.context import Services
from shopgraph.loaders import Loaders
from shopgraph.pagination import CursorCodec


async def test_reads_reuse_the_pooled_connections(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Giving a read connection back must not discard it: SQLite's pool once tried to roll
    each one back outside SQLAlchemy's greenlet, failed, and opened a new one per request."""
    opened: list[Any] = []

    def on_connect(*_args: Any) -> None:
        opened.append(1)

    pool = services.database.engine.sync_engine.pool
    for _ in range(3):  # whatever the pool holds already, warm
        assert (await client.get("/v1/products", params={"limit": 2})).status_code == 200
    event.listen(pool, "connect", on_connect)
    try:
        for _ in range(20):
            response = await client.get("/v1/products", params={"limit": 2})
            assert response.status_code == 200, response.text
            body = await client.post(
                "/graphql", json={"query": "{ orders(first: 2) { nodes { id } } }"}
            )
            assert "errors" not in body.json(), body.text
    finally:
        event.remove(pool, "connect", on_connect)
    assert opened == []


async def test_loaders_set_every_attribute_dataloader_sets(services: Services) -> None:
    """`BatchLoader.__init__` sets aiodataloader's attributes itself (skipping its per
    instance `inspect` check): none may be missing, whatever version is installed."""

    async def batch(keys: list[int]) -> list[int]:
        return keys

    plain: DataLoader[int, int] = DataLoader(batch)
    reader = services.database.reader()
    try:
        ours = Loaders(reader, CursorCodec("test")).by_id(registry.PRODUCT)
        assert set(vars(plain)) - {"batch_load_fn"} <= set(vars(ours))
        assert ours.get_cache_key(7) == plain.get_cache_key(7) == 7
        assert ours.loop is plain.loop
    finally:
        await reader.close()

"""A request's reads take a pooled connection and give it back fit for the next request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from aiodataloader import DataLoader
from sqlalchemy import event, literal, select

from shopgraph import registry
from shopgraph.context import Services
from shopgraph.db.engine import Database, Limits
from shopgraph.errors import DatabaseUnavailable
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


async def _read_once(database: Database) -> None:
    reader = database.reader()
    try:
        await reader.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
    finally:
        await reader.close()


async def test_finished_reads_park_their_connections_for_the_next_reads(
    database_url: str,
) -> None:
    """On PostgreSQL a finished request's read connection waits for the next request
    (no pool round trip, ~18 us), never more than half the pool; on SQLite none waits."""
    database = Database(database_url, limits=Limits(pool_size=4))
    try:
        readers = [database.reader() for _ in range(4)]
        for reader in readers:  # four requests read at once: the whole pool
            await reader.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        for reader in readers:
            await reader.close()
        parked = len(database._parked)
        assert parked == (0 if database.is_sqlite else 2)
        pool = database.engine.sync_engine.pool
        assert pool.checkedout() == parked  # type: ignore[attr-defined]
        await _read_once(database)
        assert len(database._parked) == parked  # taken and given back, not a new one
    finally:
        await database.dispose()


async def test_a_write_never_waits_for_parked_read_connections(database_url: str) -> None:
    """Parked connections are checked out as far as the pool knows: when it has none left,
    a write (or a reader that finds none parked) gets them back instead of waiting."""
    database = Database(database_url, limits=Limits(pool_size=2, pool_timeout=1.0))
    try:
        readers = [database.reader() for _ in range(2)]
        for reader in readers:
            await reader.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        for reader in readers:
            await reader.close()
        held, done = database.reader(), database.reader()
        await held.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        await done.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        await done.close()  # one connection in use, the other parked (PostgreSQL)
        assert len(database._parked) == (0 if database.is_sqlite else 1)
        async with asyncio.timeout(0.5):  # the pool's own wait would be 1 s, then a 503
            async with database.transaction() as db:
                assert (await db.execute(select(literal(2)))).scalar() == 2
        await held.close()
    finally:
        await database.dispose()


async def test_an_outage_drops_the_parked_connections(database_url: str) -> None:
    """A read that finds the database gone drops every parked connection as well (likely
    dead too), as SQLAlchemy's pool invalidates itself on a disconnect."""
    database = Database(database_url, limits=Limits(pool_size=4))
    if database.is_sqlite:
        await database.dispose()
        pytest.skip("no connection parks on SQLite")
    try:
        readers = [database.reader() for _ in range(3)]
        for reader in readers:
            await reader.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        for reader in readers[1:]:
            await reader.close()
        assert len(database._parked) == 2
        victim = readers[0]
        await victim._driver.close()  # the server end goes away under this request
        with pytest.raises(DatabaseUnavailable):
            await victim.rows(database.reads.get("one", lambda _d: select(literal(1))), {})
        await victim.close()
        assert database._parked == []
        await _read_once(database)  # a fresh connection from the pool
    finally:
        await database.dispose()

"""The async engine, tuned per backend, and the two ways a request touches it.

Reads: one `Reader` per request, a single connection that loader batches take turns on
(an asyncio lock), opened on first use. One AsyncSession cannot be used concurrently,
and Strawberry resolves sibling fields concurrently; a connection per batch would add a
pool round trip and BEGIN/ROLLBACK to every batch. On PostgreSQL the reader is a
read-only REPEATABLE READ transaction, so every batch of a request sees one snapshot.

Writes: `Database.transaction()`, one explicit transaction. On SQLite it starts with
`BEGIN IMMEDIATE`, so writers queue for the write lock up front instead of failing
halfway with "database is locked".

A request never holds two pool connections at once: a request's write transaction first
hands its read connection back (`Reader.suspend`), and the reader refuses to open one
while the transaction runs. Holding one and waiting for another is how a burst of
requests larger than the pool deadlocks it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import Executable

_WRITE = "shopgraph_write"


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: SyncConnection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """The process's engine: one per process, shared by every request."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int | None = None,
        echo: bool = False,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # Statement parameters hold customer data (emails, names): never in logs or errors.
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if not (self.is_sqlite and (":memory:" in url or url.endswith("://"))):
            overflow = pool_size if max_overflow is None else max_overflow
            options.update(pool_size=pool_size, max_overflow=overflow)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        # SQLite allows one writer at a time; queueing writers here keeps them off the
        # busy-timeout retry loop inside the driver.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    async def dispose(self) -> None:
        await self.engine.dispose()

    def reader(self) -> Reader:
        return Reader(self)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: commits on success, rolls back on any exception."""
        if self._write_lock is None:
            async with self.engine.begin() as connection:
                yield connection
            return
        async with self._write_lock, self.engine.connect() as connection:
            connection = await connection.execution_options(**{_WRITE: True})
            async with connection.begin():
                yield connection

    async def ping(self) -> None:
        """Raise if the database cannot run a trivial statement."""
        async with self.engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")


class ReaderClosed(RuntimeError):
    """A batch tried to read after its request had ended."""


class ReadDuringWrite(RuntimeError):
    """A read on the request's reader inside its own write transaction: two connections."""


class Reader:
    """One request's read connection; batches take turns on it under a lock."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._lock = asyncio.Lock()
        self._connection: AsyncConnection | None = None
        self._closed = False
        self._writing = False
        self.rows_read = 0  # what the request read, for pricing what ran (schema/cost_limit.py)

    async def all(self, statement: Executable) -> list[Row[Any]]:
        async with self._lock:
            if self._closed:
                raise ReaderClosed("the request's read connection is closed")
            if self._writing:
                raise ReadDuringWrite("read inside the request's write transaction")
            if self._connection is None:
                self._connection = await self._open()
            result = await self._connection.execute(statement)
            rows = list(result.all())
            self.rows_read += len(rows)
            return rows

    async def _open(self) -> AsyncConnection:
        connection = await self._database.engine.connect()
        if not self._database.is_sqlite:
            connection = await connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        return connection

    @asynccontextmanager
    async def suspended(self) -> AsyncIterator[None]:
        """Hand the connection back for the length of a write; later reads see the write."""
        async with self._lock:
            if self._connection is not None:
                await self._connection.close()
                self._connection = None
            self._writing = True
        try:
            yield
        finally:
            self._writing = False

    async def close(self) -> None:
        """Release the connection once every batch in flight has finished with it."""
        async with self._lock:
            self._closed = True
            if self._connection is not None:
                await self._connection.close()
                self._connection = None

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
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolProxiedConnection

from ..errors import DatabaseUnavailable, ValueTooLarge
from .reads import Read, Reads
from .unavailable import RETRY_AFTER_SECONDS, is_unavailable, translated

_WRITE = "shopgraph_write"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """How many connections a process holds, and how long anything waits on the database.

    Every wait is bounded, so an outage or an overload is a fast 503, never a hung request
    (docs/security.md says how to size them). `None` turns a timeout off (bulk seeding).
    """

    pool_size: int = 20
    max_overflow: int = 0  # connections beyond the pool, closed again when given back
    pool_timeout: float = 5.0  # waiting for a free connection
    connect_timeout: float = 5.0  # opening one
    statement_timeout: float | None = 15.0  # one statement
    lock_timeout: float = 5.0  # waiting for a row lock (SQLite: for the write lock)
    max_waiting: int | None = None  # requests queued for a connection; None: 4 x the pool

    @property
    def queue(self) -> int:
        if self.max_waiting is not None:
            return self.max_waiting
        return 4 * (self.pool_size + self.max_overflow)


def _configure_sqlite(engine: AsyncEngine, limits: Limits) -> None:
    busy_ms = int(limits.lock_timeout * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: SyncConnection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgres_options(limits: Limits) -> dict[str, Any]:
    settings = {
        "lock_timeout": str(int(limits.lock_timeout * 1000)),
        # Prepared statements keep one generic plan. The batched reads take their keys as
        # one array (`= ANY($1)`), whose length a generic plan cannot know; left to choose,
        # PostgreSQL re-plans them on every execution (measured: 172 -> 47 us of backend CPU
        # for one product with its stock). Every read here is keyed or keyset-paged, for
        # which the generic plan is the custom one.
        "plan_cache_mode": "force_generic_plan",
    }
    connect: dict[str, Any] = {"timeout": limits.connect_timeout, "server_settings": settings}
    if limits.statement_timeout is not None:
        settings["statement_timeout"] = str(int(limits.statement_timeout * 1000))
        # The driver's own deadline, in case the server cannot even cancel.
        connect["command_timeout"] = limits.statement_timeout + limits.connect_timeout
    return {"connect_args": connect}


class Database:
    """The process's engine: one per process, shared by every request."""

    def __init__(self, url: str, *, limits: Limits | None = None, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.limits = limits = limits or Limits()
        # Statement parameters hold customer data (emails, names): never in logs or errors.
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if not (self.is_sqlite and (":memory:" in url or url.endswith("://"))):
            options.update(
                pool_size=limits.pool_size,
                max_overflow=limits.max_overflow,
                pool_timeout=limits.pool_timeout,
            )
        if not self.is_sqlite:
            options.update(_postgres_options(limits))
        else:
            # The pool would roll back every connection given back, and aiosqlite's rollback
            # is I/O even without a transaction: a `Reader` gives its connection back outside
            # SQLAlchemy's greenlet, having ended its own transaction, and SQLAlchemy's
            # connections end theirs when they close.
            options["pool_reset_on_return"] = None
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine, limits)
        # SQLite allows one writer at a time; queueing writers here keeps them off the
        # busy-timeout retry loop inside the driver.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self._waiting = 0  # requests asking for a connection right now
        self.reads = Reads(self.engine.dialect)
        # Called with the SQL of every statement a Reader sends (tests count them).
        self.read_listeners: list[Callable[[str], None]] = []
        # Read connections given back by finished requests, kept for the next one
        # (`checkout_raw`); on SQLite the pool's own round trip is what serializes them.
        self._parked: list[PoolProxiedConnection] = []
        self._parked_limit = 0 if self.is_sqlite else max(1, limits.pool_size // 2)

    async def fetch_driver(self, driver: Any, sql: str, parameters: list[Any]) -> list[Any]:
        """Run a read on a driver connection (asyncpg's or aiosqlite's): its rows."""
        for listener in self.read_listeners:
            listener(sql)
        if self.is_sqlite:
            return list(await driver.execute_fetchall(sql, parameters))
        return await driver.fetch(sql, *parameters)  # type: ignore[no-any-return]

    def in_transaction(self, driver: Any) -> bool:
        """Whether a driver connection is inside a transaction, by the driver's account."""
        if self.is_sqlite:
            return bool(driver.in_transaction)
        return bool(driver.is_in_transaction())

    async def run_driver(self, driver: Any, sql: str) -> None:
        """Run a statement without parameters or rows (BEGIN, ROLLBACK) on a driver connection."""
        for listener in self.read_listeners:
            listener(sql)
        await driver.execute(sql)

    async def dispose(self) -> None:
        self.unpark()
        await self.engine.dispose()

    def reader(self) -> Reader:
        return Reader(self)

    async def checkout(self) -> AsyncConnection:
        """A connection from the pool; shed at once if too many requests already wait."""
        return await self._checkout(self.engine.connect)

    async def checkout_raw(self) -> PoolProxiedConnection:
        """A pooled driver connection without SQLAlchemy's connection around it, for
        `Reader` (which runs compiled statements on the driver), given back with `park`.

        A parked connection first: ~1 us, where the pool's checkout and return cost ~18
        (a greenlet switch and the pool's events), a tenth of a small read's CPU.
        """
        if self._parked:
            return self._parked.pop()
        return await self._checkout(self.engine.raw_connection)

    def park(self, connection: PoolProxiedConnection) -> None:
        """Keep a read connection, outside any transaction, for the next `checkout_raw`;
        beyond half the pool it goes back to the pool."""
        if len(self._parked) < self._parked_limit:
            self._parked.append(connection)
        else:
            connection.close()

    def unpark(self, *, invalidate: bool = False) -> None:
        """Give every parked connection back to the pool, or (after an outage, when they
        are likely dead too) drop them."""
        parked, self._parked = self._parked, []
        for connection in parked:
            with contextlib.suppress(Exception):
                if invalidate:
                    connection.invalidate()
                else:
                    connection.close()

    async def _checkout(self, take: Callable[[], Awaitable[T]]) -> T:
        if self._parked and self.engine.pool.checkedin() == 0:  # type: ignore[attr-defined]
            self.unpark()  # a write, or a burst of reads, needs them more than they wait
        if self._waiting >= self.limits.queue:
            raise DatabaseUnavailable(
                "The server is busy: too many requests are waiting for the database.",
                retry_after=RETRY_AFTER_SECONDS,
            )
        self._waiting += 1
        try:
            return await take()
        except Exception as error:
            raise _translated(error) from error
        finally:
            self._waiting -= 1

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A short connection of its own (authentication, lookups); outages are 503s."""
        connection = await self.checkout()
        try:
            yield connection
        except Exception as error:
            raise _translated(error) from error
        finally:
            await _release(connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: commits on success, rolls back on any exception."""
        async with self._writer():
            connection = await self.checkout()
            try:
                if self.is_sqlite:
                    connection = await connection.execution_options(**{_WRITE: True})
                async with connection.begin():
                    yield connection
            except Exception as error:
                raise _translated(error) from error
            finally:
                await _release(connection)

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        """SQLite's one writer at a time, waited for no longer than the lock timeout."""
        if self._write_lock is None:
            yield
            return
        try:
            async with asyncio.timeout(self.limits.lock_timeout):
                await self._write_lock.acquire()
        except TimeoutError:
            raise DatabaseUnavailable(
                "The database is busy with other writes; retry shortly.",
                retry_after=RETRY_AFTER_SECONDS,
            ) from None
        try:
            yield
        finally:
            self._write_lock.release()

    async def ping(self) -> None:
        """Raise DATABASE_UNAVAILABLE if the database cannot run a trivial statement."""
        async with self.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")


async def _release(connection: AsyncConnection) -> None:
    """Give a connection back to the pool. One whose socket died fails its rollback: it is
    discarded, and that is no error of the request's (its answer stands)."""
    try:
        await connection.close()
    except Exception as error:
        if not is_unavailable(error):
            raise
        with contextlib.suppress(Exception):
            await connection.invalidate()


def _translated(error: Exception) -> Exception:
    """An outage as DATABASE_UNAVAILABLE; a sum SQLite could not add up exactly (its
    integers are 64-bit, and it refuses rather than rounds) as VALUE_TOO_LARGE; anything
    else unchanged."""
    if isinstance(error, sqlite3.OperationalError) and "integer overflow" in str(error):
        return ValueTooLarge("A sum here exceeds 2^63 - 1 minor units.")
    if is_unavailable(error):
        return translated(error)
    return error


Write = tuple[Read, Mapping[str, Any]]  # a compiled statement and its values


class ReaderClosed(RuntimeError):
    """A batch tried to read after its request had ended."""


class ReadDuringWrite(RuntimeError):
    """A read on the request's reader inside its own write transaction: two connections."""


_SNAPSHOT = {
    "postgresql": "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    "sqlite": "BEGIN",
}


class Reader:
    """One request's read connection; batches take turns on it under a lock.

    Reads are compiled statements (`db.reads`) run straight on the driver's connection. A
    request that reads more than once reads in one snapshot transaction, begun with its
    first statement; one whose caller knows it reads once (`reads_once`) needs none and
    saves the BEGIN and ROLLBACK round trips.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self.reads = database.reads
        self.dialect = database.engine.dialect
        self._lock = asyncio.Lock()
        self._connection: PoolProxiedConnection | None = None
        self._driver: Any = None
        self._in_snapshot = False
        self._statements = 0
        self._closed = False
        self._writing = False
        self._once = False  # the request reads once: no snapshot transaction
        self.rows_read = 0  # records the request read, for pricing what ran (cost_gate.py)

    async def rows(self, read: Read, values: Mapping[str, Any]) -> list[Any]:
        """The rows of `read` with `values` bound, as the driver returns them."""
        parameters = read.parameters(values)
        async with self._lock:
            if self._closed:
                raise ReaderClosed("the request's read connection is closed")
            if self._writing:
                raise ReadDuringWrite("read inside the request's write transaction")
            try:
                if self._driver is None:
                    await self._open()
                if not self._in_snapshot and (self._statements or not self._once):
                    await self._database.run_driver(self._driver, _SNAPSHOT[self.dialect.name])
                    self._in_snapshot = True
                self._statements += 1
                rows = await self._database.fetch_driver(self._driver, read.sql, parameters)
            except Exception as error:
                if is_unavailable(error):
                    self._drop()  # a broken connection is not reused by this request
                    self._database.unpark(invalidate=True)
                raise _translated(error) from error
            except BaseException:
                # Cancelled mid-statement (graphql-core drops sibling fields once a null
                # reaches the root): where the driver's conversation stands is unknown, so
                # the connection is never given back to the pool.
                self._drop()
                raise
            return rows

    def reads_once(self) -> None:
        """The request reads with one statement, which needs no snapshot transaction.

        Said before the first read by a caller that knows. Should a second statement come
        after all, it begins the snapshot that every later statement shares.
        """
        self._once = True

    async def _open(self) -> None:
        connection = await self._database.checkout_raw()
        self._connection, self._driver = connection, connection.driver_connection

    async def _end(self, *, keep: bool = False) -> None:
        """Leave the snapshot and give the connection back (unless `keep`)."""
        connection, driver, in_snapshot = self._connection, self._driver, self._in_snapshot
        self._in_snapshot = False
        if connection is None:
            return
        # The driver's own word too: a connection never goes back inside a transaction.
        if in_snapshot or self._database.in_transaction(driver):
            try:
                await self._database.run_driver(driver, "ROLLBACK")
            except Exception as error:
                self._connection = self._driver = None
                with contextlib.suppress(Exception):  # gone already: nothing to give back
                    connection.invalidate()
                if not is_unavailable(error):
                    raise
                return
        if not keep:
            self._connection = self._driver = None
            # The driver's transactions were ours (BEGIN/ROLLBACK above), never SQLAlchemy's,
            # so giving it back does no I/O: a plain, synchronous close (or none: parked).
            self._database.park(connection)

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already gone; nothing left to release
                self._connection.invalidate()
            self._connection = self._driver = None
            self._in_snapshot = False

    @asynccontextmanager
    async def suspended(self) -> AsyncIterator[None]:
        """Hand the connection back for the length of a write; later reads see the write."""
        async with self._lock:
            await self._end()
            self._writing = True
            self._statements = 0
        try:
            yield
        finally:
            self._writing = False

    async def close(self, then: Callable[[], Write | None] | None = None) -> Write | None:
        """Release the connection once every batch in flight has finished with it.

        `then` gives, once reading is over, a write to make (the audit entry of what was
        read). It runs on the same connection, in a transaction of its own, where that saves
        a second connection (an open PostgreSQL one); otherwise it is returned, the caller's
        to make.
        """
        async with self._lock:
            self._closed = True
            write = None if then is None else then()
            if write is None or self._driver is None or self._database.is_sqlite:
                await self._end()
                return write
            driver = self._driver
            await self._end(keep=True)
            try:
                read, values = write
                await self._database.fetch_driver(driver, read.sql, read.parameters(values))
            except Exception as error:
                if is_unavailable(error):
                    self._drop()
                raise _translated(error) from error
            finally:
                await self._end()
            return None

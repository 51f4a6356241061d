"""The benchmark's database: created when missing, migrated and seeded with the project's
own CLI only when its row counts are not the ones asked for, dropped on request."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine


@dataclass(frozen=True, slots=True)
class Counts:
    customers: int
    products: int
    orders: int
    order_lines: int = 0

    def matches(self, other: Counts) -> bool:
        return (self.customers, self.products, self.orders) == (
            other.customers,
            other.products,
            other.orders,
        )


def kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise SystemExit(f"unsupported database URL {url!r}: use SQLite or PostgreSQL")
    return backend


def is_local(url: str) -> bool:
    return make_url(url).host in (None, "", "127.0.0.1", "localhost", "::1")


def display(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _admin(url: URL) -> asyncpg.Connection:
    """A connection to the `postgres` maintenance database of the server in `url`."""
    return await asyncpg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        database="postgres",
    )


async def create_postgres_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True if this created it."""
    parsed = make_url(url)
    admin = await _admin(parsed)
    try:
        exists = await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", parsed.database
        )
        if exists:
            return False
        await admin.execute(f"CREATE DATABASE {_quote(str(parsed.database))}")
        return True
    finally:
        await admin.close()


async def drop_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = await _admin(parsed)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {_quote(str(parsed.database))}")
    finally:
        await admin.close()


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def delete_sqlite(url: str) -> None:
    path = sqlite_path(url)
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _facts(url: str) -> tuple[Counts, str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM products),"
                        " (SELECT count(*) FROM orders), (SELECT count(*) FROM order_lines)"
                    )
                )
            ).one()
            version_sql = (
                "SELECT sqlite_version()" if kind(url) == "sqlite" else "SHOW server_version"
            )
            version = (await connection.execute(text(version_sql))).scalar_one()
    finally:
        await engine.dispose()
    return Counts(*(int(value) for value in row)), str(version)


def facts(url: str) -> tuple[Counts, str]:
    """Row counts (of a migrated database) and the database server's version."""
    return asyncio.run(_facts(url))


async def _id_key(url: str) -> bytes:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            value = (await connection.execute(text("SELECT id_key FROM installation"))).scalar_one()
    finally:
        await engine.dispose()
    return bytes.fromhex(value)


def id_key(url: str, env: Mapping[str, str]) -> bytes:
    """The key the database's public ids are made with (of a migrated database), as
    shopgraph's processes find it: SHOPGRAPH_ID_KEY if set, else the database's own."""
    pinned = env.get("SHOPGRAPH_ID_KEY")
    return bytes.fromhex(pinned) if pinned else asyncio.run(_id_key(url))


def shopgraph_cli(shopgraph: Sequence[str], args: Sequence[str], env: dict[str, str]) -> None:
    """Run one `shopgraph` command; its progress output goes to our terminal."""
    subprocess.run([*shopgraph, *args], env=env, check=True, stdin=subprocess.DEVNULL)


def admin_key(shopgraph: Sequence[str], env: dict[str, str]) -> str:
    """A fresh admin API key for the load generator (reads of orders need credentials)."""
    created = subprocess.run(
        [*shopgraph, "apikey", "create", "--name", "bench", "--scope", "admin", "--json"],
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    return str(json.loads(created.stdout)["key"])


def seed_args(counts: Counts, seed: int) -> list[str]:
    return [
        "seed",
        *("--customers", str(counts.customers)),
        *("--products", str(counts.products)),
        *("--orders", str(counts.orders)),
        *("--seed", str(seed)),
    ]

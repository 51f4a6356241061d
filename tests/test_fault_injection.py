"""PostgreSQL cut away from a real server under load: only 503s, no dropped connection,
recovery without a restart (issue 9.6); SIGTERM bounded by its timeout (issue 9.8).

The server process reaches PostgreSQL through a TCP proxy the test cuts (new connections
refused, open ones reset: a crashed or firewalled database) and then restores. Before, the
same outage gave text/plain 500s to authenticated callers, problem 500s to anonymous ones,
200 INTERNAL to GraphQL mutations, and ~330 dropped connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shopgraph.context import Services

from .servers import Server, ServerProcess
from .tcp_proxy import TcpProxy

ENV = {
    "SHOPGRAPH_DB_CONNECT_TIMEOUT_SECONDS": "1",
    "SHOPGRAPH_DB_POOL_TIMEOUT_SECONDS": "2",
    "SHOPGRAPH_DB_STATEMENT_TIMEOUT_SECONDS": "5",
    "SHOPGRAPH_RATE_LIMIT": "off",  # this is about the database, not about buckets
    "SHOPGRAPH_RECONCILE_EVERY_SECONDS": "3600",
}
CLIENTS = 12


@dataclass
class Seen:
    """Every answer, by phase of the outage."""

    answers: list[tuple[str, str, int, dict[str, Any], dict[str, str]]] = field(
        default_factory=list
    )
    dropped: list[str] = field(default_factory=list)
    phase: str = "before"


def _requests(server: Server, unique: str) -> list[tuple[str, str, dict[str, Any] | None, bool]]:
    """(method, path, JSON body, with credentials): reads and writes on both surfaces."""
    mutation = (
        "mutation($n: String!) { createCategory(input: {name: $n}) "
        "{ category { id } userErrors { code } } }"
    )
    counter = itertools.count()
    return [
        ("GET", "/v1/products?limit=5", None, False),
        ("GET", "/v1/customers?limit=5", None, True),
        ("POST", "/graphql", {"query": "{ products(first: 3) { nodes { id name } } }"}, False),
        ("POST", "/graphql", {"query": "{ orders(first: 3) { nodes { id } } }"}, True),
        (
            "POST",
            "/graphql",
            {"query": mutation, "variables": {"n": f"cut-{unique}-{next(counter)}"}},
            True,
        ),
        ("POST", "/v1/categories", {"name": f"cut-rest-{unique}-{next(counter)}"}, True),
    ]


@pytest.fixture
async def proxied_server(database_url: str) -> AsyncIterator[tuple[Server, TcpProxy]]:
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        pytest.skip("cutting the database away needs a server database (PostgreSQL)")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    port = proxy.start()
    through = url.set(port=port).render_as_string(hide_password=False)
    process = await asyncio.to_thread(ServerProcess, through, env=ENV, tier="enterprise")
    try:
        yield await asyncio.to_thread(process.start), proxy
    finally:
        await asyncio.to_thread(process.kill)
        proxy.close()


async def _load(server: Server, seen: Seen, stop: asyncio.Event, unique: str, n: int) -> None:
    requests = _requests(server, f"{unique}-{n}")
    limits = httpx.Limits(max_connections=1, keepalive_expiry=30)
    async with httpx.AsyncClient(base_url=server.base, timeout=20, limits=limits) as http:
        for step in itertools.count(n):
            if stop.is_set():
                return
            method, path, body, keyed = requests[step % len(requests)]
            if body is not None and "variables" in body:
                body = {**body, "variables": {"n": f"cut-{unique}-{n}-{step}"}}
            elif body is not None and "name" in body:
                body = {"name": f"cut-rest-{unique}-{n}-{step}"}
            headers = server.headers if keyed else {}
            phase = seen.phase
            try:
                response = await http.request(method, path, json=body, headers=headers)
            except httpx.TransportError as error:  # a dropped connection
                seen.dropped.append(f"{phase} {method} {path}: {error!r}")
                continue
            payload = response.json() if response.content else {}
            seen.answers.append(
                (phase, path, response.status_code, payload, dict(response.headers))
            )


def _code(path: str, payload: dict[str, Any]) -> str | None:
    if path == "/graphql":
        errors = payload.get("errors") or [{}]
        return str(errors[0].get("extensions", {}).get("code"))
    return payload.get("code")


async def test_a_database_cut_under_load_gives_only_503s_and_recovers(
    proxied_server: tuple[Server, TcpProxy], unique: str
) -> None:
    server, proxy = proxied_server
    seen, stop = Seen(), asyncio.Event()
    load = [asyncio.create_task(_load(server, seen, stop, unique, n)) for n in range(CLIENTS)]
    async with httpx.AsyncClient(base_url=server.base, timeout=20) as probe:
        await asyncio.sleep(1.5)
        seen.phase = "cut"
        await asyncio.to_thread(proxy.cut)
        await asyncio.sleep(3)
        assert (await probe.get("/readyz")).status_code == 503
        await asyncio.to_thread(proxy.restore)
        seen.phase = "after"
        deadline = time.monotonic() + 15
        while (await probe.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "never recovered"
            await asyncio.sleep(0.2)
        seen.phase = "recovered"
        await asyncio.sleep(2)
    stop.set()
    await asyncio.gather(*load)

    assert seen.dropped == [], seen.dropped[:5]
    statuses = {status for _, _, status, _, _ in seen.answers}
    assert statuses <= {200, 201, 503}, [a[:3] for a in seen.answers if a[2] not in (200, 201)]
    outage = [a for a in seen.answers if a[2] == 503]
    assert [a for a in outage if a[0] == "cut"], "the cut was never felt"
    for _phase, path, _status, payload, headers in outage:
        assert int(headers["retry-after"]) >= 1
        assert _code(path, payload) == "SERVICE_UNAVAILABLE", payload
    recovered = [a for a in seen.answers if a[0] == "recovered"]
    assert recovered, "no request ran after recovery"
    assert {status for _, _, status, _, _ in recovered} <= {200, 201}, [
        a[:4] for a in recovered if a[2] == 503
    ][:5]


async def test_shutdown_waits_for_a_stuck_request_no_longer_than_its_timeout(
    database_url: str, services: Services, unique: str
) -> None:
    """Issue 9.8: one request blocked on a lock held SIGTERM up for 25.7 s."""
    env = {"SHOPGRAPH_SHUTDOWN_TIMEOUT_SECONDS": "2", "SHOPGRAPH_DB_LOCK_TIMEOUT_SECONDS": "60"}
    process = await asyncio.to_thread(ServerProcess, database_url, env=env, tier="enterprise")
    server = await asyncio.to_thread(process.start)
    holder = await services.database.engine.connect()
    try:
        if services.database.is_sqlite:  # the whole database: the write lock
            holder = await holder.execution_options(shopgraph_write=True)
            await holder.begin()
        else:
            await holder.begin()
            await holder.execute(text("LOCK TABLE categories IN EXCLUSIVE MODE"))
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
            stuck = asyncio.create_task(
                http.post(
                    "/v1/categories", json={"name": f"stuck {unique}"}, headers=server.headers
                )
            )
            await asyncio.sleep(1)  # the request is waiting for the lock
            started = time.monotonic()
            await asyncio.to_thread(process.stop)
            stopped_in = time.monotonic() - started
            with contextlib.suppress(httpx.HTTPError):
                await stuck
    finally:
        await holder.rollback()
        await holder.close()
        await asyncio.to_thread(process.kill)
    assert stopped_in < 8, stopped_in  # 2 s of grace, then the stuck request is cancelled

"""The app's own CPU per request, without an HTTP server or a load generator in the way.

    .venv/bin/python bench/inprocess.py                  # S: one product by id, GraphQL
    .venv/bin/python bench/inprocess.py --workload rest_product
    .venv/bin/python bench/inprocess.py --workload Q     # 50 orders, nested, with email

Calls the ASGI app of `shopgraph` directly, 16 requests at a time in one event loop, on the
peers' database (`bench/peers.py` creates and seeds it), and prints the process CPU time
per request: the median and the lowest of 5 batches. What it leaves out (uvicorn's HTTP
parsing, the socket) costs every server alike, so a change to shopgraph's own code shows
here at a few microseconds, where wrk's figures move by more than that from run to run.
Where the time goes is `bench/profile.py`'s business (py-spy under real load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

import asyncpg
import orjson
from loaded_server import DEFAULT_URL
from peers import libpq_url
from scenarios import ORDERS_QUERY, PRODUCT_QUERY

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.auth import tokens
from shopgraph.auth.principal import Principal
from shopgraph.settings import Settings

CONCURRENT = 16
Message = dict[str, Any]
_RUNNING: list[asyncio.Future[Any]] = []


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", default="S", choices=("S", "Q", "rest_product"))
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--batches", type=int, default=150, help="of 16 requests, per reading")
    return parser.parse_args(argv)


def _scope(method: str, path: str, body: bytes, token: str) -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"accept", b"application/json")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def _started(app: Any) -> None:
    """Run the app's lifespan startup (its services), leaving it running."""
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def send(message: Message) -> None:
        if message["type"] == "lifespan.startup.complete":
            started.set()

    lifespan = asyncio.ensure_future(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, send)
    )
    await started.wait()
    _RUNNING.append(lifespan)  # kept while the process runs


def _caller(app: Any, token: str) -> Callable[[str, str, bytes], Awaitable[list[Message]]]:
    async def call(method: str, path: str, body: bytes) -> list[Message]:
        given = False

        async def receive() -> Message:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # never disconnects
            return {"type": "http.disconnect"}

        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        await app(_scope(method, path, body, token), receive, send)
        return sent

    return call


async def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("SHOPGRAPH_SECRET_KEY", "bench-" + "k" * 40)
    connection = await asyncpg.connect(libpq_url(args.database_url))
    try:
        ids.configure(bytes.fromhex(await connection.fetchval("SELECT id_key FROM installation")))
        pks = [
            r[0] for r in await connection.fetch("SELECT id FROM products ORDER BY id LIMIT 200")
        ]
    finally:
        await connection.close()
    settings = Settings(database_url=args.database_url, rate_limit="off", log_level="warning")
    app = create_app(settings, migrate=False)
    await _started(app)
    token = ""
    if args.workload == "Q":  # as peers.py sends it: an OAuth client's token (email is PII)
        client = Principal("oauth_client", "bench", frozenset({"admin"}), "enterprise")
        token = tokens.issue(app.state.services.secret_key, client, timedelta(hours=1))
    call = _caller(app, token)
    if args.workload == "Q":
        requests = [
            ("POST", "/graphql", orjson.dumps({"query": ORDERS_QUERY, "variables": {"first": 50}}))
        ]
    elif args.workload == "S":
        requests = [
            ("POST", "/graphql", orjson.dumps({"query": PRODUCT_QUERY, "variables": {"id": i}}))
            for i in (ids.encode("Product", pk) for pk in pks)
        ]
    else:
        requests = [("GET", f"/v1/products/{ids.encode('Product', pk)}", b"") for pk in pks]
    first = await call(*requests[0])
    if first[0]["status"] != 200:
        print(f"the first request answered {first[0]['status']}: {first[1]['body'][:300]!r}")
        return 1

    async def batches(count: int) -> None:
        for n in range(count):
            await asyncio.gather(
                *(call(*requests[(n * CONCURRENT + j) % len(requests)]) for j in range(CONCURRENT))
            )

    await batches(50)  # warm: plans, compiled reads, connections
    readings = []
    for _ in range(5):
        started = time.process_time()
        await batches(args.batches)
        readings.append((time.process_time() - started) / (args.batches * CONCURRENT) * 1e6)
    print(
        f"{args.workload}: {statistics.median(readings):.1f} us CPU per request "
        f"(median of 5 x {args.batches * CONCURRENT:,} requests; lowest {min(readings):.1f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

"""A partner's receiver on loopback, and the steps webhook tests share (the fixtures that
use them are in conftest.py)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import socket
import struct
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import uvicorn
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shopgraph.context import Services
from shopgraph.db.models import webhook_deliveries
from shopgraph.webhooks.dispatcher import Dispatcher


@dataclass
class Receiver:
    """A partner's endpoint: records what it gets, answers with `status` after `delay`."""

    url: str = ""
    status: int = 200
    delay: float = 0.0
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        self.got.append((dict(request.headers), body))
        await asyncio.sleep(self.delay)
        return Response(b"" if self.status == 204 else f"answered {self.status}", self.status)

    def events(self) -> list[dict[str, Any]]:
        return [orjson.loads(body) for _, body in self.got]


@contextlib.contextmanager
def without_collector_pauses() -> Iterator[None]:
    """Keep what the test process has piled up out of the garbage collector's way while a
    test times deliveries.

    Late in a full run this process holds about two million objects, and a full collection
    then stops its event loop (the dispatcher, the receivers and the test alike) for 1 to
    3.4 s: measured with `gc.callbacks` over a whole `.ci/run`-like run. That is a pause of
    the test process, not a delay the code under test causes. Freezing what exists takes it
    out of the collector's view for the duration; new garbage is still collected.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.asynccontextmanager
async def serving(made: Receiver) -> AsyncIterator[Receiver]:
    """`made` listening on a loopback port of its own (its `url`) until the block ends."""

    async def hook(request: Request) -> Response:
        return await made.handle(request)  # looked up per request: a test may swap it

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    made.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    running = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(5):
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
            await asyncio.sleep(0.01)
    try:
        yield made
    finally:
        server.should_exit = True
        await running


async def make_endpoint(shop: httpx.AsyncClient, url: str, **extra: Any) -> dict[str, Any]:
    made = await shop.post("/v1/webhook-endpoints", json={"url": url, **extra})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    assert body["secret"].startswith("whsec_")
    return body


async def make_due(services: Services) -> None:
    """Every pending delivery due now, as if its retry delay had passed."""
    async with services.database.transaction() as db:
        await db.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.status == "pending")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def deliver_due(services: Services, *, fresh: bool = False) -> int:
    """Run a dispatcher until nothing is due; with `fresh`, retries are due at once."""
    if fresh:
        await make_due(services)
    dispatcher = Dispatcher(services)
    total = 0
    try:
        while claimed := await dispatcher.run_once():
            total += claimed
    finally:
        await dispatcher.close()
    return total


async def stop_listening(shop: httpx.AsyncClient, endpoint: dict[str, Any]) -> None:
    """Endpoints of one test must not collect the events of the next."""
    assert (await shop.delete(f"/v1/webhook-endpoints/{endpoint['id']}")).status_code == 204


async def delivery_of(services: Services, endpoint_id: str) -> Any:
    from shopgraph import ids

    pk = ids.decode("WebhookEndpoint", endpoint_id)
    async with services.database.connect() as db:
        return (
            await db.execute(
                select(webhook_deliveries).where(webhook_deliveries.c.endpoint_id == pk)
            )
        ).one()


def pk(endpoint_id: str) -> int:
    from shopgraph import ids

    pk = ids.decode("WebhookEndpoint", endpoint_id)
    assert pk is not None
    return pk


def dead_url() -> str:
    """A loopback port nothing listens on: connection refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook"


async def errors(shop: httpx.AsyncClient, endpoint: dict[str, Any]) -> list[str | None]:
    tries = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
    return [t["error"] for t in tries.json()["data"]]


async def events_of_product(shop: httpx.AsyncClient, product: str) -> list[str]:
    found = await shop.get("/v1/events", params={"object_id": product})
    return [event["id"] for event in found.json()["data"]]


@dataclass
class Resetter:
    """A receiver that reads each request, then resets the connection (TCP RST) while
    `resetting`; otherwise answers 204."""

    url: str = ""
    resetting: bool = True
    requests: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            await reader.readexactly(length)
            self.requests += 1
            if self.resetting:
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            writer.write(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
            await writer.drain()
        writer.close()


@contextlib.asynccontextmanager
async def resetting() -> AsyncIterator[Resetter]:
    """A `Resetter` on a loopback port of its own until the block ends."""
    made = Resetter()
    server = await asyncio.start_server(made.handle, "127.0.0.1", 0)
    made.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
    try:
        yield made
    finally:
        server.close()
        await server.wait_closed()

"""Dispatchers sharing one outbox (issue 12): each event delivered once in the normal case,
at least once when a worker dies mid-delivery."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
from sqlalchemy import func, select

from shopgraph.context import Services
from shopgraph.db.models import webhook_deliveries
from shopgraph.settings import Settings
from shopgraph.webhooks.dispatcher import Dispatcher

from .webhook_helpers import (
    Receiver,
    make_endpoint,
    pk,
    stop_listening,
)


async def test_two_dispatchers_deliver_each_of_a_thousand_events_once(
    shop: httpx.AsyncClient, settings: Settings, receiver: Receiver, unique: str
) -> None:
    """Two dispatchers, each with its own connections (as two `shopgraph worker` processes
    have), racing over one outbox: every event arrives, and none twice."""
    from shopgraph.events.outbox import emit

    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.updated"])
    update_with = {"webhooks_allow_private": True}
    workers = [Services(settings.model_copy(update=update_with)) for _ in range(2)]
    for services in workers:
        await services.start()
    try:
        writer = workers[0].database
        for batch in range(20):
            async with writer.transaction() as db:
                for n in range(50):
                    made = {"id": f"prod_{unique}_{batch}_{n}"}
                    await emit(db, "product.updated", made, request_id=None)
        dispatchers = [Dispatcher(services, idle_seconds=0.02) for services in workers]
        running = [asyncio.create_task(d.run()) for d in dispatchers]
        try:
            async with asyncio.timeout(60):
                while len(receiver.got) < 1000:  # noqa: ASYNC110 (the receiver counts)
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # a duplicate would arrive meanwhile
        finally:
            for task in running:
                task.cancel()
            for task, dispatcher in zip(running, dispatchers, strict=True):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await dispatcher.close()
        ids_received = [headers["webhook-id"] for headers, _ in receiver.got]
        assert len(ids_received) == 1000
        assert len(set(ids_received)) == 1000
        async with writer.connect() as db:
            left = (
                await db.execute(
                    select(func.count()).where(
                        webhook_deliveries.c.endpoint_id == pk(endpoint["id"]),
                        webhook_deliveries.c.status != "succeeded",
                    )
                )
            ).scalar_one()
        assert left == 0
    finally:
        for services in workers:
            await services.close()
        await stop_listening(shop, endpoint)

"""`shopgraph worker` processes sharing one outbox (issue 12): each event delivered once in
the normal case, and at least once (same `webhook-id`) when a worker is SIGKILLed
mid-delivery."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from starlette.requests import Request
from starlette.responses import Response

from shopgraph.context import Services
from shopgraph.db.models import webhook_deliveries, webhook_endpoints
from shopgraph.events.outbox import emit
from shopgraph.webhooks.queue import claim

from .servers import WorkerProcess
from .webhook_helpers import Receiver, make_endpoint, pk, stop_listening

# Loopback receivers over http; a killed worker's leases run out 3 s after it claimed.
WORKER_ENV = {
    "SHOPGRAPH_WEBHOOKS_ALLOW_PRIVATE": "true",
    "SHOPGRAPH_WEBHOOK_TIMEOUT_SECONDS": "2",
    "SHOPGRAPH_WEBHOOK_LEASE_MARGIN_SECONDS": "1",
}


async def _emit_updates(services: Services, unique: str, count: int) -> None:
    """`count` product.updated events, written straight into the outbox in batches."""
    for batch in range(0, count, 100):
        async with services.database.transaction() as db:
            for n in range(batch, min(batch + 100, count)):
                made = {"id": f"prod_{unique}_{n}"}
                await emit(db, "product.updated", made, request_id=None)


async def _all_recorded(services: Services, endpoint_id: str) -> None:
    """Wait until every delivery to the endpoint is recorded as succeeded (a worker records
    each one just after its receiver answered)."""
    async with asyncio.timeout(10):
        while True:
            async with services.database.connect() as db:
                left = (
                    await db.execute(
                        select(func.count()).where(
                            webhook_deliveries.c.endpoint_id == pk(endpoint_id),
                            webhook_deliveries.c.status != "succeeded",
                        )
                    )
                ).scalar_one()
            if left == 0:
                return
            await asyncio.sleep(0.05)


async def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 (the receiver and the workers move it)
            await asyncio.sleep(0.05)
    assert condition(), what


async def test_two_workers_deliver_each_of_a_thousand_events_once(
    shop: httpx.AsyncClient, lenient: Services, database_url: str, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.updated"])
    workers: list[WorkerProcess] = []
    try:
        await _emit_updates(lenient, unique, 1000)
        workers = [WorkerProcess(database_url, WORKER_ENV) for _ in range(2)]
        await _until(lambda: len(receiver.got) >= 1000, 90, "every event delivered")
        await asyncio.sleep(1.0)  # a duplicate would arrive meanwhile
        sent = Counter(headers["webhook-id"] for headers, _ in receiver.got)
        assert len(sent) == 1000
        assert sent.most_common(1)[0][1] == 1, sent.most_common(3)
        await _all_recorded(lenient, endpoint["id"])
        for worker in workers:
            worker.stop()
        for worker in workers:
            assert "Traceback" not in worker.output, worker.output
    finally:
        for worker in workers:
            worker.kill()
            print(worker.output)  # shown when the test fails
        await stop_listening(shop, endpoint)


async def test_a_worker_killed_mid_delivery_leaves_its_deliveries_to_another(
    shop: httpx.AsyncClient, lenient: Services, database_url: str, receiver: Receiver, unique: str
) -> None:
    """The receiver holds the first worker's requests open; that worker is SIGKILLed with
    them in flight. A second worker takes them once their leases run out: every event
    arrives, those in flight twice, with the same `webhook-id` and the same body."""
    holding = asyncio.Event()
    release = asyncio.Event()
    original = receiver.handle

    async def held(request: Request) -> Response:
        answer = await original(request)  # recorded as it arrives
        if not release.is_set():
            holding.set()
            await release.wait()
        return answer

    receiver.handle = held  # type: ignore[method-assign]
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.updated"])
    first = second = None
    try:
        await _emit_updates(lenient, unique, 20)
        first = WorkerProcess(database_url, WORKER_ENV)
        async with asyncio.timeout(60):
            await holding.wait()
        await asyncio.sleep(0.3)  # the rest of its first claims reach the receiver too
        first.kill()
        await asyncio.sleep(0.2)  # requests that arrived whole before the kill are recorded
        in_flight = [headers["webhook-id"] for headers, _ in receiver.got]
        assert in_flight, "the first worker had nothing in flight"
        release.set()
        second = WorkerProcess(database_url, WORKER_ENV)
        await _until(
            lambda: len({h["webhook-id"] for h, _ in receiver.got}) == 20, 60, "all delivered"
        )
        await _until(lambda: len(receiver.got) >= 20 + len(in_flight), 10, "in flight sent again")
        await _all_recorded(lenient, endpoint["id"])
        sent = Counter(headers["webhook-id"] for headers, _ in receiver.got)
        assert {event for event, times in sent.items() if times > 1} == set(in_flight)
        bodies: dict[str, set[bytes]] = {}
        for headers, body in receiver.got:
            bodies.setdefault(headers["webhook-id"], set()).add(body)
        assert all(len(versions) == 1 for versions in bodies.values())
        second.stop()
        assert "Traceback" not in second.output, second.output
    finally:
        release.set()
        for worker in (first, second):
            if worker is not None:
                worker.kill()
                print(worker.output)
        await stop_listening(shop, endpoint)


async def test_a_claim_leases_no_more_than_each_endpoints_share(
    shop: httpx.AsyncClient, lenient: Services, unique: str
) -> None:
    """Shares are applied in the claim: rows past an endpoint's share stay unleased for
    other dispatchers, instead of being leased and given back."""
    busy = await make_endpoint(shop, "http://127.0.0.1:9/a", event_types=["product.updated"])
    other = await make_endpoint(shop, "http://127.0.0.1:9/b", event_types=["product.updated"])
    lease = timedelta(seconds=30)
    try:
        await _emit_updates(lenient, unique, 10)  # 10 owed to each endpoint
        claimed = await claim(lenient.database, 16, lease, share=4)
        by_endpoint = Counter(item.endpoint_pk for item in claimed)
        assert by_endpoint == {pk(busy["id"]): 4, pk(other["id"]): 4}
        assert await _leased(lenient, busy, other) == 8
        # One more of `busy` fits; `other` is full.
        room = {pk(busy["id"]): 1, pk(other["id"]): 0}
        more = await claim(lenient.database, 16, lease, share=4, room=room)
        assert [item.endpoint_pk for item in more] == [pk(busy["id"])]
        assert await _leased(lenient, busy, other) == 9
        async with lenient.database.transaction() as db:  # `other`'s breaker, half open
            await db.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == pk(other["id"]))
                .values(consecutive_failures=5)
            )
            await db.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.endpoint_id.in_([pk(busy["id"]), pk(other["id"])]))
                .values(lease_expires_at=None)
            )
        probing = await claim(lenient.database, 16, lease, share=4)
        assert Counter(item.endpoint_pk for item in probing) == {
            pk(busy["id"]): 4,
            pk(other["id"]): 1,
        }
    finally:
        await stop_listening(shop, busy)
        await stop_listening(shop, other)


async def _leased(services: Services, *endpoints: dict[str, Any]) -> int:
    async with services.database.connect() as db:
        return int(
            (
                await db.execute(
                    select(func.count()).where(
                        webhook_deliveries.c.lease_expires_at.is_not(None),
                        webhook_deliveries.c.endpoint_id.in_([pk(e["id"]) for e in endpoints]),
                    )
                )
            ).scalar_one()
        )


async def test_a_full_endpoints_backlog_does_not_starve_the_others(
    shop: httpx.AsyncClient, lenient: Services, unique: str
) -> None:
    """The claim looks at a bounded window of the oldest due deliveries: an endpoint at
    its share is left out of the window, so its backlog cannot hide the others'."""
    backlog = await make_endpoint(shop, "http://127.0.0.1:9/a", event_types=["product.updated"])
    other = await make_endpoint(shop, "http://127.0.0.1:9/b", event_types=["product.deleted"])
    try:
        await _emit_updates(lenient, unique, 40)  # the oldest 40: all `backlog`'s
        async with lenient.database.transaction() as db:
            for n in range(3):
                await emit(db, "product.deleted", {"id": f"prod_{unique}_d{n}"}, request_id=None)
        full = {pk(backlog["id"]): 0}
        claimed = await claim(lenient.database, 4, timedelta(seconds=30), share=4, room=full)
        assert [item.endpoint_pk for item in claimed] == [pk(other["id"])] * 3
    finally:
        await stop_listening(shop, backlog)
        await stop_listening(shop, other)

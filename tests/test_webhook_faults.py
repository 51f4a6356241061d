"""Webhook faults (issue 12): receivers that fail, hang, vanish, reset or say 410 Gone; the
retry schedule, the breaker, and a healthy endpoint left unharmed beside a broken one."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import orjson
from sqlalchemy import func, select, update
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from shopgraph.context import Services
from shopgraph.db.models import events, webhook_deliveries, webhook_endpoints
from shopgraph.webhooks.dispatcher import Dispatcher

from .test_orders import _product
from .webhook_helpers import (
    Receiver,
    dead_url,
    deliver_due,
    delivery_of,
    errors,
    events_of_product,
    make_due,
    make_endpoint,
    pk,
    resetting,
    serving,
    stop_listening,
    without_collector_pauses,
)


async def test_a_failing_receiver_is_retried_until_it_answers(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 500
        product = await _product(shop, unique, 0)
        started = datetime.now(UTC)
        assert await deliver_due(lenient) == 1
        row = await delivery_of(lenient, endpoint["id"])
        assert (row.status, row.attempts) == ("pending", 1)
        # The first retry waits 5 s, give or take a fifth.
        assert timedelta(seconds=3.9) < row.next_attempt_at - started < timedelta(seconds=6.1)
        assert await deliver_due(lenient) == 0  # not due yet
        assert await deliver_due(lenient, fresh=True) == 1
        receiver.status = 204
        assert await deliver_due(lenient, fresh=True) == 1
        assert (await delivery_of(lenient, endpoint["id"])).status == "succeeded"
        log = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
        assert log.status_code == 200, log.text
        tries = log.json()["data"]
        assert [t["status_code"] for t in tries] == [500, 500, 204]
        assert [t["error"] for t in tries] == ["http_5xx", "http_5xx", None]
        assert tries[0]["response_excerpt"] == "answered 500"
        assert all(t["latency_ms"] >= 0 for t in tries)
        bodies = {body for _, body in receiver.got}
        assert len(receiver.got) == 3
        assert len(bodies) == 1  # every try carries the same bytes and the same webhook-id
        assert {h["webhook-id"] for h, _ in receiver.got} == {tries[0]["event_id"]}
        assert receiver.events()[0]["data"]["object"]["id"] == product
        current = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert current["consecutive_failures"] == 0
    finally:
        await stop_listening(shop, endpoint)


async def test_a_receiver_answering_410_is_disabled(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 410
        await _product(shop, unique, 0)
        await deliver_due(lenient)
        assert (await delivery_of(lenient, endpoint["id"])).status == "failed"
        now = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert now["enabled"] is False
        assert "410" in now["disabled_reason"]
        await _product(shop, unique, 0)  # a disabled endpoint is owed nothing new
        async with lenient.database.connect() as db:
            owed = (
                await db.execute(
                    select(func.count()).where(
                        webhook_deliveries.c.endpoint_id == pk(endpoint["id"])
                    )
                )
            ).scalar_one()
        assert owed == 1
        enabled = await shop.patch(
            f"/v1/webhook-endpoints/{endpoint['id']}", json={"enabled": True}
        )
        assert enabled.json()["disabled_reason"] is None
        told = await shop.get(
            "/v1/events", params={"type": "webhook_endpoint.disabled", "object_id": endpoint["id"]}
        )
        [disabled] = told.json()["data"]
        assert "410" in disabled["data"]["object"]["disabled_reason"]
    finally:
        await stop_listening(shop, endpoint)


async def test_a_2xx_whose_body_stalls_is_a_success(
    shop: httpx.AsyncClient, impatient: Services, receiver: Receiver, unique: str
) -> None:
    """The receiver says 200 at once, then never finishes its body: it has taken the event
    (Standard Webhooks: any 2xx), so the attempt succeeded; only its excerpt is cut short."""

    async def stalls(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b"taken"
            await asyncio.sleep(5)  # past the half-second timeout
            yield b"never read"

        receiver.got.append((dict(request.headers), await request.body()))
        return StreamingResponse(body(), 200)

    receiver.handle = stalls  # type: ignore[method-assign]
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        await _product(shop, unique, 0)
        await deliver_due(impatient)
        tries = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
        [attempt] = tries.json()["data"]
        assert (attempt["status_code"], attempt["error"]) == (200, None), attempt
        assert attempt["response_excerpt"] == "taken"
        assert (await delivery_of(impatient, endpoint["id"])).status == "succeeded"
        assert len(receiver.got) == 1
    finally:
        await stop_listening(shop, endpoint)


async def test_faults_are_told_apart_in_the_log(
    shop: httpx.AsyncClient, impatient: Services, receiver: Receiver, unique: str
) -> None:
    receiver.delay = 2.0  # slower than the half-second timeout
    slow = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    dead = await make_endpoint(shop, dead_url(), event_types=["product.created"])
    try:
        await _product(shop, unique, 0)
        await deliver_due(impatient)
        assert await errors(shop, slow) == ["timeout"]
        assert await errors(shop, dead) == ["connection_refused"]
        for endpoint in (slow, dead):
            assert (await delivery_of(impatient, endpoint["id"])).status == "pending"
    finally:
        await stop_listening(shop, slow)
        await stop_listening(shop, dead)


async def _healthy_waits(
    shop: httpx.AsyncClient, services: Services, healthy: Receiver, count: int
) -> list[float]:
    """Seconds from each of `count` events' commit to its arrival at `healthy`, with a
    dispatcher running as a server's would."""
    made: dict[str, float] = {}
    received: dict[str, float] = {}
    everything = asyncio.Event()
    original = healthy.handle
    clock = asyncio.get_running_loop().time

    async def timed(request: Request) -> Response:
        received[orjson.loads(await request.body())["id"]] = clock()
        if len(received) == count:
            everything.set()
        return await original(request)

    healthy.handle = timed  # type: ignore[method-assign]
    dispatcher = Dispatcher(services, idle_seconds=0.02)  # waits then show the delivery
    running = asyncio.create_task(dispatcher.run())
    try:
        with without_collector_pauses():
            for _ in range(count):
                product = await _product(shop, "wait", 0)
                made[(await events_of_product(shop, product))[0]] = clock()
            async with asyncio.timeout(15):
                await everything.wait()
    finally:
        healthy.handle = original  # type: ignore[method-assign]
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await dispatcher.close()
    return sorted(max(0.0, received[event] - made[event]) for event in made)


async def test_a_broken_endpoint_does_not_delay_a_healthy_one(
    shop: httpx.AsyncClient, impatient: Services, receiver: Receiver
) -> None:
    """Twenty events to a healthy receiver, alone and then beside one that hangs past the
    half-second timeout on every delivery: the healthy one's waits barely move."""
    healthy = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    broken = None
    try:
        alone = await _healthy_waits(shop, impatient, receiver, 20)
        async with serving(Receiver(delay=5.0)) as hanging:
            broken = await make_endpoint(shop, hanging.url, event_types=["product.created"])
            beside = await _healthy_waits(shop, impatient, receiver, 20)
        print(
            f"healthy endpoint, median / max wait: alone {alone[10]:.3f} / {alone[-1]:.3f} s, "
            f"beside a hanging one {beside[10]:.3f} / {beside[-1]:.3f} s"
        )
        # Held behind the broken one, the healthy one would wait whole timeouts (0.5 s), more
        # with each event (20 of them, a quarter of the slots for the broken endpoint).
        assert beside[10] < alone[10] + 0.3, (alone, beside)
        assert beside[-1] < 0.5, beside
        assert set(await errors(shop, broken)) == {"timeout"}
    finally:
        await stop_listening(shop, healthy)
        if broken is not None:
            await stop_listening(shop, broken)


async def test_the_breaker_opens_pauses_and_probes(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    receiver.status = 503
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        for _ in range(6):
            await _product(shop, unique, 0)
        await deliver_due(lenient)
        # A quarter of the slots at most at once: 4 tries, then the others on the next round.
        await deliver_due(lenient)
        now = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert now["consecutive_failures"] >= 5
        assert now["breaker_open_until"] is not None
        assert now["health"]["breaker"] == "open"
        assert now["health"]["queue_depth"] == 6
        assert now["health"]["last_hour"]["success_rate"] == 0.0
        tried = len(receiver.got)
        assert await deliver_due(lenient, fresh=True) == 0  # open: nothing is tried
        assert len(receiver.got) == tried
        async with lenient.database.transaction() as db:  # the pause is over
            await db.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == pk(endpoint["id"]))
                .values(breaker_open_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        receiver.status = 200
        dispatcher = Dispatcher(lenient)
        try:
            assert await _probe_round(dispatcher, lenient) == 1  # half open: one probe
        finally:
            await dispatcher.close()
        await deliver_due(lenient, fresh=True)  # closed again: the backlog flows
        healed = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert healed["breaker_open_until"] is None
        assert healed["health"]["breaker"] == "closed"
        assert healed["health"]["queue_depth"] == 0
        assert healed["consecutive_failures"] == 0
    finally:
        await stop_listening(shop, endpoint)


async def _probe_round(dispatcher: Dispatcher, services: Services) -> int:
    """One claim round of `dispatcher`: how many deliveries it started."""
    await make_due(services)
    started_before = len(dispatcher._tasks)
    await dispatcher._claim_some()
    started = len(dispatcher._tasks) - started_before
    await dispatcher.drain()
    return started


async def test_a_receiver_resetting_connections_is_retried(
    shop: httpx.AsyncClient, lenient: Services, unique: str
) -> None:
    async with resetting() as resetter:
        endpoint = await make_endpoint(shop, resetter.url, event_types=["product.created"])
        try:
            await _product(shop, unique, 0)
            await deliver_due(lenient)
            await deliver_due(lenient, fresh=True)
            assert resetter.requests == 2
            assert await errors(shop, endpoint) == ["connection_reset"] * 2
            row = await delivery_of(lenient, endpoint["id"])
            assert (row.status, row.attempts) == ("pending", 2)
            resetter.resetting = False
            await deliver_due(lenient, fresh=True)
            assert (await delivery_of(lenient, endpoint["id"])).status == "succeeded"
            assert await errors(shop, endpoint) == ["connection_reset"] * 2 + [None]
        finally:
            await stop_listening(shop, endpoint)


async def _backdate_events(services: Services, object_id: str, by: timedelta) -> None:
    """Make `object_id`'s events (made just now) older, as if the horizon had passed since."""
    async with services.database.transaction() as db:
        await db.execute(
            update(events)
            .where(events.c.object_id == object_id)
            .values(created_at=datetime.now(UTC) - by)
        )


async def test_an_endpoint_failing_past_the_horizon_is_disabled_and_says_so(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    """Nothing reached it for the whole horizon: switched off, and a
    `webhook_endpoint.disabled` event tells whoever listens (here an operator's hook)."""
    past = timedelta(hours=lenient.settings.webhook_retry_horizon_hours + 1)
    receiver.status = 500
    failing = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    async with serving(Receiver()) as operator:
        watching = await make_endpoint(
            shop, operator.url, event_types=["webhook_endpoint.disabled"]
        )
        try:
            product = await _product(shop, unique, 0)
            await deliver_due(lenient)
            assert (await delivery_of(lenient, failing["id"])).status == "pending"
            await _backdate_events(lenient, product, past)
            await deliver_due(lenient, fresh=True)
            assert (await delivery_of(lenient, failing["id"])).status == "failed"
            now = (await shop.get(f"/v1/webhook-endpoints/{failing['id']}")).json()
            assert now["enabled"] is False
            assert "horizon" in now["disabled_reason"]
            [told] = operator.events()
            assert told["type"] == "webhook_endpoint.disabled"
            del now["health"]  # read when asked for one endpoint; lists and events omit it
            assert told["data"]["object"] == now
            listed = await shop.get(
                "/v1/events",
                params={"type": "webhook_endpoint.disabled", "object_id": failing["id"]},
            )
            assert [e["id"] for e in listed.json()["data"]] == [told["id"]]
        finally:
            await stop_listening(shop, failing)
            await stop_listening(shop, watching)


async def test_an_endpoint_refusing_one_event_but_taking_others_stays_enabled(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    past = timedelta(hours=lenient.settings.webhook_retry_horizon_hours + 1)
    refused = await _product(shop, unique, 0)
    original = receiver.handle

    async def picky(request: Request) -> Response:
        answer = await original(request)
        return Response(status_code=400) if refused.encode() in await request.body() else answer

    receiver.handle = picky  # type: ignore[method-assign]
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.updated"])
    try:
        for name in ("refused", "taken"):
            product = refused if name == "refused" else await _product(shop, unique, 0)
            changed = await shop.patch(f"/v1/products/{product}", json={"name": name})
            assert changed.status_code == 200, changed.text
        await deliver_due(lenient)
        await _backdate_events(lenient, refused, past)
        await deliver_due(lenient, fresh=True)
        now = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert now["enabled"] is True, now
        assert await errors(shop, endpoint) == ["http_4xx", None, "http_4xx"]
    finally:
        await stop_listening(shop, endpoint)

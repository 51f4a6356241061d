"""The dispatcher: keeps up to `webhook_concurrency` deliveries in flight, each an
independent task, so one slow or dead receiver holds only its own deliveries back.

No endpoint takes more than a quarter of the slots: while one has that many in flight, its
other due deliveries are left for later claims (or other dispatchers). An endpoint that
failed `schedule.BREAKER_FAILURES` times in a row has its breaker opened: nothing is tried
until its pause is over, then one delivery at a time (a probe) until one succeeds. Idle,
it looks for due deliveries four times a second.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta

import httpx
import structlog

from .. import ids
from ..context import Services
from ..db.models import utcnow
from ..metrics import WEBHOOK_ATTEMPTS, WEBHOOK_LATENCY, WEBHOOK_QUEUE
from . import schedule, secrets
from .queue import Claimed, claim, owed_by_endpoint, record, release
from .sending import client, send

log = structlog.get_logger("shopgraph.webhooks")
IDLE_SECONDS = 0.25
QUEUE_COUNT_SECONDS = 5.0


class Dispatcher:
    def __init__(
        self,
        services: Services,
        http: httpx.AsyncClient | None = None,
        *,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        settings = services.settings
        self.idle_seconds = idle_seconds
        self.services = services
        self.concurrency = settings.webhook_concurrency
        self.per_endpoint = max(1, self.concurrency // 4)
        self.timeout = settings.webhook_timeout_seconds
        self.allow_private = settings.webhooks_allow_private
        self.horizon = timedelta(hours=settings.webhook_retry_horizon_hours)
        # A lease outlasts the longest try, so a live dispatcher never loses one.
        self.lease = timedelta(seconds=self.timeout + settings.webhook_lease_margin_seconds)
        self.http = http or client(settings.webhook_connect_timeout_seconds, self.timeout)
        self.in_flight: Counter[int] = Counter()  # by endpoint
        self.probing: set[int] = set()  # endpoints whose breaker lets one delivery through
        self._tasks: set[asyncio.Task[None]] = set()
        self._finished = asyncio.Event()
        self._counted: set[str] = set()  # endpoints the queue gauge shows

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Deliver until `stop` is set (or the task is cancelled)."""
        stop = stop or asyncio.Event()
        counted = 0.0
        clock = asyncio.get_running_loop().time
        try:
            while not stop.is_set():
                if clock() - counted >= QUEUE_COUNT_SECONDS:
                    counted = clock()
                    await self.count_queue()
                claimed = await self._claim_some()
                if not claimed:
                    self._finished.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.idle_seconds):
                            await self._finished.wait()
        finally:
            await self.drain()

    async def run_once(self) -> int:
        """Claim what is due now and deliver it; how many were started (tests, the CLI)."""
        claimed = await self._claim_some()
        await self.drain()
        return len(claimed)

    async def count_queue(self) -> None:
        """Refresh `shopgraph_webhook_queue_depth` (endpoints owed nothing show 0)."""
        try:
            owed = await owed_by_endpoint(self.services.database)
        except Exception:
            log.warning("webhooks.count_failed", exc_info=True)
            return
        shown = {ids.encode("WebhookEndpoint", pk): count for pk, count in owed.items()}
        for endpoint in self._counted - shown.keys():
            WEBHOOK_QUEUE.labels(endpoint).set(0)
        for endpoint, count in shown.items():
            WEBHOOK_QUEUE.labels(endpoint).set(count)
        self._counted = set(shown)

    async def drain(self) -> None:
        """Wait for the deliveries in flight."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        await self.http.aclose()

    def _share(self, endpoint_pk: int) -> int:
        """Deliveries an endpoint may have in flight: one while its breaker probes."""
        return 1 if endpoint_pk in self.probing else self.per_endpoint

    async def _claim_some(self) -> list[Claimed]:
        """Claim and start what is due; the deliveries started (none: nothing to do now)."""
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            return []
        room = {pk: max(0, self._share(pk) - count) for pk, count in self.in_flight.items()}
        try:
            claimed = await claim(self.services.database, free, self.lease, self.per_endpoint, room)
        except Exception:
            log.warning("webhooks.claim_failed", exc_info=True)
            return []
        started, over = [], []
        for item in claimed:
            if item.endpoint_failures >= schedule.BREAKER_FAILURES:
                self.probing.add(item.endpoint_pk)
            else:
                self.probing.discard(item.endpoint_pk)
            if self.in_flight[item.endpoint_pk] >= self._share(item.endpoint_pk):
                over.append(item)  # over this endpoint's share: left for a later claim
                continue
            self.in_flight[item.endpoint_pk] += 1
            task = asyncio.create_task(self._deliver(item))
            self._tasks.add(task)
            task.add_done_callback(self._done)
            started.append(item)
        if over:
            await release(self.services.database, over)
        return started

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._finished.set()

    def _signing(self, item: Claimed) -> list[str]:
        key = self.services.secret_key
        signing = [secrets.unseal(item.secret, key)]
        expires = item.previous_secret_expires_at
        if item.previous_secret and expires is not None and expires > utcnow():
            signing.append(secrets.unseal(item.previous_secret, key))
        return signing

    async def _deliver(self, item: Claimed) -> None:
        try:
            outcome = await send(
                self.http,
                item.url,
                item.event,
                self._signing(item),
                within=self.timeout,
                allow_private=self.allow_private,
                version=item.api_version,
            )
            status = await record(self.services.database, item, outcome, self.horizon)
            endpoint = ids.encode("WebhookEndpoint", item.endpoint_pk)
            WEBHOOK_ATTEMPTS.labels(endpoint, outcome.error or "delivered").inc()
            WEBHOOK_LATENCY.labels(endpoint).observe(outcome.latency_ms / 1000)
            log.info(
                "webhooks.attempt",
                event_id=item.event.id,
                endpoint=item.endpoint_pk,
                status_code=outcome.status_code,
                error=outcome.error,
                latency_ms=outcome.latency_ms,
                delivery=status,
            )
        except Exception:
            # The lease runs out and another claim tries again: nothing is lost.
            log.warning("webhooks.delivery_failed", event_id=item.event.id, exc_info=True)
        finally:
            self.in_flight[item.endpoint_pk] -= 1
            if self.in_flight[item.endpoint_pk] <= 0:
                del self.in_flight[item.endpoint_pk]

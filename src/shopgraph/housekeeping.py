"""Work every server process does in the background: forget old keys and events, settle
money in flight, and (on SQLite, by default) deliver webhooks.

The jobs are safe to run in any number of processes at once (deletes by expiry; rows
claimed with `FOR UPDATE SKIP LOCKED`), so nothing has to be elected to run them. The first
round of each runs at start-up: a process started after a crash settles what the crash
left in flight as soon as its lease has run out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from .context import Services
from .resolvers.deprecation_usage import flush_services
from .resolvers.events import purge_old_events
from .resolvers.idempotency import purge_expired
from .resolvers.reconciliation import reconcile
from .webhooks.dispatcher import Dispatcher

log = structlog.get_logger("shopgraph.housekeeping")
PURGE_EVERY_SECONDS = 600.0
FLUSH_USAGE_SECONDS = 10.0  # the adoption report lags this much behind, at most


async def every(seconds: float, name: str, job: Callable[[], Awaitable[object]]) -> None:
    """Run `job` now and then every `seconds`, logging (never raising) its failures."""
    while True:
        try:
            await job()
        except Exception:
            log.warning("housekeeping.failed", job=name, exc_info=True)
        await asyncio.sleep(seconds)


def dispatches_here(services: Services) -> bool:
    """Whether this server process delivers webhooks itself (see `webhook_dispatcher`)."""
    wanted = services.settings.webhook_dispatcher
    return wanted == "on" or (wanted == "auto" and services.database.is_sqlite)


async def deliver_webhooks(services: Services) -> None:
    dispatcher = Dispatcher(services)
    try:
        await dispatcher.run()
    finally:
        await dispatcher.close()


def start(services: Services) -> list[asyncio.Task[None]]:
    """The background jobs of one process; cancel them when it stops."""
    settings = services.settings
    jobs = [
        asyncio.create_task(
            every(
                PURGE_EVERY_SECONDS,
                "purge_idempotency_keys",
                lambda: purge_expired(services.database),
            )
        ),
        asyncio.create_task(
            every(
                settings.reconcile_every_seconds, "reconcile_payments", lambda: reconcile(services)
            )
        ),
        asyncio.create_task(
            every(
                PURGE_EVERY_SECONDS,
                "purge_events",
                lambda: purge_old_events(services.database, settings.event_retention_days),
            )
        ),
    ]
    jobs.append(
        asyncio.create_task(
            every(FLUSH_USAGE_SECONDS, "flush_deprecation_usage", lambda: flush_services(services))
        )
    )
    if dispatches_here(services):
        jobs.append(asyncio.create_task(deliver_webhooks(services)))
    return jobs


async def last_flush(services: Services) -> None:
    """Write what is still counted in memory as the process stops (logged, never raised)."""
    try:
        await flush_services(services)
    except Exception:
        log.warning("housekeeping.last_flush_failed", exc_info=True)

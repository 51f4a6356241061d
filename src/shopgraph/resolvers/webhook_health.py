"""An endpoint's health, for the partner who says "your webhooks fail": the breaker, the
backlog, and the success rate and latency of the attempts of the last hour and day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import func, select

from ..context import RequestContext
from ..db.models import utcnow, webhook_attempts, webhook_deliveries
from ..records import WebhookEndpoint


@dataclass(frozen=True, slots=True)
class Window:
    """Attempts over a recent period: how many, how many answered 2xx, how fast."""

    attempts: int
    success_rate: float | None
    p50_ms: int | None
    p95_ms: int | None


@dataclass(frozen=True, slots=True)
class Health:
    breaker: Literal["closed", "open", "half_open"]
    queue_depth: int  # deliveries owed and not yet made
    last_hour: Window
    last_day: Window


HEALTH_SAMPLE = 20_000  # the most recent attempts of the last day that the figures read


def _window(tries: list[tuple[Any, Any, int]], since: Any) -> Window:
    recent = [(status, latency) for when, status, latency in tries if when >= since]
    if not recent:
        return Window(0, None, None, None)
    latencies = sorted(latency for _, latency in recent)
    ok = sum(1 for status, _ in recent if status is not None and 200 <= status < 300)

    def at(share: float) -> int:
        return int(latencies[min(len(latencies) - 1, int(share * len(latencies)))])

    return Window(len(recent), round(ok / len(recent), 4), at(0.5), at(0.95))


async def endpoint_health(ctx: RequestContext, endpoint: WebhookEndpoint) -> Health:
    """What a partner's "your webhooks fail" needs first: the breaker, the backlog, and the
    success rate and latency of the last hour and day."""
    now = utcnow()
    day = now - timedelta(days=1)
    async with ctx.services.database.connect() as db:
        depth = (
            await db.execute(
                select(func.count()).where(
                    webhook_deliveries.c.endpoint_id == endpoint.pk,
                    webhook_deliveries.c.status == "pending",
                )
            )
        ).scalar_one()
        tries = (
            await db.execute(
                select(
                    webhook_attempts.c.attempted_at,
                    webhook_attempts.c.status_code,
                    webhook_attempts.c.latency_ms,
                )
                .where(
                    webhook_attempts.c.endpoint_id == endpoint.pk,
                    webhook_attempts.c.attempted_at >= day,
                )
                .order_by(webhook_attempts.c.attempted_at.desc())
                .limit(HEALTH_SAMPLE)
            )
        ).all()
    opened = endpoint.breaker_open_until
    breaker: Literal["closed", "open", "half_open"] = "closed"
    if opened is not None:
        breaker = "open" if opened > now else "half_open"
    rows = [(row[0], row[1], row[2]) for row in tries]
    return Health(breaker, int(depth), _window(rows, now - timedelta(hours=1)), _window(rows, day))

"""The deliveries table as a work queue: claim due ones under a lease, record each try.

Any number of dispatchers (server processes on SQLite, `shopgraph worker` processes on
PostgreSQL) share it: a claim takes due rows `FOR UPDATE SKIP LOCKED` and leases them, so
two dispatchers never hold the same delivery; a dispatcher that dies mid-delivery leaves a
lease that runs out, and another one delivers again (at least once: same `webhook-id`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import registry, representations
from ..db.engine import Database
from ..db.models import events, utcnow, webhook_attempts, webhook_deliveries, webhook_endpoints
from ..events.outbox import emit
from ..records import Event
from . import schedule


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery leased to this dispatcher, with what sending it needs."""

    pk: int
    token: str
    attempts: int
    event: Event
    endpoint_pk: int
    endpoint_failures: int  # failures in a row: a breaker past its pause lets one probe through
    url: str
    secret: str  # sealed, as stored
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    api_version: str  # the endpoint's: its deliveries are rendered in it


@dataclass(frozen=True, slots=True)
class Outcome:
    """One try, as the receiver answered it (or why it could not)."""

    status_code: int | None
    latency_ms: int
    error: str | None  # timeout, connection, tls, refused_address, http_4xx, http_5xx, ...
    excerpt: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# A claim looks at this many due deliveries per slot it fills, oldest first, to find some
# whose endpoint still has room: enough to pass over a backlog of one endpoint, bounded so
# a claim never sorts the whole backlog.
CANDIDATES_PER_SLOT = 8


async def claim(
    database: Database,
    limit: int,
    lease: timedelta,
    share: int,
    room: Mapping[int, int] | None = None,
) -> list[Claimed]:
    """Up to `limit` due deliveries, leased: at most `share` of one endpoint (one while its
    breaker probes), and at most `room[endpoint]` of those already busy.

    The shares are applied in the claim itself: leasing rows only to give them back would
    cost every delivery several more updates, and hide them from other dispatchers."""
    now = utcnow()
    token = uuid.uuid4().hex
    deliveries = webhook_deliveries.c
    # A plain read first: an idle dispatcher must not take SQLite's write lock four times
    # a second.
    async with database.connect() as db:
        anything = select(deliveries.id).where(
            deliveries.status == "pending", deliveries.next_attempt_at <= now
        )
        if (await db.execute(anything.limit(1))).first() is None:
            return []
    async with database.transaction() as db:
        endpoint = webhook_endpoints.c
        # On the locked rows themselves too: PostgreSQL checks a row a concurrent claim has
        # just leased again against these (and only these) before taking it.
        free = (
            deliveries.status == "pending",
            deliveries.next_attempt_at <= now,
            or_(deliveries.lease_expires_at.is_(None), deliveries.lease_expires_at < now),
        )
        window = (
            select(
                deliveries.id,
                deliveries.endpoint_id,
                deliveries.next_attempt_at,
                endpoint.consecutive_failures,
            )
            .join(webhook_endpoints, endpoint.id == deliveries.endpoint_id)
            .where(
                *free,
                endpoint.enabled.is_(True),
                or_(endpoint.breaker_open_until.is_(None), endpoint.breaker_open_until <= now),
            )
            .order_by(deliveries.next_attempt_at, deliveries.id)
            .limit(limit * CANDIDATES_PER_SLOT)
        )
        full = [pk for pk, left in (room or {}).items() if left <= 0]
        if full:  # else a full endpoint's backlog could fill the window, starving the others
            window = window.where(deliveries.endpoint_id.not_in(full))
        candidates = window.subquery()
        ranked = select(
            candidates.c.id,
            candidates.c.endpoint_id,
            candidates.c.consecutive_failures,
            func.row_number()
            .over(
                partition_by=candidates.c.endpoint_id,
                order_by=(candidates.c.next_attempt_at, candidates.c.id),
            )
            .label("rank"),
        ).subquery()
        probing = ranked.c.consecutive_failures >= schedule.BREAKER_FAILURES
        within = [ranked.c.rank <= case((probing, 1), else_=share)]
        if room:
            within.append(
                ranked.c.rank <= case(dict(room), value=ranked.c.endpoint_id, else_=share)
            )
        due = (
            select(deliveries.id)
            .where(*free, deliveries.id.in_(select(ranked.c.id).where(*within)))
            .order_by(deliveries.next_attempt_at, deliveries.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=webhook_deliveries)
        )
        pks = [row[0] for row in await db.execute(due)]
        if not pks:
            return []
        await db.execute(
            update(webhook_deliveries)
            .where(deliveries.id.in_(pks))
            .values(lease_expires_at=now + lease, lease_token=token, updated_at=now)
        )
        rows = await db.execute(
            select(
                deliveries.id,
                deliveries.attempts,
                webhook_endpoints.c.id,
                webhook_endpoints.c.url,
                webhook_endpoints.c.secret,
                webhook_endpoints.c.previous_secret,
                webhook_endpoints.c.previous_secret_expires_at,
                webhook_endpoints.c.consecutive_failures,
                webhook_endpoints.c.api_version,
                *registry.EVENT.columns,
            )
            .join(webhook_endpoints, webhook_endpoints.c.id == deliveries.endpoint_id)
            .join(events, events.c.id == deliveries.event_id)
            .where(deliveries.id.in_(pks))
            .order_by(deliveries.next_attempt_at, deliveries.id)
        )
        return [
            Claimed(
                pk=row[0],
                token=token,
                attempts=row[1],
                event=registry.EVENT.from_row(row[9:]),
                endpoint_pk=row[2],
                endpoint_failures=row[7],
                url=row[3],
                secret=row[4],
                previous_secret=row[5],
                previous_secret_expires_at=row[6],
                api_version=row[8],
            )
            for row in rows
        ]


async def release(database: Database, claimed: list[Claimed]) -> None:
    """Give leased deliveries back untried, due as they were."""
    deliveries = webhook_deliveries.c
    async with database.transaction() as db:
        await db.execute(
            update(webhook_deliveries)
            .where(
                deliveries.id.in_([item.pk for item in claimed]),
                deliveries.lease_token.in_({item.token for item in claimed}),
            )
            .values(lease_expires_at=None, lease_token=None)
        )


async def record(database: Database, claimed: Claimed, outcome: Outcome, horizon: timedelta) -> str:
    """Log the try and move the delivery on: delivered, retried later, or given up (past
    the horizon, or a receiver that answered 410 Gone, which also disables its endpoint).
    Returns the delivery's status; a lease lost meanwhile changes nothing but the log."""
    now = utcnow()
    deliveries = webhook_deliveries.c
    async with database.transaction() as db:
        await db.execute(
            insert(webhook_attempts).values(
                delivery_id=claimed.pk,
                endpoint_id=claimed.endpoint_pk,
                event_id=claimed.event.pk,
                attempted_at=now,
                status_code=outcome.status_code,
                latency_ms=outcome.latency_ms,
                error=outcome.error,
                response_excerpt=outcome.excerpt,
            )
        )
        failures = claimed.attempts + 1
        values: dict[str, Any] = {"attempts": failures, "lease_expires_at": None, "updated_at": now}
        gone = outcome.status_code == 410
        expired = False
        if outcome.delivered:
            values["status"] = "succeeded"
        else:
            retry_at = schedule.next_attempt(failures, now)
            expired = schedule.given_up(claimed.event.created_at, retry_at, horizon)
            if gone or expired:
                values["status"] = "failed"
            else:
                values["next_attempt_at"] = retry_at
        moved = await db.execute(
            update(webhook_deliveries)
            .where(deliveries.id == claimed.pk, deliveries.lease_token == claimed.token)
            .values(**values)
        )
        if not moved.rowcount:
            return "lost"
        await _count_on_endpoint(db, claimed.endpoint_pk, outcome, now)
        if gone:
            await _disable(db, claimed.endpoint_pk, "The receiver answered 410 Gone.", now)
        elif expired and not await _delivered_since(db, claimed.endpoint_pk, claimed.event):
            since = claimed.event.created_at.isoformat(timespec="seconds")
            reason = f"Every delivery attempt since {since} failed, past the retry horizon."
            await _disable(db, claimed.endpoint_pk, reason, now)
        return str(values.get("status", "pending"))


async def _count_on_endpoint(
    db: AsyncConnection, endpoint_pk: int, outcome: Outcome, now: datetime
) -> None:
    """The endpoint's failures in a row and its breaker. A success touches the row only
    when there is something to reset: deliveries to one endpoint would otherwise all queue
    for its row lock."""
    endpoint = webhook_endpoints.c
    mine = endpoint.id == endpoint_pk
    if outcome.delivered:
        await db.execute(
            update(webhook_endpoints)
            .where(
                mine,
                or_(endpoint.consecutive_failures != 0, endpoint.breaker_open_until.is_not(None)),
            )
            .values(consecutive_failures=0, breaker_open_until=None)
        )
        return
    in_a_row = (
        await db.execute(
            update(webhook_endpoints)
            .where(mine)
            .values(consecutive_failures=endpoint.consecutive_failures + 1)
            .returning(endpoint.consecutive_failures)
        )
    ).scalar_one()
    pause = schedule.breaker_pause(in_a_row)
    if pause is not None:
        await db.execute(
            update(webhook_endpoints).where(mine).values(breaker_open_until=now + pause)
        )


async def _delivered_since(db: AsyncConnection, endpoint_pk: int, event: Event) -> bool:
    """Whether anything reached the endpoint since `event` was made: one event a receiver
    keeps refusing must not switch off an endpoint that takes the others."""
    attempts = webhook_attempts.c
    succeeded = await db.execute(
        select(attempts.id)
        .where(
            attempts.endpoint_id == endpoint_pk,
            attempts.attempted_at >= event.created_at,
            attempts.status_code >= 200,
            attempts.status_code < 300,
        )
        .limit(1)
    )
    return succeeded.first() is not None


async def _disable(db: AsyncConnection, endpoint_pk: int, reason: str, now: datetime) -> None:
    """Switch the endpoint off, and say so with a `webhook_endpoint.disabled` event to the
    endpoints listening for it (once: an endpoint already off is left as it is)."""
    endpoint = webhook_endpoints.c
    row = (
        await db.execute(
            update(webhook_endpoints)
            .where(endpoint.id == endpoint_pk, endpoint.enabled.is_(True))
            .values(
                enabled=False,
                disabled_reason=reason,
                updated_at=now,
                version=endpoint.version + 1,
            )
            .returning(*registry.WEBHOOK_ENDPOINT.columns)
        )
    ).first()
    if row is not None:
        disabled = registry.WEBHOOK_ENDPOINT.from_row(row)
        await emit(
            db,
            "webhook_endpoint.disabled",
            representations.webhook_endpoint(disabled),
            request_id=None,
        )


async def owed_by_endpoint(database: Database) -> dict[int, int]:
    """Deliveries owed and not yet made, by endpoint key."""
    deliveries = webhook_deliveries.c
    async with database.connect() as db:
        rows = await db.execute(
            select(deliveries.endpoint_id, func.count())
            .where(deliveries.status == "pending")
            .group_by(deliveries.endpoint_id)
        )
        return {row[0]: int(row[1]) for row in rows}

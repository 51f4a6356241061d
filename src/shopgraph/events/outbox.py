"""Writing events: one row per event, in the transaction of the change it reports, and one
delivery per webhook endpoint that listens for its type, in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db.models import events, utcnow, webhook_deliveries, webhook_endpoints
from ..db.types import UTCDateTime
from .catalog import EVENT_TYPES

ALL_TYPES = "*"


def listened(type: str) -> Any:
    """The condition on `webhook_endpoints` of those listening for `type`."""
    return or_(
        webhook_endpoints.c.event_types == ALL_TYPES,
        webhook_endpoints.c.event_types.contains(f" {type} ", autoescape=True),
    )


async def emit(
    db: AsyncConnection, type: str, resource: Mapping[str, Any], *, request_id: str | None
) -> None:
    """Append a `type` event carrying `resource` (its REST rendering) in `db`'s transaction,
    owed at once to every enabled endpoint listening for it.

    `request_id` names the request that caused it; None for the server's own work (a
    payment settled by reconciliation)."""
    now = utcnow()
    event_pk = (
        await db.execute(
            insert(events)
            .values(
                type=type,
                created_at=now,
                object_type=EVENT_TYPES[type].object_type,
                object_id=resource["id"],
                object=orjson.dumps(resource).decode(),
                request_id=request_id,
            )
            .returning(events.c.id)
        )
    ).scalar_one()
    await owe(db, event_pk, now, webhook_endpoints.c.enabled.is_(True), listened(type))


async def owe(db: AsyncConnection, event_pk: int, now: datetime, *where: Any) -> int:
    """A delivery of the event, due `now`, to every endpoint that passes `where`; how many."""
    when = literal(now, UTCDateTime())
    chosen = select(
        literal(event_pk), webhook_endpoints.c.id, literal("pending"), literal(0), when, when, when
    ).where(*where)
    made = await db.execute(
        insert(webhook_deliveries).from_select(
            [
                "event_id",
                "endpoint_id",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
                "updated_at",
            ],
            chosen,
        )
    )
    return int(made.rowcount or 0)

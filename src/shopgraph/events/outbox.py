"""Writing events: one row per event, in the transaction of the change it reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db.models import events, utcnow
from .catalog import EVENT_TYPES


async def emit(
    db: AsyncConnection, type: str, resource: Mapping[str, Any], *, request_id: str | None
) -> None:
    """Append a `type` event carrying `resource` (its REST rendering) in `db`'s transaction.

    `request_id` names the request that caused it; None for the server's own work (a
    payment settled by reconciliation)."""
    await db.execute(
        insert(events).values(
            type=type,
            created_at=utcnow(),
            object_type=EVENT_TYPES[type].object_type,
            object_id=resource["id"],
            object=orjson.dumps(resource).decode(),
            request_id=request_id,
        )
    )

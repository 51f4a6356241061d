"""Redelivery: an event owed again, or an endpoint's given-up deliveries tried again
(`webhooks:write`). Either way the receiver gets the same bytes and `webhook-id`."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import select, update

from .. import registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import events, utcnow, webhook_deliveries, webhook_endpoints
from ..errors import FieldError, NotFound, ValidationFailed
from ..events.outbox import listened, owe
from ..formats import parse_timestamp
from .audit_trail import record
from .common import get_one, reference_key
from .inputs import Input, parse
from .webhook_endpoints import get_endpoint


class Redelivery(Input):
    endpoint_id: str | None = Field(
        default=None,
        max_length=64,
        description="Only to this endpoint (even one not listening for the type); default: "
        "every enabled endpoint listening for it.",
    )


class FailedRedelivery(Input):
    since: str = Field(
        max_length=40,
        description="RFC 3339: deliveries given up for events made since then.",
        json_schema_extra={"format": "date-time"},
    )


async def redeliver_event(ctx: RequestContext, event_id: str, data: dict[str, Any]) -> int:
    """Owe the event again (a new delivery, due now, same `webhook-id`); how many."""
    authorize(ctx.principal, "webhooks:write")
    event = await get_one("Event", ctx.loaders.by_id(registry.EVENT), event_id)
    wanted = parse(Redelivery, data)
    endpoints = webhook_endpoints.c
    if wanted.endpoint_id is not None:
        pk = reference_key("WebhookEndpoint", wanted.endpoint_id, "endpoint_id")
        where = [endpoints.id == pk]
    else:
        where = [endpoints.enabled.is_(True), listened(event.type)]
    async with ctx.transaction() as db:
        made = await owe(db, event.pk, utcnow(), *where)
        await record(db, ctx, "event.redeliver", "Event", [event_id])
    if wanted.endpoint_id is not None and not made:
        raise NotFound(f"No webhook endpoint with id `{wanted.endpoint_id}`.")
    return made


async def redeliver_failed(ctx: RequestContext, endpoint_id: str, data: dict[str, Any]) -> int:
    """Try again every delivery to the endpoint given up for events since `since`, from
    the start of the schedule; how many."""
    authorize(ctx.principal, "webhooks:write")
    endpoint = await get_endpoint(ctx, endpoint_id)
    text = parse(FailedRedelivery, data).since
    try:
        since = parse_timestamp(text)
    except ValueError:
        message = "`since` must be an RFC 3339 time with an offset, like 2026-12-05T10:00:00Z."
        raise ValidationFailed(message, errors=[FieldError("since", "INVALID", message)]) from None
    now = utcnow()
    deliveries = webhook_deliveries.c
    recent = select(events.c.id).where(events.c.created_at >= since)
    async with ctx.transaction() as db:
        moved = await db.execute(
            update(webhook_deliveries)
            .where(
                deliveries.endpoint_id == endpoint.pk,
                deliveries.status == "failed",
                deliveries.event_id.in_(recent.scalar_subquery()),
            )
            .values(status="pending", attempts=0, next_attempt_at=now, updated_at=now)
        )
        await record(db, ctx, "webhook_endpoint.redeliver", "WebhookEndpoint", [endpoint_id])
    return int(moved.rowcount or 0)

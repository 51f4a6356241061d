"""Reading events (`webhooks:read`): the outbox as integrators see it, for the retention
period (`Settings.event_retention_days`; older ones are purged by housekeeping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete

from .. import registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.engine import Database
from ..db.models import events, utcnow
from ..errors import FieldError, ValidationFailed
from ..events.catalog import EVENT_TYPES
from ..pagination import Page
from ..records import Event
from ..sort_keys import EVENT_SORTS
from .common import Filter, PageInput, check_filter, fetch_page, get_one, resolve_page_args


@dataclass(frozen=True, slots=True)
class EventFilter:
    type: str | None = None  # one type, or every type of a resource: `order.*`
    object_id: str | None = None  # the public id of the resource the events carry


def _type_filter(wanted: str) -> Filter:
    if wanted.endswith(".*") and any(t.startswith(wanted[:-1]) for t in EVENT_TYPES):
        return Filter("type_prefix", lambda p: events.c.type.startswith(p), wanted[:-1])
    if wanted not in EVENT_TYPES:
        message = f"`{wanted}` is not an event type (docs/webhooks.md lists them)."
        raise ValidationFailed(message, errors=[FieldError("type", "INVALID", message)])
    return Filter("type", events.c.type.__eq__, wanted)


async def list_events(
    ctx: RequestContext, page: PageInput, where: EventFilter = EventFilter()
) -> Page[Event]:
    """Events oldest first by default, optionally of one type or about one resource."""
    authorize(ctx.principal, "webhooks:read")
    check_filter(where)
    args = resolve_page_args(ctx, EVENT_SORTS, page)
    filters = []
    if where.type is not None:
        filters.append(_type_filter(where.type))
    if where.object_id is not None:
        filters.append(Filter("object_id", events.c.object_id.__eq__, where.object_id))
    return await fetch_page(ctx, registry.EVENT, args, filters)


async def get_event(ctx: RequestContext, event_id: str) -> Event:
    authorize(ctx.principal, "webhooks:read")
    return await get_one("Event", ctx.loaders.by_id(registry.EVENT), event_id)


async def purge_old_events(database: Database, retention_days: int) -> int:
    """Delete events past the retention period; how many went."""
    cutoff = utcnow() - timedelta(days=retention_days)
    async with database.transaction() as db:
        result = await db.execute(delete(events).where(events.c.created_at < cutoff))
    return int(result.rowcount or 0)

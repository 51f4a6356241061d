"""The audit trail: who touched which data, recorded with the change itself.

Writes call `record` inside their own transaction, so an audit entry exists exactly
when the change does. Reads of customer data by a third party (an API key or OAuth
client), on either surface and through any field, are noted with `record_read` and
written as one entry when the request ends (`RequestContext.close`); a request that
wrote is covered by its write's entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..context import RequestContext
from ..db.models import audit_events, utcnow

THIRD_PARTIES = ("api_key", "oauth_client")


def _values(
    ctx: RequestContext, action: str, resource_type: str, resource_ids: Sequence[str]
) -> dict[str, object]:
    return {
        "occurred_at": utcnow(),
        "principal_kind": ctx.principal.kind,
        "principal_id": ctx.principal.id,
        "action": action,
        "resource_type": resource_type,
        "resource_ids": " ".join(resource_ids),
        "request_id": ctx.request_id,
        "client_ip": ctx.client_ip,
    }


async def record(
    db: AsyncConnection,
    ctx: RequestContext,
    action: str,
    resource_type: str,
    resource_ids: Sequence[str],
) -> None:
    """Append one entry in the caller's transaction (`action` like `product.update`)."""
    ctx.wrote = True
    await db.execute(insert(audit_events).values(_values(ctx, action, resource_type, resource_ids)))


def record_read(ctx: RequestContext, resource_ids: Sequence[str]) -> None:
    """Note a third party's read of customer data; written once when the request ends."""
    if ctx.principal.kind in THIRD_PARTIES:
        ctx.customers_read.update(resource_ids)

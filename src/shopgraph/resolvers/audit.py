"""Reading the audit trail (admins). Entries are written by `audit_trail`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import ids
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import audit_events
from ..pagination import Page
from ..sort_keys import AUDIT_SORTS
from .common import PageInput, fetch_page, resolve_page_args


@dataclass(frozen=True, slots=True)
class AuditEvent:
    pk: int
    id: str
    occurred_at: datetime
    principal_kind: str
    principal_id: str | None
    action: str
    resource_type: str
    resource_ids: list[str]
    request_id: str
    client_ip: str | None


COLUMNS = tuple(
    audit_events.c[name]
    for name in (
        "id",
        "occurred_at",
        "principal_kind",
        "principal_id",
        "action",
        "resource_type",
        "resource_ids",
        "request_id",
        "client_ip",
    )
)


def _from_row(row: Any) -> AuditEvent:
    pk, at, kind, principal, action, resource_type, resource_ids, request_id, ip = row[:9]
    return AuditEvent(
        pk,
        ids.encode("AuditEvent", pk),
        at,
        kind,
        principal,
        action,
        resource_type,
        resource_ids.split(),
        request_id,
        ip,
    )


async def list_audit_events(ctx: RequestContext, page: PageInput) -> Page[AuditEvent]:
    authorize(ctx.principal, "audit:read")
    args = resolve_page_args(ctx, AUDIT_SORTS, page)
    return await fetch_page(ctx, select(*COLUMNS), audit_events.c.id, args, _from_row)

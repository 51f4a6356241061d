"""Reading the audit trail (admins). Entries are written by `audit_trail`."""

from __future__ import annotations

from .. import registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..pagination import Page
from ..records import AuditEvent
from ..sort_keys import AUDIT_SORTS
from .common import PageInput, fetch_page, resolve_page_args


async def list_audit_events(ctx: RequestContext, page: PageInput) -> Page[AuditEvent]:
    authorize(ctx.principal, "audit:read")
    args = resolve_page_args(ctx, AUDIT_SORTS, page)
    return await fetch_page(ctx, registry.AUDIT_EVENT, args)

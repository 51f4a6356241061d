"""`/api-keys`, `/customers/{id}/tokens`, `/audit-events`: managing and watching access."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.responses import Response

from ..auth.api_keys import ApiKeyInfo
from ..formats import timestamp
from ..records import AuditEvent
from ..resolvers import access, audit, deprecation_usage
from . import render
from .endpoint import Call
from .paging import list_response, page_input
from .queries import AuditListQuery, Query


def _optional_time(value: Any) -> str | None:
    return None if value is None else timestamp(value)


def api_key(info: ApiKeyInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": info.name,
        "prefix": info.prefix,
        "scopes": info.scopes,
        "tier": info.tier,
        "allowed_ips": info.allowed_ips,
        "expires_at": _optional_time(info.expires_at),
        "revoked_at": _optional_time(info.revoked_at),
        "last_used_at": _optional_time(info.last_used_at),
        "created_at": timestamp(info.created_at),
        "api_version": info.api_version,
    }


def audit_event(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": timestamp(event.occurred_at),
        "principal_kind": event.principal_kind,
        "principal_id": event.principal_id,
        "action": event.action,
        "resource_type": event.resource_type,
        "resource_ids": event.resource_ids,
        "request_id": event.request_id,
        "client_ip": event.client_ip,
    }


async def create_api_key(call: Call[Query]) -> Response:
    info, key = await access.create_key(call.ctx, call.body)
    return render.created(call.request.url.path, {**api_key(info), "key": key})


async def deprecation_usage_report(call: Call[Query]) -> Response:
    rows = await deprecation_usage.report(call.ctx)
    return render.json_response(
        {
            "data": [
                {
                    **asdict(row),
                    "first_seen": timestamp(row.first_seen),
                    "last_seen": timestamp(row.last_seen),
                }
                for row in rows
            ]
        }
    )


async def update_api_key(call: Call[Query]) -> Response:
    return render.json_response(api_key(await access.update_key(call.ctx, call.id, call.body)))


async def list_api_keys(call: Call[Query]) -> Response:
    return render.json_response(
        {"data": [api_key(info) for info in await access.list_keys(call.ctx)]}
    )


async def revoke_api_key(call: Call[Query]) -> Response:
    return render.json_response(api_key(await access.revoke_key(call.ctx, call.id)))


async def issue_customer_token(call: Call[Query]) -> Response:
    issued = await access.issue_customer_token(call.ctx, call.id)
    body = {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "customer_id": issued.customer_id,
    }
    return render.json_response(body, 201, {"Cache-Control": "no-store"})


async def list_audit_events(call: Call[AuditListQuery]) -> Response:
    page = await audit.list_audit_events(call.ctx, page_input(call.query))
    return list_response(call.request, call.query, page, [audit_event(e) for e in page.items])

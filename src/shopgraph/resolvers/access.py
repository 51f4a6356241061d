"""Managing access: API keys (admins) and customer tokens, audited like any write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import Field

from .. import registry
from ..auth import tokens
from ..auth.api_keys import ApiKeyInfo, insert_api_key, list_api_keys, mark_revoked, pin_version
from ..auth.principal import CUSTOMER, Principal, authorize
from ..context import RequestContext
from ..records import Customer
from ..versioning import VERSIONS
from .audit_trail import record
from .common import get_one
from .inputs import Input, parse


class ApiKeyCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(min_length=1, max_length=20)
    tier: str = "standard"
    allowed_ips: list[str] = Field(default_factory=list, max_length=50)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)
    api_version: str | None = Field(
        default=None,
        description="The dated REST version it is pinned to; default: the current one.",
        json_schema_extra={"enum": list(VERSIONS)},
    )


class ApiKeyUpdate(Input):
    api_version: str = Field(
        description="Pin the key to this dated REST version (docs/versioning.md).",
        json_schema_extra={"enum": list(VERSIONS)},
    )


@dataclass(frozen=True, slots=True)
class CustomerToken:
    access_token: str
    expires_in: int
    customer_id: str


async def create_key(ctx: RequestContext, data: dict[str, Any]) -> tuple[ApiKeyInfo, str]:
    """A new API key; the key itself is returned this once and never again."""
    authorize(ctx.principal, "admin")
    request = parse(ApiKeyCreate, data)
    expires = timedelta(days=request.expires_in_days) if request.expires_in_days else None
    async with ctx.transaction() as db:
        info, key = await insert_api_key(
            db,
            name=request.name,
            scopes=request.scopes,
            tier=request.tier,
            allowed_ips=request.allowed_ips,
            expires_in=expires,
            api_version=request.api_version,
        )
        await record(db, ctx, "api_key.create", "ApiKey", [info.id])
    return info, key


async def update_key(ctx: RequestContext, key_id: str, data: dict[str, Any]) -> ApiKeyInfo:
    """Pin a key to another dated REST version (what a consumer does once migrated)."""
    authorize(ctx.principal, "admin")
    request = parse(ApiKeyUpdate, data)
    async with ctx.transaction() as db:
        info = await pin_version(db, key_id, request.api_version)
        await record(db, ctx, "api_key.update", "ApiKey", [info.id])
    return info


async def list_keys(ctx: RequestContext) -> list[ApiKeyInfo]:
    authorize(ctx.principal, "admin")
    return await list_api_keys(ctx.services.database)


async def revoke_key(ctx: RequestContext, key_id: str) -> ApiKeyInfo:
    authorize(ctx.principal, "admin")
    async with ctx.transaction() as db:
        info = await mark_revoked(db, key_id)
        await record(db, ctx, "api_key.revoke", "ApiKey", [info.id])
    return info


async def issue_customer_token(ctx: RequestContext, customer_id: str) -> CustomerToken:
    """A token for a storefront acting for one customer: their own orders, nothing else."""
    # Issuing a token must not grant more than the issuer holds: it needs every scope the
    # token carries, as well as customers:write.
    for scope in ("customers:write", *sorted(CUSTOMER - {"products:read"})):
        authorize(ctx.principal, scope)
    # Through the loader, not `get_customer`: this is one audited write, not also a read.
    customer: Customer = await get_one(
        "Customer", ctx.loaders.by_id(registry.CUSTOMER), customer_id
    )
    ttl = timedelta(minutes=ctx.settings.customer_token_minutes)
    principal = Principal(
        kind="customer",
        id=customer.id,
        scopes=CUSTOMER,
        tier=ctx.principal.tier,  # the storefront's key's tier, never more
        customer_pk=customer.pk,
    )
    token = tokens.issue(ctx.services.secret_key, principal, ttl)
    async with ctx.transaction() as db:
        await record(db, ctx, "customer_token.create", "Customer", [customer.id])
    return CustomerToken(token, int(ttl.total_seconds()), customer.id)

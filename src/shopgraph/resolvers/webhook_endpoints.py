"""Webhook endpoints: where events are delivered (`webhooks:write`; reading: `webhooks:read`).

A URL is checked when it is saved (https, and a host that resolves to public addresses
only, unless `webhooks_allow_private`), and again before every delivery. The signing
secret is returned when the endpoint is made and when it is rotated, and never again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from pydantic import Field, field_validator
from pydantic.config import JsonDict
from sqlalchemy import delete, insert, select, update

from .. import registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import (
    utcnow,
    webhook_attempts,
    webhook_endpoints,
)
from ..errors import FieldError, NotFound, ValidationFailed
from ..events.catalog import EVENT_TYPES
from ..events.outbox import ALL_TYPES
from ..pagination import Page
from ..records import WebhookAttempt, WebhookEndpoint
from ..sort_keys import WEBHOOK_ATTEMPT_SORTS, WEBHOOK_ENDPOINT_SORTS
from ..versioning import CURRENT, VERSIONS, parse_version
from ..webhooks import secrets
from ..webhooks.addresses import RefusedAddress, check_destination
from .audit_trail import record
from .common import (
    Filter,
    PageInput,
    fetch_page,
    get_one,
    key_of,
    resolve_page_args,
)
from .inputs import Input, changes, parse

MAX_OVERLAP_HOURS = 7 * 24
DEFAULT_OVERLAP_HOURS = 24


def _types(value: list[str]) -> list[str]:
    unknown = [name for name in value if name != ALL_TYPES and name not in EVENT_TYPES]
    if unknown:
        raise ValueError(f"unknown event types: {', '.join(unknown)} (docs/webhooks.md)")
    if ALL_TYPES in value and len(value) > 1:
        raise ValueError('"*" (every type) stands alone')
    return list(dict.fromkeys(value))


# What the document can say of a URL and of the types; the rest (a public host that
# resolves, "*" standing alone) is said in words and checked here.
URL_SCHEMA: Final[JsonDict] = {"format": "uri", "pattern": "^https?://[^\\s/?#@]+([/?#]\\S*)?$"}
TYPES_SCHEMA: Final[JsonDict] = {"items": {"type": "string", "enum": [ALL_TYPES, *EVENT_TYPES]}}


class WebhookEndpointCreate(Input):
    url: str = Field(
        min_length=1,
        max_length=2048,
        description="https:// on a host with public addresses only (docs/webhooks.md).",
        json_schema_extra=URL_SCHEMA,
    )
    event_types: list[str] = Field(
        default_factory=lambda: [ALL_TYPES],
        min_length=1,
        max_length=len(EVENT_TYPES),
        description='The types to deliver, or ["*"] alone for every type (the default).',
        json_schema_extra=TYPES_SCHEMA,
    )
    description: str | None = Field(default=None, max_length=500)
    enabled: bool = True
    api_version: str = Field(
        default=CURRENT,
        description="The dated version its deliveries are rendered in; default: current.",
        json_schema_extra={"enum": list(VERSIONS)},
    )

    @field_validator("event_types")
    @classmethod
    def _check_types(cls, value: list[str]) -> list[str]:
        return _types(value)


class WebhookEndpointUpdate(Input):
    url: str | None = Field(
        default=None, min_length=1, max_length=2048, json_schema_extra=URL_SCHEMA
    )
    event_types: list[str] | None = Field(
        default=None, min_length=1, max_length=len(EVENT_TYPES), json_schema_extra=TYPES_SCHEMA
    )
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = Field(default=None, description="true also clears a disabling.")
    api_version: str | None = Field(default=None, json_schema_extra={"enum": list(VERSIONS)})

    @field_validator("event_types")
    @classmethod
    def _check_types(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _types(value)


class SecretRotation(Input):
    overlap_hours: float = Field(
        default=DEFAULT_OVERLAP_HOURS,
        ge=0,
        le=MAX_OVERLAP_HOURS,
        description="How long deliveries stay signed with the old secret as well.",
    )


def _stored_types(types: list[str]) -> str:
    return ALL_TYPES if types == [ALL_TYPES] else f" {' '.join(types)} "


async def _check_url(ctx: RequestContext, url: str) -> None:
    try:
        await check_destination(url, allow_private=ctx.settings.webhooks_allow_private)
    except RefusedAddress as refused:
        message = f"This URL cannot receive webhooks: {refused}."
        raise ValidationFailed(message, errors=[FieldError("url", "INVALID", message)]) from None


async def create_endpoint(ctx: RequestContext, data: dict[str, Any]) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (`whsec_…`), returned this once."""
    authorize(ctx.principal, "webhooks:write")
    made = parse(WebhookEndpointCreate, data)
    await _check_url(ctx, made.url)
    secret = secrets.new_secret()
    now = utcnow()
    async with ctx.transaction() as db:
        row = (
            await db.execute(
                insert(webhook_endpoints)
                .values(
                    url=made.url,
                    description=made.description,
                    event_types=_stored_types(made.event_types),
                    enabled=made.enabled,
                    api_version=parse_version(made.api_version, "api_version"),
                    secret=secrets.seal(secret, ctx.services.secret_key),
                    consecutive_failures=0,
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
                .returning(*registry.WEBHOOK_ENDPOINT.columns)
            )
        ).one()
        endpoint = registry.WEBHOOK_ENDPOINT.from_row(row)
        await record(db, ctx, "webhook_endpoint.create", "WebhookEndpoint", [endpoint.id])
    return endpoint, secret


async def list_endpoints(ctx: RequestContext, page: PageInput) -> Page[WebhookEndpoint]:
    authorize(ctx.principal, "webhooks:read")
    args = resolve_page_args(ctx, WEBHOOK_ENDPOINT_SORTS, page)
    return await fetch_page(ctx, registry.WEBHOOK_ENDPOINT, args)


async def get_endpoint(ctx: RequestContext, endpoint_id: str) -> WebhookEndpoint:
    authorize(ctx.principal, "webhooks:read")
    return await get_one(
        "WebhookEndpoint", ctx.loaders.by_id(registry.WEBHOOK_ENDPOINT), endpoint_id
    )


async def update_endpoint(
    ctx: RequestContext, endpoint_id: str, data: dict[str, Any]
) -> WebhookEndpoint:
    """PATCH semantics. Enabling an endpoint again clears why it was disabled and its
    failure count; deliveries it missed while disabled are not made up (redeliver them)."""
    authorize(ctx.principal, "webhooks:write")
    pk = key_of("WebhookEndpoint", endpoint_id)
    values = changes(parse(WebhookEndpointUpdate, data))
    if values.get("url") is not None:
        await _check_url(ctx, values["url"])
    if values.get("api_version") is not None:
        values["api_version"] = parse_version(values["api_version"], "api_version")
    for name in ("url", "event_types", "enabled", "api_version"):
        if name in values and values[name] is None:
            message = f"`{name}` cannot be null."
            raise ValidationFailed(message, errors=[FieldError(name, "INVALID", message)])
    if "event_types" in values:
        values["event_types"] = _stored_types(values["event_types"])
    if values.get("enabled"):
        values |= {"disabled_reason": None, "consecutive_failures": 0}
    async with ctx.transaction() as db:
        row = (
            await db.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == pk)
                .values(**values, updated_at=utcnow(), version=webhook_endpoints.c.version + 1)
                .returning(*registry.WEBHOOK_ENDPOINT.columns)
            )
        ).one_or_none()
        if row is not None:
            await record(db, ctx, "webhook_endpoint.update", "WebhookEndpoint", [endpoint_id])
    if row is None:
        raise NotFound(f"No webhook endpoint with id `{endpoint_id}`.")
    return registry.WEBHOOK_ENDPOINT.from_row(row)


async def delete_endpoint(ctx: RequestContext, endpoint_id: str) -> None:
    """Remove it; what it was still owed is dropped with it."""
    authorize(ctx.principal, "webhooks:write")
    pk = key_of("WebhookEndpoint", endpoint_id)
    async with ctx.transaction() as db:
        gone = await db.execute(delete(webhook_endpoints).where(webhook_endpoints.c.id == pk))
        if gone.rowcount:
            await record(db, ctx, "webhook_endpoint.delete", "WebhookEndpoint", [endpoint_id])
    if not gone.rowcount:
        raise NotFound(f"No webhook endpoint with id `{endpoint_id}`.")


async def rotate_secret(
    ctx: RequestContext, endpoint_id: str, data: dict[str, Any]
) -> tuple[WebhookEndpoint, str]:
    """A new signing secret, returned this once; for `overlap_hours` deliveries carry a
    signature with the old one too, so receivers can switch without missing any."""
    authorize(ctx.principal, "webhooks:write")
    pk = key_of("WebhookEndpoint", endpoint_id)
    overlap = parse(SecretRotation, data).overlap_hours
    secret = secrets.new_secret()
    now = utcnow()
    async with ctx.transaction() as db:
        current = (
            await db.execute(
                select(webhook_endpoints.c.secret)
                .where(webhook_endpoints.c.id == pk)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if current is None:
            raise NotFound(f"No webhook endpoint with id `{endpoint_id}`.")
        row = (
            await db.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == pk)
                .values(
                    secret=secrets.seal(secret, ctx.services.secret_key),
                    previous_secret=current if overlap else None,
                    previous_secret_expires_at=now + timedelta(hours=overlap) if overlap else None,
                    updated_at=now,
                    version=webhook_endpoints.c.version + 1,
                )
                .returning(*registry.WEBHOOK_ENDPOINT.columns)
            )
        ).one()
        await record(db, ctx, "webhook_endpoint.rotate_secret", "WebhookEndpoint", [endpoint_id])
    return registry.WEBHOOK_ENDPOINT.from_row(row), secret


async def list_attempts(
    ctx: RequestContext, endpoint_id: str, page: PageInput
) -> Page[WebhookAttempt]:
    """Every try at delivering to the endpoint, newest last by default: what the partner
    answered, how fast, or why it could not be reached."""
    endpoint = await get_endpoint(ctx, endpoint_id)
    args = resolve_page_args(ctx, WEBHOOK_ATTEMPT_SORTS, page)
    mine = Filter("endpoint", webhook_attempts.c.endpoint_id.__eq__, endpoint.pk)
    return await fetch_page(ctx, registry.WEBHOOK_ATTEMPT, args, [mine])

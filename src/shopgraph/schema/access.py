"""GraphQL for access management: API keys, customer tokens, the audit trail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import strawberry

from ..auth.api_keys import ApiKeyInfo
from ..resolvers import access, audit, deprecation_usage
from ..resolvers.common import PageInput
from .connections import Connection, connection
from .context import Info
from .idempotent import WRITE_EXPECTED
from .inputs import to_dict
from .mutation import UserError, user_errors
from .scalars import DateTime


@strawberry.type
class ApiKey:
    id: strawberry.ID
    name: str
    prefix: str
    scopes: list[str]
    tier: str
    allowed_ips: list[str]
    expires_at: DateTime | None
    revoked_at: DateTime | None
    last_used_at: DateTime | None
    created_at: DateTime
    api_version: str = strawberry.field(
        description="The dated REST version the key's requests are answered in unless they "
        "send `Shopgraph-Version`. GraphQL itself has no versions: it deprecates."
    )


@strawberry.type
class AuditEvent:
    id: strawberry.ID
    occurred_at: DateTime
    principal_kind: str
    principal_id: str | None
    action: str
    resource_type: str
    resource_ids: list[str]
    request_id: str
    client_ip: str | None


@strawberry.input
class ApiKeyCreateInput:
    name: str
    scopes: list[str]
    tier: str = "standard"
    allowed_ips: list[str] = strawberry.field(default_factory=list)
    expires_in_days: int | None = None


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKey | None
    key: str | None = strawberry.field(description="The key itself: shown this once.")
    user_errors: list[UserError]


@strawberry.type
class CustomerTokenPayload:
    access_token: str | None
    expires_in: int | None
    user_errors: list[UserError]


def _api_key(info: ApiKeyInfo) -> ApiKey:
    return ApiKey(
        id=strawberry.ID(info.id),
        name=info.name,
        prefix=info.prefix,
        scopes=info.scopes,
        tier=info.tier,
        allowed_ips=info.allowed_ips,
        expires_at=_dt(info.expires_at),
        revoked_at=_dt(info.revoked_at),
        last_used_at=_dt(info.last_used_at),
        created_at=info.created_at,  # type: ignore[arg-type]
        api_version=info.api_version,
    )


def _dt(value: datetime | None) -> DateTime | None:
    return value  # type: ignore[return-value]


@strawberry.type(description="Uses of one deprecated thing by one consumer (docs/versioning.md).")
class DeprecationUsage:
    subject: str = strawberry.field(description="`version 2026-12-01`, `Order.currency`, ...")
    consumer_kind: str = strawberry.field(description="api_key, oauth_client, customer...")
    consumer_id: str = strawberry.field(description="Its id; `-` for anonymous callers.")
    uses: int
    days: int = strawberry.field(description="Days with at least one use.")
    first_seen: DateTime
    last_seen: DateTime
    last_7_days: int
    previous_7_days: int = strawberry.field(description="Uses in the 7 days before those.")


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Admins only.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        return [_api_key(item) for item in await access.list_keys(info.context)]

    @strawberry.field(
        description="Admins only. Who still uses what is deprecated: the adoption report."
    )
    async def deprecation_usage(self, info: Info) -> list[DeprecationUsage]:
        rows = await deprecation_usage.report(info.context)
        return [DeprecationUsage(**asdict(row)) for row in rows]

    @strawberry.field(description="Needs audit:read. Oldest first.")
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditEvent]:
        page = await audit.list_audit_events(
            info.context, PageInput(first, last, after, before, "occurred_at", "asc")
        )
        return await connection(info, page)  # type: ignore[arg-type]


@strawberry.type
class AccessMutation:
    @strawberry.mutation(description="Admins only. The key is in this payload only.")
    async def create_api_key(self, info: Info, input: ApiKeyCreateInput) -> ApiKeyPayload:
        try:
            created, key = await access.create_key(info.context, to_dict(input))
        except WRITE_EXPECTED as error:
            return ApiKeyPayload(api_key=None, key=None, user_errors=user_errors(error))
        return ApiKeyPayload(api_key=_api_key(created), key=key, user_errors=[])

    @strawberry.mutation(
        description="Admins only. The key stops working at once; tokens already issued "
        "from it expire within minutes."
    )
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> ApiKeyPayload:
        try:
            revoked = await access.revoke_key(info.context, id)
        except WRITE_EXPECTED as error:
            return ApiKeyPayload(api_key=None, key=None, user_errors=user_errors(error))
        return ApiKeyPayload(api_key=_api_key(revoked), key=None, user_errors=[])

    @strawberry.mutation(description="A token for a storefront acting for one customer.")
    async def issue_customer_token(
        self, info: Info, customer_id: strawberry.ID
    ) -> CustomerTokenPayload:
        try:
            issued = await access.issue_customer_token(info.context, customer_id)
        except WRITE_EXPECTED as error:
            return CustomerTokenPayload(
                access_token=None, expires_in=None, user_errors=user_errors(error)
            )
        return CustomerTokenPayload(
            access_token=issued.access_token, expires_in=issued.expires_in, user_errors=[]
        )

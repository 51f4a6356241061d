"""GraphQL for webhook endpoints and their delivery attempts (docs/webhooks.md)."""

from __future__ import annotations

from typing import Any

import strawberry

from ..errors import ShopgraphError
from ..formats import timestamp
from ..records import WebhookEndpoint as EndpointRecord
from ..resolvers import redelivery, webhook_health
from ..resolvers import webhook_endpoints as service
from ..resolvers.common import PageInput
from .connections import Connection, connection
from .context import Info
from .idempotent import WRITE_EXPECTED
from .inputs import to_dict
from .mutation import DeletePayload, UserError, user_errors
from .scalars import DateTime


@strawberry.type(description="One try at delivering an event to an endpoint.")
class WebhookAttempt:
    id: strawberry.ID
    event_id: strawberry.ID
    attempted_at: DateTime
    status_code: int | None = strawberry.field(description="Null if no answer came.")
    latency_ms: int
    error: str | None = strawberry.field(
        description="timeout, connection_refused, connection_reset, connection, tls, "
        "refused_address, http_3xx, http_4xx or http_5xx; null when delivered."
    )
    response_excerpt: str | None = strawberry.field(description="The answer's first 1,024 bytes.")


@strawberry.type(description="Attempts over a recent period.")
class DeliveryWindow:
    attempts: int
    success_rate: float | None = strawberry.field(description="Share answered 2xx.")
    p50_ms: int | None
    p95_ms: int | None


@strawberry.type
class EndpointHealth:
    breaker: str = strawberry.field(description="closed, open or half_open.")
    queue_depth: int = strawberry.field(description="Deliveries owed and not yet made.")
    last_hour: DeliveryWindow
    last_day: DeliveryWindow


@strawberry.type(description="Where events are delivered. Its secret is never shown here.")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    description: str | None
    event_types: list[str] = strawberry.field(description='["*"]: every type.')
    enabled: bool
    disabled_reason: str | None
    consecutive_failures: int
    breaker_open_until: DateTime | None = strawberry.field(
        description="Set once 5 tries in a row failed: nothing is tried before it, then one "
        "delivery at a time until one succeeds."
    )
    previous_secret_expires_at: DateTime | None
    api_version: str = strawberry.field(
        description="The dated REST version its deliveries' `data.object` is rendered in."
    )
    created_at: DateTime
    updated_at: DateTime

    @strawberry.field(description="The breaker, the backlog, and the last hour and day.")
    async def health(self, info: Info, root: strawberry.Parent[EndpointRecord]) -> EndpointHealth:
        found: Any = await webhook_health.endpoint_health(info.context, root)
        return found  # type: ignore[no-any-return]

    @strawberry.field(description="Every try, oldest first.")
    async def deliveries(
        self,
        info: Info,
        root: strawberry.Parent[EndpointRecord],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WebhookAttempt]:
        page = await service.list_attempts(
            info.context, root.id, PageInput(first, last, after, before, "attempted_at", "asc")
        )
        return Connection.of(page)  # type: ignore[arg-type]


@strawberry.input
class WebhookEndpointCreateInput:
    url: str
    event_types: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.input
class WebhookEndpointUpdateInput:
    url: str | None = strawberry.UNSET
    event_types: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET


@strawberry.type
class WebhookEndpointPayload:
    webhook_endpoint: WebhookEndpoint | None
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_...): in this payload only, when made or rotated."
    )
    user_errors: list[UserError]


def _payload(endpoint: Any, secret: str | None = None) -> WebhookEndpointPayload:
    return WebhookEndpointPayload(webhook_endpoint=endpoint, secret=secret, user_errors=[])


def _refused(error: ShopgraphError) -> WebhookEndpointPayload:
    return WebhookEndpointPayload(
        webhook_endpoint=None, secret=None, user_errors=user_errors(error)
    )


@strawberry.type
class RedeliveryPayload:
    deliveries: int | None = strawberry.field(description="Deliveries now due.")
    user_errors: list[UserError]


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="Needs webhooks:read.")
    async def webhook_endpoints(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WebhookEndpoint]:
        page = await service.list_endpoints(
            info.context, PageInput(first, last, after, before, "created_at", "asc")
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(description="Needs webhooks:read.")
    async def webhook_endpoint(self, info: Info, id: strawberry.ID) -> WebhookEndpoint:
        found: Any = await service.get_endpoint(info.context, id)
        return found  # type: ignore[no-any-return]


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(description="Needs webhooks:write. The secret is in this payload only.")
    async def create_webhook_endpoint(
        self, info: Info, input: WebhookEndpointCreateInput
    ) -> WebhookEndpointPayload:
        try:
            made, secret = await service.create_endpoint(info.context, to_dict(input))
        except WRITE_EXPECTED as error:
            return _refused(error)
        return _payload(made, secret)

    @strawberry.mutation(description="Needs webhooks:write. `enabled: true` clears a disabling.")
    async def update_webhook_endpoint(
        self, info: Info, id: strawberry.ID, input: WebhookEndpointUpdateInput
    ) -> WebhookEndpointPayload:
        try:
            changed = await service.update_endpoint(info.context, id, to_dict(input))
        except WRITE_EXPECTED as error:
            return _refused(error)
        return _payload(changed)

    @strawberry.mutation(description="Needs webhooks:write.")
    async def delete_webhook_endpoint(self, info: Info, id: strawberry.ID) -> DeletePayload:
        try:
            await service.delete_endpoint(info.context, id)
        except WRITE_EXPECTED as error:
            return DeletePayload(deleted_id=None, user_errors=user_errors(error))
        return DeletePayload(deleted_id=id, user_errors=[])

    @strawberry.mutation(
        description="Needs webhooks:write. A new secret, in this payload only; for "
        "`overlapHours` deliveries are signed with the old one too."
    )
    async def rotate_webhook_secret(
        self, info: Info, id: strawberry.ID, overlap_hours: float = service.DEFAULT_OVERLAP_HOURS
    ) -> WebhookEndpointPayload:
        try:
            rotated, secret = await service.rotate_secret(
                info.context, id, {"overlap_hours": overlap_hours}
            )
        except WRITE_EXPECTED as error:
            return _refused(error)
        return _payload(rotated, secret)

    @strawberry.mutation(
        description="Needs webhooks:write. The event owed again (same body, same webhook-id) "
        "to every enabled endpoint listening for it, or to `endpointId`."
    )
    async def redeliver_event(
        self, info: Info, id: strawberry.ID, endpoint_id: strawberry.ID | None = None
    ) -> RedeliveryPayload:
        try:
            owed = await redelivery.redeliver_event(
                info.context, id, {} if endpoint_id is None else {"endpoint_id": endpoint_id}
            )
        except WRITE_EXPECTED as error:
            return RedeliveryPayload(deliveries=None, user_errors=user_errors(error))
        return RedeliveryPayload(deliveries=owed, user_errors=[])

    @strawberry.mutation(
        description="Needs webhooks:write. Every delivery to the endpoint given up for "
        "events since `since` starts its schedule again."
    )
    async def redeliver_failed_deliveries(
        self, info: Info, endpoint_id: strawberry.ID, since: DateTime
    ) -> RedeliveryPayload:
        try:
            owed = await redelivery.redeliver_failed(
                info.context, endpoint_id, {"since": timestamp(since)}
            )
        except WRITE_EXPECTED as error:
            return RedeliveryPayload(deliveries=None, user_errors=user_errors(error))
        return RedeliveryPayload(deliveries=owed, user_errors=[])

"""GraphQL for events: what happened, as webhooks deliver it (`webhooks:read`)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import strawberry
from strawberry.scalars import JSON

from ..records import Event as EventRecord
from ..resolvers import events
from ..resolvers.common import PageInput
from .connections import Connection, connection
from .context import Info
from .scalars import DateTime


@strawberry.type(description="Something that happened; docs/webhooks.md lists the types.")
class Event:
    id: strawberry.ID
    type: str
    created_at: DateTime
    object_type: str = strawberry.field(
        description="`Order`, `Payment`, `Refund`, `Product`, `WebhookEndpoint`."
    )
    object_id: strawberry.ID
    request_id: str | None = strawberry.field(
        description="The request that caused it; null for the server's own work."
    )

    @strawberry.field(
        description='`{"object": ...}`: the resource as the REST API rendered it then '
        "(snake_case fields), exactly what webhook deliveries carry."
    )
    def data(self, root: strawberry.Parent[EventRecord]) -> JSON:
        return {"object": orjson.loads(root.object)}  # type: ignore[return-value]


@strawberry.type
class EventsQuery:
    @strawberry.field(description="Needs webhooks:read. Oldest first; kept for 30 days.")
    async def events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        type: Annotated[
            str | None,
            strawberry.argument(description="One type (`order.paid`), or a resource's: `order.*`."),
        ] = None,
        object_id: strawberry.ID | None = None,
    ) -> Connection[Event]:
        page = await events.list_events(
            info.context,
            PageInput(first, last, after, before, "created_at", "asc"),
            events.EventFilter(type, object_id),
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(description="Needs webhooks:read.")
    async def event(self, info: Info, id: strawberry.ID) -> Event:
        found: Any = await events.get_event(info.context, id)
        return found  # type: ignore[no-any-return]

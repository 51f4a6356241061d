"""`/events`: what happened, as webhooks deliver it (`webhooks:read`)."""

from __future__ import annotations

from starlette.responses import Response

from .. import representations
from ..resolvers import events as service
from .endpoint import Call
from .paging import filter_of, list_response, page_input
from .queries import EventListQuery, Query
from .render import json_response


async def list_events(call: Call[EventListQuery]) -> Response:
    where = filter_of(service.EventFilter, call.query)
    page = await service.list_events(call.ctx, page_input(call.query), where)
    return list_response(
        call.request, call.query, page, [representations.event(e) for e in page.items]
    )


async def get_event(call: Call[Query]) -> Response:
    return json_response(representations.event(await service.get_event(call.ctx, call.id)))

"""`/webhook-endpoints`: where events are delivered, and every try at delivering them."""

from __future__ import annotations

from dataclasses import asdict

from starlette.responses import Response

from .. import representations
from ..resolvers import redelivery, webhook_health
from ..resolvers import webhook_endpoints as service
from . import render
from .endpoint import Call
from .paging import list_response, page_input
from .queries import Query, WebhookAttemptListQuery, WebhookEndpointListQuery


async def create_endpoint(call: Call[Query]) -> Response:
    endpoint, secret = await service.create_endpoint(call.ctx, call.body)
    body = {**representations.webhook_endpoint(endpoint), "secret": secret}
    return render.created(f"{call.request.url.path}/{endpoint.id}", body)


async def list_endpoints(call: Call[WebhookEndpointListQuery]) -> Response:
    page = await service.list_endpoints(call.ctx, page_input(call.query))
    items = [representations.webhook_endpoint(e) for e in page.items]
    return list_response(call.request, call.query, page, items)


async def get_endpoint(call: Call[Query]) -> Response:
    endpoint = await service.get_endpoint(call.ctx, call.id)
    health = await webhook_health.endpoint_health(call.ctx, endpoint)
    body = {**representations.webhook_endpoint(endpoint), "health": asdict(health)}
    return render.json_response(body)


async def update_endpoint(call: Call[Query]) -> Response:
    endpoint = await service.update_endpoint(call.ctx, call.id, call.body)
    return render.json_response(representations.webhook_endpoint(endpoint))


async def delete_endpoint(call: Call[Query]) -> Response:
    await service.delete_endpoint(call.ctx, call.id)
    return render.no_content()


async def rotate_secret(call: Call[Query]) -> Response:
    endpoint, secret = await service.rotate_secret(call.ctx, call.id, call.body)
    return render.json_response({**representations.webhook_endpoint(endpoint), "secret": secret})


async def list_attempts(call: Call[WebhookAttemptListQuery]) -> Response:
    page = await service.list_attempts(call.ctx, call.id, page_input(call.query))
    items = [representations.webhook_attempt(a) for a in page.items]
    return list_response(call.request, call.query, page, items)


async def redeliver_event(call: Call[Query]) -> Response:
    owed = await redelivery.redeliver_event(call.ctx, call.id, call.body)
    return render.json_response({"deliveries": owed}, 202)


async def redeliver_failed(call: Call[Query]) -> Response:
    owed = await redelivery.redeliver_failed(call.ctx, call.id, call.body)
    return render.json_response({"deliveries": owed}, 202)

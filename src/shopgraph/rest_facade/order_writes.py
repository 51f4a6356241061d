"""`POST /orders`, `/orders/{id}/cancel`, `/orders/{id}/fulfill`: the order write path."""

from __future__ import annotations

from starlette.responses import Response

from .. import representations
from ..records import Order
from ..resolvers import ordering
from ..resolvers import orders as reads
from . import render
from .endpoint import Call
from .idempotent import answer, idempotency_key
from .queries import Query


async def _order_response(call: Call[Query], order: Order, status: int = 200) -> Response:
    (lines,) = await reads.lines_of(call.ctx, [order])
    body = representations.order(order, lines)
    if status == 201:
        return render.created("/v1/orders", body)
    return render.json_response(body, status)


async def place_order(call: Call[Query]) -> Response:
    written = await ordering.place_order(call.ctx, call.body, key=idempotency_key(call.request))
    return await answer(written, "/v1/orders", lambda order: _order_response(call, order, 201))


async def cancel_order(call: Call[Query]) -> Response:
    return await _order_response(call, await ordering.cancel_order(call.ctx, call.id))


async def fulfill_order(call: Call[Query]) -> Response:
    return await _order_response(call, await ordering.fulfill_order(call.ctx, call.id))

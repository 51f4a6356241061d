"""`/orders` and `/customers/{id}/orders`: reads, every order with its lines embedded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import Response

from .. import registry, representations
from ..context import RequestContext
from ..records import Order
from ..resolvers import customers as customer_service
from ..resolvers import orders as service
from ..resolvers import related
from . import conditional
from .endpoint import Call
from .paging import filter_of, list_response, page_input
from .queries import CustomerOrdersQuery, OrderListQuery, Query


async def _render(ctx: RequestContext, items: Sequence[Order]) -> list[dict[str, Any]]:
    """Orders with their lines, fetched for all of them in one statement."""
    lines = await service.lines_of(ctx, items)
    return [
        representations.order(item, item_lines)
        for item, item_lines in zip(items, lines, strict=True)
    ]


async def list_orders(call: Call[OrderListQuery]) -> Response:
    where = filter_of(service.OrderFilter, call.query)
    service.with_lines(call.ctx)
    page = await service.list_orders(call.ctx, page_input(call.query), where)
    return list_response(call.request, call.query, page, await _render(call.ctx, page.items))


async def get_order(call: Call[Query]) -> Response:
    service.with_lines(call.ctx)
    item = await service.get_order(call.ctx, call.id)
    return conditional.representation(call.request, (await _render(call.ctx, [item]))[0])


async def list_customer_orders(call: Call[CustomerOrdersQuery]) -> Response:
    customer = await customer_service.get_customer(call.ctx, call.id)
    page = await related.page_of(
        call.ctx, registry.CUSTOMER_ORDERS, customer, page_input(call.query)
    )
    return list_response(call.request, call.query, page, await _render(call.ctx, page.items))

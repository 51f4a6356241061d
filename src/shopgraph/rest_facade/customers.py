"""`/customers`: list, create, get, update, delete."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from .. import representations
from ..resolvers import customers as service
from . import conditional, render
from .endpoint import Call
from .paging import filter_of, list_response, page_input
from .queries import CustomerListQuery, Query


async def list_customers(call: Call[CustomerListQuery]) -> Response:
    where = filter_of(service.CustomerFilter, call.query)
    page = await service.list_customers(call.ctx, page_input(call.query), where)
    data = [representations.customer(item) for item in page.items]
    return list_response(call.request, call.query, page, data)


async def create_customer(call: Call[Query]) -> Response:
    item = await service.create_customer(call.ctx, call.body)
    return conditional.created(call.request.url.path, representations.customer(item))


async def get_customer(call: Call[Query]) -> Response:
    item = await service.get_customer(call.ctx, call.id)
    return conditional.representation(call.request, representations.customer(item))


async def update_customer(call: Call[Query]) -> Response:
    async def current() -> tuple[dict[str, Any], int]:
        item = await service.current_customer(call.ctx, call.id)
        return representations.customer(item), item.version

    expected = await conditional.expected_version(call.request, "customer", current)
    item = await service.update_customer(call.ctx, call.id, call.body, expected_version=expected)
    return conditional.tagged(representations.customer(item))


async def delete_customer(call: Call[Query]) -> Response:
    await service.delete_customer(call.ctx, call.id)
    return render.no_content()

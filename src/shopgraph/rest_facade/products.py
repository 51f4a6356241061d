"""`/products`: list, create, get, update, delete; every product with its stock level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import Response

from .. import representations
from ..context import RequestContext
from ..records import Product
from ..resolvers import products as service
from . import conditional, render
from .endpoint import Call
from .paging import filter_of, list_response, page_input
from .queries import ProductListQuery, Query


async def _render(ctx: RequestContext, items: Sequence[Product]) -> list[dict[str, Any]]:
    """Products with their inventory, fetched for all of them in one statement."""
    stock = await service.inventories_of(ctx, items)
    return [representations.product(item, level) for item, level in zip(items, stock, strict=True)]


async def list_products(call: Call[ProductListQuery]) -> Response:
    where = filter_of(service.ProductFilter, call.query)
    service.with_stock(call.ctx)
    page = await service.list_products(call.ctx, page_input(call.query), where)
    return list_response(call.request, call.query, page, await _render(call.ctx, page.items))


async def create_product(call: Call[Query]) -> Response:
    item = await service.create_product(call.ctx, call.body)
    return conditional.created(call.request.url.path, (await _render(call.ctx, [item]))[0])


async def get_product(call: Call[Query]) -> Response:
    item, stock = await service.get_stocked_product(call.ctx, call.id)
    return conditional.representation(call.request, representations.product(item, stock))


async def update_product(call: Call[Query]) -> Response:
    async def current() -> tuple[dict[str, Any], int]:
        # Product and stock come from one statement, so they agree.
        item, stock = await service.get_stocked_product(call.ctx, call.id)
        return representations.product(item, stock), item.version

    expected = await conditional.expected_version(call.request, "product", current)
    item = await service.update_product(call.ctx, call.id, call.body, expected_version=expected)
    return conditional.tagged((await _render(call.ctx, [item]))[0])


async def delete_product(call: Call[Query]) -> Response:
    await service.delete_product(call.ctx, call.id)
    return render.no_content()

"""`/categories`: list, create, get, update, delete."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from .. import representations
from ..resolvers import categories as service
from . import conditional, render
from .endpoint import Call
from .paging import list_response, page_input
from .queries import CategoryListQuery, Query


async def list_categories(call: Call[CategoryListQuery]) -> Response:
    page = await service.list_categories(call.ctx, page_input(call.query))
    data = [representations.category(item) for item in page.items]
    return list_response(call.request, call.query, page, data)


async def create_category(call: Call[Query]) -> Response:
    item = await service.create_category(call.ctx, call.body)
    return conditional.created(call.request.url.path, representations.category(item))


async def get_category(call: Call[Query]) -> Response:
    item = await service.get_category(call.ctx, call.id)
    return conditional.representation(call.request, representations.category(item))


async def update_category(call: Call[Query]) -> Response:
    async def current() -> tuple[dict[str, Any], int]:
        item = await service.get_category(call.ctx, call.id)
        return representations.category(item), item.version

    expected = await conditional.expected_version(call.request, "category", current)
    item = await service.update_category(call.ctx, call.id, call.body, expected_version=expected)
    return conditional.tagged(representations.category(item))


async def delete_category(call: Call[Query]) -> Response:
    await service.delete_category(call.ctx, call.id)
    return render.no_content()

"""`/categories`: list, create, get, update, delete."""

from __future__ import annotations

from starlette.responses import Response

from ..resolvers import categories as service
from . import render
from .endpoint import Call
from .paging import list_response, page_input
from .queries import CategoryListQuery, Query


async def list_categories(call: Call[CategoryListQuery]) -> Response:
    page = await service.list_categories(call.ctx, page_input(call.query))
    data = [render.category(item) for item in page.items]
    return list_response(call.request, call.query, page, data)


async def create_category(call: Call[Query]) -> Response:
    item = await service.create_category(call.ctx, call.body)
    return render.created(call.request.url.path, render.category(item))


async def get_category(call: Call[Query]) -> Response:
    return render.json_response(render.category(await service.get_category(call.ctx, call.id)))


async def update_category(call: Call[Query]) -> Response:
    item = await service.update_category(call.ctx, call.id, call.body)
    return render.json_response(render.category(item))


async def delete_category(call: Call[Query]) -> Response:
    await service.delete_category(call.ctx, call.id)
    return render.no_content()

"""Categories: list, get, create, update, delete."""

from __future__ import annotations

from typing import Any

from .. import registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import categories
from ..pagination import Page
from ..records import Category
from ..sort_keys import CATEGORY_SORTS
from .common import (
    PageInput,
    delete_one,
    fetch_page,
    get_one,
    insert_one,
    resolve_page_args,
    update_one,
)
from .inputs import CategoryCreate, CategoryUpdate, changes, parse


async def list_categories(ctx: RequestContext, page: PageInput) -> Page[Category]:
    args = resolve_page_args(ctx, CATEGORY_SORTS, page)
    return await fetch_page(ctx, registry.CATEGORY, args)


async def get_category(ctx: RequestContext, category_id: str) -> Category:
    return await get_one("Category", ctx.loaders.by_id(registry.CATEGORY), category_id)


async def create_category(ctx: RequestContext, data: dict[str, Any]) -> Category:
    authorize(ctx.principal, "products:write")
    values = parse(CategoryCreate, data).model_dump()
    return await insert_one(
        ctx, "Category", categories, values, registry.CATEGORY.columns, registry.CATEGORY.from_row
    )


async def update_category(
    ctx: RequestContext,
    category_id: str,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Category:
    """PATCH semantics; with `expected_version`, PRECONDITION_FAILED unless it is current."""
    authorize(ctx.principal, "products:write")
    values = changes(parse(CategoryUpdate, data))
    return await update_one(
        ctx,
        "Category",
        categories,
        category_id,
        values,
        registry.CATEGORY.columns,
        registry.CATEGORY.from_row,
        expected_version=expected_version,
    )


async def delete_category(ctx: RequestContext, category_id: str) -> str:
    authorize(ctx.principal, "products:write")
    return await delete_one(ctx, "Category", categories, category_id)

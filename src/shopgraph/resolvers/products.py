"""Products and their stock levels: list, get, create, update, delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import categories, inventory_levels, products, utcnow
from ..pagination import Page
from ..records import Inventory, Product
from ..sort_keys import PRODUCT_SORTS
from .audit_trail import record
from .common import (
    Filter,
    PageInput,
    check_filter,
    delete_one,
    fetch_page,
    filter_key,
    get_one,
    like_pattern,
    raise_integrity,
    reference_key,
    resolve_page_args,
    unknown_reference,
    update_one,
)
from .emitting import product_event, product_resource
from .inputs import ProductCreate, ProductUpdate, changes, parse


@dataclass(frozen=True, slots=True)
class ProductFilter:
    category_id: str | None = None
    sku: str | None = None
    search: str | None = None  # case-insensitive substring of the name
    price_min: int | None = None
    price_max: int | None = None


async def list_products(
    ctx: RequestContext, page: PageInput, where: ProductFilter = ProductFilter()
) -> Page[Product]:
    check_filter(where)
    args = resolve_page_args(ctx, PRODUCT_SORTS, page)
    filters = []
    category_pk = filter_key("Category", where.category_id, "category_id")
    if category_pk is not None:
        filters.append(Filter("category", products.c.category_id.__eq__, category_pk))
    if where.sku is not None:
        filters.append(Filter("sku", products.c.sku.__eq__, where.sku))
    if where.search:
        search = like_pattern(where.search)
        filters.append(Filter("search", lambda p: products.c.name.ilike(p, escape="/"), search))
    if where.price_min is not None:
        filters.append(Filter("price_min", products.c.price_amount.__ge__, where.price_min))
    if where.price_max is not None:
        filters.append(Filter("price_max", products.c.price_amount.__le__, where.price_max))
    return await fetch_page(ctx, registry.PRODUCT, args, filters)


async def get_product(ctx: RequestContext, product_id: str) -> Product:
    return await get_one("Product", ctx.loaders.by_id(registry.PRODUCT), product_id)


_STOCKED: dict[str, Any] = {}  # what `with_stock` makes of the reads, worked out once


def with_stock(ctx: RequestContext) -> None:
    """Products this request reads from now on come with their stock level, read in the
    same statement (`inventories_of` then finds it loaded)."""
    ctx.loaders.prepare([registry.PRODUCT_INVENTORY], {}, _STOCKED)


async def get_stocked_product(
    ctx: RequestContext, product_id: str
) -> tuple[Product, Inventory | None]:
    """A product and its stock level, in one statement: a request that reads nothing else
    needs no snapshot transaction."""
    with_stock(ctx)
    ctx.reader.reads_once()
    product = await get_product(ctx, product_id)
    (stock,) = await inventories_of(ctx, [product])
    return product, stock


async def inventories_of(ctx: RequestContext, items: Sequence[Product]) -> list[Inventory | None]:
    """Stock levels for many products in one statement."""
    return await ctx.loaders.follow(registry.PRODUCT_INVENTORY).load_all(
        [item.pk for item in items]
    )


async def _check_category(db: AsyncConnection, category_id: str | None) -> int | None:
    if category_id is None:
        return None
    pk = reference_key("Category", category_id, "category_id")
    if (await db.execute(select(categories.c.id).where(categories.c.id == pk))).first() is None:
        raise unknown_reference("Category", category_id, "category_id")
    return pk


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    """Input field names to column names (`price` is two columns)."""
    columns = dict(values)
    price = columns.pop("price", None)
    if price is not None:
        columns["price_amount"] = price["amount"]
        columns["currency"] = price["currency"]
    return columns


async def create_product(ctx: RequestContext, data: dict[str, Any]) -> Product:
    authorize(ctx.principal, "products:write")
    values = _columns(parse(ProductCreate, data).model_dump())
    now = utcnow()
    try:
        async with ctx.transaction() as db:
            values["category_id"] = await _check_category(db, values["category_id"])
            row = (
                await db.execute(
                    insert(products)
                    .values(**values, created_at=now, updated_at=now, version=1)
                    .returning(*registry.PRODUCT.columns)
                )
            ).one()
            await db.execute(
                insert(inventory_levels).values(
                    product_id=row[0], on_hand=0, reserved=0, updated_at=now
                )
            )
            await record(db, ctx, "product.create", "Product", [ids.encode("Product", row[0])])
            await product_event(db, "product.created", row[0], ctx.request_id)
    except IntegrityError as error:
        raise_integrity(error)
    return registry.PRODUCT.from_row(row)


async def update_product(
    ctx: RequestContext,
    product_id: str,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Product:
    """PATCH semantics; with `expected_version`, PRECONDITION_FAILED unless it is current.

    The version covers the product's own fields; its stock level is a separate record.
    """
    authorize(ctx.principal, "products:write")
    update = parse(ProductUpdate, data)
    values = _columns(
        changes(update) | ({"price": update.price.model_dump()} if update.price else {})
    )

    async def check(db: AsyncConnection) -> None:
        if values.get("category_id") is not None:
            values["category_id"] = await _check_category(db, values["category_id"])

    return await update_one(
        ctx,
        "Product",
        products,
        product_id,
        values,
        registry.PRODUCT.columns,
        registry.PRODUCT.from_row,
        before_update=check,
        expected_version=expected_version,
        render=product_resource,
    )


async def delete_product(ctx: RequestContext, product_id: str) -> str:
    authorize(ctx.principal, "products:write")
    return await delete_one(ctx, "Product", products, product_id, render=product_resource)

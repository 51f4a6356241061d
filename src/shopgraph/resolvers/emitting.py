"""The events of the resolvers' writes, emitted in the write's own transaction.

Each reads its resource inside that transaction and renders it as the REST API does
(`representations`), so `data.object` is the resource exactly as the change left it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import registry, representations
from ..db.models import inventory_levels, order_lines, orders, products
from ..events.outbox import emit
from ..records import Inventory

Rendering = Callable[[AsyncConnection, int], Awaitable[dict[str, Any] | None]]


async def product_resource(db: AsyncConnection, pk: int) -> dict[str, Any] | None:
    """The product (with its stock) as REST renders it, read in the caller's transaction;
    None if there is no such product."""
    product = (
        await db.execute(select(*registry.PRODUCT.columns).where(products.c.id == pk))
    ).first()
    if product is None:
        return None
    stock = (
        await db.execute(
            select(*registry.INVENTORY.columns).where(inventory_levels.c.product_id == pk)
        )
    ).first()
    return representations.product(
        registry.PRODUCT.from_row(product),
        None if stock is None else registry.INVENTORY.from_row(stock),
    )


async def order_resource(db: AsyncConnection, pk: int) -> dict[str, Any]:
    order = (await db.execute(select(*registry.ORDER.columns).where(orders.c.id == pk))).one()
    lines = await db.execute(
        select(*registry.ORDER_LINE.columns)
        .where(order_lines.c.order_id == pk)
        .order_by(order_lines.c.id)
    )
    return representations.order(
        registry.ORDER.from_row(order), [registry.ORDER_LINE.from_row(line) for line in lines]
    )


async def payment_resource(db: AsyncConnection, row: Any) -> dict[str, Any]:
    """The payment (a row of it, as written), as REST renders it."""
    return representations.payment(registry.PAYMENT.from_row(row))


async def product_event(db: AsyncConnection, type: str, pk: int, request_id: str | None) -> None:
    rendered = await product_resource(db, pk)
    if rendered is not None:
        await emit(db, type, rendered, request_id=request_id)


async def order_event(db: AsyncConnection, type: str, pk: int, request_id: str | None) -> None:
    await emit(db, type, await order_resource(db, pk), request_id=request_id)


async def payment_event(db: AsyncConnection, row: Any, request_id: str | None) -> None:
    """`payment.succeeded` or `payment.failed` for a payment just settled that way."""
    if row.status in ("succeeded", "failed"):
        rendered = await payment_resource(db, row)
        await emit(db, f"payment.{row.status}", rendered, request_id=request_id)


async def refund_event(db: AsyncConnection, type: str, row: Any, request_id: str | None) -> None:
    rendered = representations.refund(registry.REFUND.from_row(row))
    await emit(db, type, rendered, request_id=request_id)


def became_low(level: Inventory, taken: int) -> bool:
    """Whether taking `taken` available units made a level low on stock (`Inventory.low_stock`:
    at or below its threshold) when it was not before."""
    threshold = level.low_stock_threshold
    return threshold is not None and level.available <= threshold < level.available + taken


async def low_stock_events(
    db: AsyncConnection, product_pks: Sequence[int], request_id: str | None
) -> None:
    for pk in product_pks:
        await product_event(db, "inventory.low_stock", pk, request_id)

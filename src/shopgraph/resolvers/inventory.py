"""Stock: an append-only ledger of movements, and the levels it adds up to.

Every change of a level writes its movement in the same transaction, so the ledger
always sums to the levels. Levels change only through conditional UPDATEs
(`... WHERE on_hand - reserved >= n`), which the database applies atomically: stock
cannot go negative or be reserved twice, whatever the concurrency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NoReturn

from pydantic import Field
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry
from ..auth.principal import authorize
from ..context import RequestContext
from ..db.models import inventory_levels, inventory_movements, utcnow
from ..errors import FieldError, InsufficientInventory, NotFound, ValidationFailed
from ..pagination import Page
from ..records import Inventory, InventoryMovement
from ..sort_keys import MOVEMENT_SORTS
from .audit_trail import record
from .common import (
    Filter,
    PageInput,
    fetch_page,
    key_of,
    resolve_page_args,
)
from .emitting import became_low, low_stock_events
from .inputs import Input, parse

MAX_UNITS = 1_000_000


class StockAdjustment(Input):
    delta: int = Field(ge=-MAX_UNITS, le=MAX_UNITS)
    reason: str = Field(min_length=1, max_length=200)
    kind: Literal["receipt", "adjustment"] = "adjustment"


class InventorySettings(Input):
    low_stock_threshold: int | None = Field(default=None, ge=0, le=MAX_UNITS)


@dataclass(frozen=True, slots=True)
class Reservation:
    """Units of one product for one order line; `line` is its index in the order."""

    product_pk: int
    quantity: int
    line: int


def actor_of(ctx: RequestContext) -> str:
    """Who a movement is recorded against."""
    principal = ctx.principal
    return principal.kind if principal.id is None else f"{principal.kind}:{principal.id}"


def movement(
    product_pk: int,
    kind: str,
    on_hand: int,
    reserved: int,
    actor: str,
    *,
    reason: str | None = None,
    order_pk: int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One ledger row, ready to insert."""
    return {
        "product_id": product_pk,
        "kind": kind,
        "on_hand_delta": on_hand,
        "reserved_delta": reserved,
        "reason": reason,
        "actor": actor,
        "order_id": order_pk,
        "created_at": at or utcnow(),
    }


async def _level(db: AsyncConnection, product_pk: int) -> Inventory | None:
    row = (
        await db.execute(
            select(*registry.INVENTORY.columns).where(inventory_levels.c.product_id == product_pk)
        )
    ).first()
    return None if row is None else registry.INVENTORY.from_row(row)


async def adjust_stock(ctx: RequestContext, product_id: str, data: dict[str, Any]) -> Inventory:
    """Receive or correct stock; refused if it would leave less than is reserved."""
    authorize(ctx.principal, "products:write")
    pk = key_of("Product", product_id)
    adjustment = parse(StockAdjustment, data)
    if adjustment.delta == 0 or (adjustment.kind == "receipt" and adjustment.delta < 0):
        raise_invalid_delta(adjustment.kind)
    async with ctx.transaction() as db:
        row = (
            await db.execute(
                update(inventory_levels)
                .where(
                    inventory_levels.c.product_id == pk,
                    inventory_levels.c.on_hand + adjustment.delta >= inventory_levels.c.reserved,
                )
                .values(on_hand=inventory_levels.c.on_hand + adjustment.delta, updated_at=utcnow())
                .returning(*registry.INVENTORY.columns)
            )
        ).first()
        if row is None:
            level = await _level(db, pk)
            if level is None:
                raise NotFound(f"No product with id `{product_id}`.")
            raise InsufficientInventory(
                f"Only {level.available} units are free to remove; {level.reserved} are reserved.",
                errors=[FieldError("delta", "INSUFFICIENT_INVENTORY", "More than is available.")],
                extra={"available": level.available},
            )
        await db.execute(
            insert(inventory_movements).values(
                movement(
                    pk,
                    adjustment.kind,
                    adjustment.delta,
                    0,
                    actor_of(ctx),
                    reason=adjustment.reason,
                )
            )
        )
        await record(db, ctx, "inventory.adjust", "Product", [product_id])
        level = registry.INVENTORY.from_row(row)
        if became_low(level, -adjustment.delta):
            await low_stock_events(db, [pk], ctx.request_id)
    return level


def raise_invalid_delta(kind: str) -> NoReturn:
    if kind == "receipt":
        message = "A receipt adds stock: `delta` must be positive."
    else:
        message = "`delta` must not be zero."
    raise ValidationFailed(message, errors=[FieldError("delta", "INVALID", message)])


async def update_inventory(ctx: RequestContext, product_id: str, data: dict[str, Any]) -> Inventory:
    """Change a product's inventory settings (its low-stock threshold)."""
    authorize(ctx.principal, "products:write")
    pk = key_of("Product", product_id)
    values = parse(InventorySettings, data)
    async with ctx.transaction() as db:
        row = (
            await db.execute(
                update(inventory_levels)
                .where(inventory_levels.c.product_id == pk)
                .values(low_stock_threshold=values.low_stock_threshold, updated_at=utcnow())
                .returning(*registry.INVENTORY.columns)
            )
        ).first()
        if row is not None:
            await record(db, ctx, "inventory.update", "Product", [product_id])
    if row is None:
        raise NotFound(f"No product with id `{product_id}`.")
    return registry.INVENTORY.from_row(row)


async def get_inventory(ctx: RequestContext, product_id: str) -> Inventory:
    level = await ctx.loaders.follow(registry.PRODUCT_INVENTORY).load(key_of("Product", product_id))
    if level is None:
        raise NotFound(f"No product with id `{product_id}`.")
    return level


async def list_movements(
    ctx: RequestContext, product_id: str, page: PageInput
) -> Page[InventoryMovement]:
    """One product's ledger, oldest first by default."""
    authorize(ctx.principal, "products:write")
    pk = key_of("Product", product_id)
    if await ctx.loaders.by_id(registry.PRODUCT).load(pk) is None:
        raise NotFound(f"No product with id `{product_id}`.")
    args = resolve_page_args(ctx, MOVEMENT_SORTS, page)
    product = Filter("product", inventory_movements.c.product_id.__eq__, pk)
    return await fetch_page(ctx, registry.MOVEMENT, args, [product])


async def reserve(
    db: AsyncConnection, wanted: Sequence[Reservation], actor: str, order_pk: int
) -> list[int]:
    """Reserve every line or none: INSUFFICIENT_INVENTORY names the first line short.
    Returns the products the reservation left low on stock that were not before.

    Rows are locked in product order, the same order for every transaction, so two
    orders contending for the same products wait for each other instead of deadlocking.
    The caller's transaction rolls back on the error, releasing what was reserved.
    """
    low = []
    for item in sorted(wanted, key=lambda r: r.product_pk):
        row = (
            await db.execute(
                update(inventory_levels)
                .where(
                    inventory_levels.c.product_id == item.product_pk,
                    inventory_levels.c.on_hand - inventory_levels.c.reserved >= item.quantity,
                )
                .values(reserved=inventory_levels.c.reserved + item.quantity, updated_at=utcnow())
                .returning(*registry.INVENTORY.columns)
            )
        ).first()
        if row is not None and became_low(registry.INVENTORY.from_row(row), item.quantity):
            low.append(item.product_pk)
        if row is None:
            level = await _level(db, item.product_pk)
            available = 0 if level is None else level.available
            field = f"lines.{item.line}.quantity"
            raise InsufficientInventory(
                f"Line {item.line} asks for {item.quantity} units of "
                f"`{ids.encode('Product', item.product_pk)}`; {available} available.",
                errors=[
                    FieldError(field, "INSUFFICIENT_INVENTORY", f"Only {available} available.")
                ],
                extra={"line": item.line, "available": available},
            )
    await db.execute(
        insert(inventory_movements),
        [
            movement(item.product_pk, "reservation", 0, item.quantity, actor, order_pk=order_pk)
            for item in wanted
        ],
    )
    return low


async def release(
    db: AsyncConnection, held: Sequence[Reservation], actor: str, order_pk: int, *, ship: bool
) -> None:
    """Give reserved units back (cancel) or send them out (`ship`: fulfilment)."""
    for item in sorted(held, key=lambda r: r.product_pk):
        values: dict[str, Any] = {
            "reserved": inventory_levels.c.reserved - item.quantity,
            "updated_at": utcnow(),
        }
        if ship:
            values["on_hand"] = inventory_levels.c.on_hand - item.quantity
        await db.execute(
            update(inventory_levels)
            .where(inventory_levels.c.product_id == item.product_pk)
            .values(**values)
        )
    await db.execute(
        insert(inventory_movements),
        [
            movement(
                item.product_pk,
                "shipment" if ship else "release",
                -item.quantity if ship else 0,
                -item.quantity,
                actor,
                order_pk=order_pk,
            )
            for item in held
        ],
    )

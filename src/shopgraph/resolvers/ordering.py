"""The order write path: place, cancel, fulfil. Prices, totals and stock in one transaction.

Prices come from the catalog at the moment of placing and are stored on the lines and
the order; later catalog changes never touch them. All of an order's stock is reserved
in the same transaction that creates it, or none is.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry, representations
from ..auth.principal import authorize, authorize_own, authorize_staff, may_act_for
from ..context import RequestContext
from ..db.models import (
    customers,
    inventory_movements,
    order_lines,
    orders,
    payments,
    products,
    utcnow,
)
from ..errors import Conflict, FieldError, NotFound, ValidationFailed
from ..events.outbox import emit
from ..records import Order
from .audit_trail import record
from .common import key_of, reference_key, unknown_reference
from .emitting import low_stock_events, order_event
from .idempotency import Claim, run_once
from .inputs import MAX_AMOUNT, Input, PublicId, parse
from .inventory import Reservation, actor_of, release, reserve
from .order_states import require_transition
from .outcome import Written
from .retry import retrying

MAX_LINES = 100
ACTIONS = {"cancelled": "cancel", "fulfilled": "fulfill"}
# Payments that hold money against their order (see resolvers/settlement.py).
HOLDING = ("processing", "capturing", "authorized", "succeeded", "needs_review")
MAX_QUANTITY = 10_000


class OrderLineInput(Input):
    product_id: PublicId
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class OrderPlacement(Input):
    customer_id: PublicId
    lines: list[OrderLineInput] = Field(min_length=1, max_length=MAX_LINES)


async def _next_number(db: AsyncConnection) -> int:
    if db.dialect.name == "postgresql":
        return int((await db.execute(select(func.nextval("order_numbers")))).scalar_one())
    # SQLite runs one writer at a time (BEGIN IMMEDIATE), so max + 1 cannot collide.
    query = select(func.coalesce(func.max(orders.c.number), 1000) + 1)
    return int((await db.execute(query)).scalar_one())


def _validate_references(placement: OrderPlacement) -> tuple[int, list[int]]:
    customer_pk = reference_key("Customer", placement.customer_id, "customer_id")
    product_pks: list[int] = []
    for index, line in enumerate(placement.lines):
        pk = reference_key("Product", line.product_id, f"lines.{index}.product_id")
        if pk in product_pks:
            raise ValidationFailed(
                "Each product may appear on one line only; add up the quantities.",
                errors=[FieldError(f"lines.{index}.product_id", "INVALID", "Listed twice.")],
            )
        product_pks.append(pk)
    return customer_pk, product_pks


async def place_order(
    ctx: RequestContext, data: dict[str, Any], *, key: str | None = None
) -> Written[Order]:
    """Create a pending order with server-side prices, reserving all its stock or none."""
    authorize(ctx.principal, "orders:write")
    placement = parse(OrderPlacement, data)
    customer_pk, product_pks = _validate_references(placement)
    authorize_own(ctx.principal, "orders:write", customer_pk)
    actor = actor_of(ctx)

    async def attempt(claim: Claim) -> Order:
        async with ctx.transaction() as db:
            if (
                await db.execute(select(customers.c.id).where(customers.c.id == customer_pk))
            ).first() is None:
                raise unknown_reference("Customer", placement.customer_id, "customer_id")
            found = {
                row.id: row
                for row in await db.execute(
                    select(products.c.id, products.c.price_amount, products.c.currency).where(
                        products.c.id.in_(product_pks)
                    )
                )
            }
            for index, pk in enumerate(product_pks):
                if pk not in found:
                    raise unknown_reference(
                        "Product", placement.lines[index].product_id, f"lines.{index}.product_id"
                    )
            currencies = {found[pk].currency for pk in product_pks}
            if len(currencies) > 1:
                raise ValidationFailed(
                    "An order is paid in one currency; these products are priced in "
                    f"{', '.join(sorted(currencies))}.",
                    errors=[FieldError("lines", "INVALID", "Products in more than one currency.")],
                )
            line_totals = [
                found[pk].price_amount * line.quantity
                for pk, line in zip(product_pks, placement.lines, strict=True)
            ]
            total = sum(line_totals)
            if total > MAX_AMOUNT:
                raise ValidationFailed(
                    "The order total is too large.",
                    errors=[FieldError("lines", "OUT_OF_RANGE", f"Total above {MAX_AMOUNT}.")],
                )
            now = utcnow()
            row = (
                await db.execute(
                    insert(orders)
                    .values(
                        number=await _next_number(db),
                        status="pending",
                        customer_id=customer_pk,
                        currency=currencies.pop(),
                        subtotal_amount=total,
                        total_amount=total,
                        created_at=now,
                        updated_at=now,
                        version=1,
                    )
                    .returning(*registry.ORDER.columns)
                )
            ).one()
            order_pk = row[0]
            low = await reserve(
                db,
                [
                    Reservation(pk, line.quantity, index)
                    for index, (pk, line) in enumerate(
                        zip(product_pks, placement.lines, strict=True)
                    )
                ],
                actor,
                order_pk,
            )
            lines = await db.execute(
                insert(order_lines).returning(
                    *registry.ORDER_LINE.columns, sort_by_parameter_order=True
                ),
                [
                    {
                        "order_id": order_pk,
                        "product_id": pk,
                        "quantity": line.quantity,
                        "currency": row.currency,
                        "unit_price_amount": found[pk].price_amount,
                        "line_total_amount": line_total,
                    }
                    for pk, line, line_total in zip(
                        product_pks, placement.lines, line_totals, strict=True
                    )
                ],
            )
            await record(db, ctx, "order.create", "Order", [ids.encode("Order", order_pk)])
            order = registry.ORDER.from_row(row)
            made = [registry.ORDER_LINE.from_row(line) for line in lines]
            rendered = representations.order(order, made)
            await emit(db, "order.created", rendered, request_id=ctx.request_id)
            await low_stock_events(db, low, ctx.request_id)
            await claim.complete(db, rendered)
            return order

    return await run_once(
        ctx,
        key,
        "place_order",
        placement.model_dump(),
        lambda claim: retrying(lambda: attempt(claim)),
    )


async def _locked_order(db: AsyncConnection, order_id: str) -> Any:
    """The order's row, locked until the transaction ends (PostgreSQL; SQLite has one writer)."""
    row = (
        await db.execute(
            select(*registry.ORDER.columns)
            .where(orders.c.id == key_of("Order", order_id))
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound(f"No order with id `{order_id}`.")
    return row


async def held_stock(db: AsyncConnection, order_pk: int) -> list[Reservation]:
    rows = await db.execute(
        select(order_lines.c.product_id, order_lines.c.quantity)
        .where(order_lines.c.order_id == order_pk)
        .order_by(order_lines.c.id)
    )
    return [Reservation(product, quantity, index) for index, (product, quantity) in enumerate(rows)]


async def was_shipped(db: AsyncConnection, order_pk: int) -> bool:
    """Whether the order's stock has left the warehouse (it was fulfilled)."""
    shipped = await db.execute(
        select(inventory_movements.c.id)
        .where(inventory_movements.c.order_id == order_pk, inventory_movements.c.kind == "shipment")
        .limit(1)
    )
    return shipped.first() is not None


async def _refuse_if_money_is_held(db: AsyncConnection, order_id: str, order_pk: int) -> None:
    """A pending order with a payment in progress or authorized cannot be cancelled."""
    held = await db.execute(
        select(payments.c.id)
        .where(payments.c.order_id == order_pk, payments.c.status.in_(HOLDING))
        .limit(1)
    )
    if held.first() is not None:
        raise Conflict(
            f"Order `{order_id}` has a payment in progress or authorized; it cannot be cancelled.",
            extra={"current_status": "pending"},
        )


async def _move_stock_and_set_status(
    ctx: RequestContext, order_id: str, target: str, *, ship: bool
) -> Order:
    actor = actor_of(ctx)

    async def attempt() -> Any:
        async with ctx.transaction() as db:
            current = await _locked_order(db, order_id)
            if not may_act_for(ctx.principal, current.customer_id):
                raise NotFound(f"No order with id `{order_id}`.")
            require_transition(order_id, current.status, target)
            if target == "cancelled":
                await _refuse_if_money_is_held(db, order_id, current.id)
            await release(db, await held_stock(db, current.id), actor, current.id, ship=ship)
            row = (
                await db.execute(
                    update(orders)
                    .where(orders.c.id == current.id)
                    .values(status=target, updated_at=utcnow(), version=orders.c.version + 1)
                    .returning(*registry.ORDER.columns)
                )
            ).one()
            await record(db, ctx, f"order.{ACTIONS[target]}", "Order", [order_id])
            await order_event(db, f"order.{target}", current.id, ctx.request_id)
            return row

    return registry.ORDER.from_row(await retrying(attempt))


async def cancel_order(ctx: RequestContext, order_id: str) -> Order:
    """Cancel a pending order and give its reserved stock back."""
    authorize(ctx.principal, "orders:write")
    return await _move_stock_and_set_status(ctx, order_id, "cancelled", ship=False)


async def fulfill_order(ctx: RequestContext, order_id: str) -> Order:
    """Ship a paid order: its reserved units leave the warehouse."""
    authorize_staff(ctx.principal, "orders:write")
    return await _move_stock_and_set_status(ctx, order_id, "fulfilled", ship=True)

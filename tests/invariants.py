"""Database-wide invariants of stock and orders, checked after every write-path scenario."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select, text

from shopgraph.context import Services
from shopgraph.db.models import inventory_levels, inventory_movements, order_lines, orders

OPEN = ("pending", "paid")


async def assert_stock_invariants(services: Services) -> None:
    """The ledger sums to the levels; reservations are exactly what open orders hold."""
    async with services.database.engine.connect() as db:
        ledger = dict(
            (row[0], (row[1], row[2]))
            for row in await db.execute(
                select(
                    inventory_movements.c.product_id,
                    func.sum(inventory_movements.c.on_hand_delta),
                    func.sum(inventory_movements.c.reserved_delta),
                ).group_by(inventory_movements.c.product_id)
            )
        )
        held = dict(
            (row[0], row[1])
            for row in await db.execute(
                select(order_lines.c.product_id, func.sum(order_lines.c.quantity))
                .join(orders, orders.c.id == order_lines.c.order_id)
                .where(
                    or_(
                        orders.c.status.in_(OPEN),
                        and_(
                            # Partly refunded but not shipped: the stock is still held.
                            orders.c.status == "partially_refunded",
                            ~exists().where(
                                inventory_movements.c.order_id == orders.c.id,
                                inventory_movements.c.kind == "shipment",
                            ),
                        ),
                    )
                )
                .group_by(order_lines.c.product_id)
            )
        )
        levels = (
            await db.execute(
                select(
                    inventory_levels.c.product_id,
                    inventory_levels.c.on_hand,
                    inventory_levels.c.reserved,
                )
            )
        ).all()
    problems = []
    for product, on_hand, reserved in levels:
        if not 0 <= reserved <= on_hand:
            problems.append(f"product {product}: reserved {reserved}, on hand {on_hand}")
        if ledger.get(product, (0, 0)) != (on_hand, reserved):
            problems.append(
                f"product {product}: ledger {ledger.get(product)} != {(on_hand, reserved)}"
            )
        if held.get(product, 0) != reserved:
            problems.append(
                f"product {product}: open orders hold {held.get(product, 0)}, reserved {reserved}"
            )
    assert not problems, problems[:10]


async def assert_money_invariants(services: Services) -> None:
    """Refunds add up on every payment; paid orders are exactly covered by captures."""
    async with services.database.engine.connect() as db:
        bad_refunds = (
            await db.execute(
                text(
                    "SELECT p.id FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id "
                    "AND r.status IN ('processing', 'succeeded') GROUP BY p.id, p.refunded_amount, "
                    "p.captured_amount HAVING COALESCE(SUM(r.amount), 0) <> p.refunded_amount "
                    "OR p.refunded_amount > p.captured_amount"
                )
            )
        ).all()
        bad_orders = (
            await db.execute(
                text(
                    "SELECT o.id FROM orders o WHERE o.status = 'paid' "
                    "AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id) "
                    "AND o.total_amount <> "
                    "(SELECT COALESCE(SUM(p.captured_amount), 0) FROM payments p "
                    "WHERE p.order_id = o.id AND p.status = 'succeeded')"
                )
            )
        ).all()
    assert not bad_refunds, bad_refunds
    assert not bad_orders, bad_orders

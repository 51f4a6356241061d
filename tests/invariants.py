"""Database-wide invariants of stock and orders, checked after every write-path scenario."""

from __future__ import annotations

from sqlalchemy import func, select

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
                .where(orders.c.status.in_(OPEN))
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

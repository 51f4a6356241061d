"""Database-wide invariants of stock and orders, checked after every write-path scenario."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select, text

from shopgraph.context import Services
from shopgraph.db.models import (
    inventory_levels,
    inventory_movements,
    order_lines,
    orders,
    sandbox_calls,
)

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
                    "AND r.status IN ('processing', 'succeeded', 'needs_review') "
                    "GROUP BY p.id, p.refunded_amount, p.captured_amount "
                    "HAVING COALESCE(SUM(r.amount), 0) <> p.refunded_amount "
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


async def sandbox_books(services: Services, operation: str) -> dict[str, int]:
    """What the sandbox provider did: amount by reference, for `charge`s that captured at
    once, `capture`s, or `refund`s."""
    outcome = {"charge": "succeeded", "capture": "captured", "refund": "refunded"}[operation]
    async with services.database.engine.connect() as db:
        rows = await db.execute(
            select(sandbox_calls.c.reference, sandbox_calls.c.amount).where(
                sandbox_calls.c.operation == operation, sandbox_calls.c.outcome == outcome
            )
        )
        return {reference: amount for reference, amount in rows}


async def assert_provider_agrees(services: Services) -> None:
    """Every payment and refund recorded as done was done by the provider, exactly once and
    for the same amount; none the provider did is missing (or still in flight)."""
    async with services.database.engine.connect() as db:
        booked = (
            await db.execute(
                text(
                    "SELECT p.id, p.status, p.amount, p.captured_amount, p.provider_reference, "
                    "c.outcome, c.amount, c.reference, cap.outcome, cap.amount "
                    "FROM payments p LEFT JOIN sandbox_calls c ON c.key = p.provider_key "
                    "LEFT JOIN sandbox_calls cap ON cap.key = p.provider_key || '\\:capture' "
                    "WHERE p.provider_key IS NOT NULL"
                )
            )
        ).all()
        refunded = (
            await db.execute(
                text(
                    "SELECT r.id, r.status, r.amount, r.provider_reference, c.outcome, "
                    "c.amount, c.reference FROM refunds r "
                    "LEFT JOIN sandbox_calls c ON c.key = r.provider_key "
                    "WHERE r.provider_key IS NOT NULL"
                )
            )
        ).all()
    problems = []
    for pk, status, amount, captured, reference, outcome, paid, charge, cap, cap_amount in booked:
        at_provider = (paid if outcome == "succeeded" else 0) + (
            cap_amount if cap == "captured" else 0
        )
        if status in ("processing", "capturing"):
            problems.append(f"payment {pk} still {status}")
        elif status == "succeeded":
            if captured != amount or at_provider != amount or reference != charge:
                problems.append(f"payment {pk}: captured {captured}, provider {at_provider}")
        elif status == "authorized":
            if outcome != "authorized" or at_provider or reference != charge:
                problems.append(f"payment {pk}: authorized, provider {outcome}")
        elif status == "failed" and at_provider:
            problems.append(f"payment {pk}: failed, but the provider captured {at_provider}")
    for pk, status, amount, reference, outcome, done, at_provider in refunded:
        if status == "succeeded" and reference != at_provider:
            problems.append(f"refund {pk}: reference {reference}, provider {at_provider}")
        if status == "processing":
            problems.append(f"refund {pk} still processing")
        elif status == "succeeded" and (outcome, done, at_provider) != (
            "refunded",
            amount,
            reference,
        ):
            problems.append(f"refund {pk}: succeeded, provider {outcome} {done}")
        elif status == "failed" and outcome == "refunded":
            problems.append(f"refund {pk}: failed, but the provider refunded {done}")
    assert not problems, problems[:10]

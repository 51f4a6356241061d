"""Deterministic bulk demo data: the same `--seed` always yields the same shop.

Rows get explicit keys so lines can point at their orders without a round trip per
order; on PostgreSQL they are streamed with COPY (100,000 orders in seconds), on SQLite
inserted in large batches inside one transaction. Paid, fulfilled and refunded orders have
their captured payment, refunded ones a refund some days later, so the reports have
refunds to subtract.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .db.engine import Database
from .db.models import (
    categories,
    customers,
    inventory_levels,
    inventory_movements,
    order_lines,
    orders,
    payments,
    products,
    refunds,
)
from .resolvers.inventory import movement

CATEGORY_NAMES = (
    "Books",
    "Coffee",
    "Garden",
    "Kitchen",
    "Music",
    "Outdoor",
    "Stationery",
    "Tea",
    "Toys",
    "Travel",
)
ADJECTIVES = (
    "Classic",
    "Compact",
    "Deluxe",
    "Everyday",
    "Handmade",
    "Light",
    "Organic",
    "Rugged",
    "Small-batch",
    "Vintage",
    "Waxed",
    "Woven",
)
NOUNS = (
    "Backpack",
    "Blend",
    "Bottle",
    "Candle",
    "Journal",
    "Kettle",
    "Lantern",
    "Mug",
    "Notebook",
    "Planter",
    "Record",
    "Scarf",
    "Teapot",
    "Tote",
    "Whistle",
)
FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hugo",
    "Iris",
    "Jon",
    "Kai",
    "Lena",
)
LAST = ("Okafor", "Nguyen", "Schmidt", "Garcia", "Kowalski", "Tanaka", "Haddad", "Silva", "Moreau")
STATUSES = ("pending", "paid", "fulfilled", "cancelled", "refunded")
STATUS_WEIGHTS = (15, 35, 40, 7, 3)
OPEN_STATUSES = ("pending", "paid")  # orders still holding their stock
PAID_STATUSES = ("paid", "fulfilled", "refunded")  # orders with a captured payment
CHUNK = 5_000
ACTOR = "seed"


@dataclass(frozen=True, slots=True)
class SeedCounts:
    customers: int
    products: int
    orders: int


Progress = Callable[[str, int], None]  # (table, rows just written)


async def _next_key(db: AsyncConnection, table: Table) -> int:
    return int((await db.execute(select(func.coalesce(func.max(table.c.id), 0)))).scalar_one()) + 1


async def _write(
    db: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]], progress: Progress
) -> None:
    if not rows:
        return
    if db.dialect.name == "postgresql":
        raw = (await db.get_raw_connection()).driver_connection
        columns = list(rows[0])
        for start in range(0, len(rows), CHUNK * 10):
            chunk = rows[start : start + CHUNK * 10]
            await raw.copy_records_to_table(  # type: ignore[union-attr]
                table.name,
                records=[tuple(row[c] for c in columns) for row in chunk],
                columns=columns,
            )
            progress(table.name, len(chunk))
        return
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        await db.execute(insert(table), list(chunk))
        progress(table.name, len(chunk))


async def _fix_sequences(db: AsyncConnection) -> None:
    if db.dialect.name != "postgresql":
        return
    await db.execute(
        text("SELECT setval('order_numbers', (SELECT COALESCE(MAX(number), 1000) FROM orders))")
    )
    for table in (categories, products, customers, orders, order_lines, payments, refunds):
        await db.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            )
        )


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK):
        yield range(start, min(start + CHUNK, count))


async def seed(
    database: Database,
    counts: SeedCounts,
    *,
    seed: int = 42,
    currency: str = "USD",
    progress: Progress = lambda _table, _rows: None,
) -> None:
    """Add `counts` of demo rows to whatever is there, in one transaction."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with database.transaction() as db:
        first_category = await _next_key(db, categories)
        existing = {name for (name,) in await db.execute(select(categories.c.name))}
        category_rows = [
            {
                "id": first_category + i,
                "name": name,
                "description": f"Everything {name.lower()}.",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i, name in enumerate(n for n in CATEGORY_NAMES if n not in existing)
        ]
        await _write(db, categories, category_rows, progress)
        category_keys = [key for (key,) in await db.execute(select(categories.c.id))]

        first_product = await _next_key(db, products)
        product_rows, prices = [], []
        for i in range(counts.products):
            key = first_product + i
            price = rng.randrange(199, 25_000)
            prices.append(price)
            product_rows.append(
                {
                    "id": key,
                    "sku": f"SKU-{key:07d}",
                    "name": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {key}",
                    "description": "A demo product.",
                    "price_amount": price,
                    "currency": currency,
                    "category_id": rng.choice(category_keys),
                    "created_at": now + timedelta(seconds=i),
                    "updated_at": now,
                    "version": 1,
                }
            )
        await _write(db, products, product_rows, progress)
        levels = [
            {
                "product_id": row["id"],
                "on_hand": rng.randrange(0, 500),
                "reserved": 0,
                "updated_at": now,
            }
            for row in product_rows
        ]
        await _write(db, inventory_levels, levels, progress)
        await _write(
            db,
            inventory_movements,
            [
                movement(
                    level["product_id"],
                    "receipt",
                    level["on_hand"],
                    0,
                    ACTOR,
                    reason="demo stock",
                    at=now,
                )
                for level in levels
                if level["on_hand"]
            ],
            progress,
        )

        first_customer = await _next_key(db, customers)
        customer_rows = []
        for i in range(counts.customers):
            key = first_customer + i
            first, last = rng.choice(FIRST), rng.choice(LAST)
            customer_rows.append(
                {
                    "id": key,
                    "email": f"{first.lower()}.{last.lower()}.{key}@example.com",
                    "name": f"{first} {last}",
                    "created_at": now + timedelta(seconds=i),
                    "updated_at": now,
                    "version": 1,
                }
            )
        await _write(db, customers, customer_rows, progress)

        reserved = await _seed_orders(
            db, rng, counts, customer_rows, product_rows, prices, currency, now, progress
        )
        await _stock_for_open_orders(db, reserved, now, progress)
        await _fix_sequences(db)
    # Fresh statistics, so the planner knows the tables are no longer empty.
    async with database.engine.connect() as db:
        await db.execute(text("ANALYZE"))
        await db.commit()


async def _seed_orders(
    db: AsyncConnection,
    rng: random.Random,
    counts: SeedCounts,
    customer_rows: list[dict[str, Any]],
    product_rows: list[dict[str, Any]],
    prices: list[int],
    currency: str,
    now: datetime,
    progress: Progress,
) -> dict[int, int]:
    """Write the orders; open ones (pending, paid) reserve their stock, as placed orders do.

    Returns the units reserved per product, which `_stock_for_open_orders` then adds to
    the products' stock so every reservation is covered.
    """
    if not counts.orders:
        return {}
    customer_keys = [row["id"] for row in customer_rows] or [
        key for (key,) in await db.execute(select(customers.c.id))
    ]
    product_keys = [row["id"] for row in product_rows]
    if not product_keys:
        found = (await db.execute(select(products.c.id, products.c.price_amount))).all()
        product_keys, prices = [row[0] for row in found], [row[1] for row in found]
    if not customer_keys or not product_keys:
        raise ValueError("orders need at least one customer and one product")
    first_order = await _next_key(db, orders)
    next_line = await _next_key(db, order_lines)
    next_payment = await _next_key(db, payments)
    next_refund = await _next_key(db, refunds)
    # Payments and refunds draw from a generator of their own, so the orders and lines of
    # a seed stay what they were before seeds had payments.
    money_rng = random.Random(f"payments {first_order}")
    number_base = int(
        (await db.execute(select(func.coalesce(func.max(orders.c.number), 1000)))).scalar_one()
    )
    reserved: dict[int, int] = {}
    for block in _chunks(counts.orders):
        order_rows, line_rows, movement_rows = [], [], []
        payment_rows: list[dict[str, Any]] = []
        refund_rows: list[dict[str, Any]] = []
        for i in block:
            key = first_order + i
            created = now - timedelta(seconds=rng.randrange(0, 365 * 86_400))
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            total = 0
            for index in rng.sample(
                range(len(product_keys)), k=min(len(product_keys), rng.randint(1, 4))
            ):
                quantity = rng.randint(1, 3)
                line_total = prices[index] * quantity
                total += line_total
                line_rows.append(
                    {
                        "id": next_line,
                        "order_id": key,
                        "product_id": product_keys[index],
                        "quantity": quantity,
                        "currency": currency,
                        "unit_price_amount": prices[index],
                        "line_total_amount": line_total,
                    }
                )
                next_line += 1
                if status in OPEN_STATUSES:
                    product = product_keys[index]
                    reserved[product] = reserved.get(product, 0) + quantity
                    movement_rows.append(
                        movement(
                            product, "reservation", 0, quantity, ACTOR, order_pk=key, at=created
                        )
                    )
            order_rows.append(
                {
                    "id": key,
                    "number": number_base + 1 + i,
                    "status": status,
                    "customer_id": rng.choice(customer_keys),
                    "currency": currency,
                    "subtotal_amount": total,
                    "total_amount": total,
                    "created_at": created,
                    "updated_at": created,
                    "version": 1,
                }
            )
            if status in PAID_STATUSES:
                refunded = total if status == "refunded" else 0
                payment_rows.append(_payment(next_payment, key, total, refunded, currency, created))
                if refunded:
                    later = timedelta(seconds=money_rng.randrange(3_600, 30 * 86_400))
                    refund_rows.append(
                        _refund(
                            next_refund, next_payment, total, currency, min(now, created + later)
                        )
                    )
                    next_refund += 1
                next_payment += 1
        await _write(db, orders, order_rows, progress)
        await _write(db, order_lines, line_rows, progress)
        await _write(db, inventory_movements, movement_rows, progress)
        await _write(db, payments, payment_rows, progress)
        await _write(db, refunds, refund_rows, progress)
    return reserved


def _payment(
    key: int, order: int, amount: int, refunded: int, currency: str, at: datetime
) -> dict[str, Any]:
    """A card payment captured when the order was placed (no provider was asked: it has no
    provider key, so reconciliation leaves it alone)."""
    return {
        "id": key,
        "order_id": order,
        "status": "succeeded",
        "amount": amount,
        "captured_amount": amount,
        "refunded_amount": refunded,
        "currency": currency,
        "provider": "sandbox",
        "source": "tok_visa",
        "capture": True,
        "created_at": at,
        "updated_at": at,
    }


def _refund(key: int, payment: int, amount: int, currency: str, at: datetime) -> dict[str, Any]:
    return {
        "id": key,
        "payment_id": payment,
        "status": "succeeded",
        "amount": amount,
        "currency": currency,
        "reason": "seeded",
        "created_at": at,
        "updated_at": at,
    }


async def _stock_for_open_orders(
    db: AsyncConnection, reserved: dict[int, int], now: datetime, progress: Progress
) -> None:
    """Receive the units open orders reserve, so available stock is what was drawn."""
    if not reserved:
        return
    await db.execute(
        update(inventory_levels)
        .where(inventory_levels.c.product_id == bindparam("product"))
        .values(
            on_hand=inventory_levels.c.on_hand + bindparam("units"),
            reserved=inventory_levels.c.reserved + bindparam("units"),
            updated_at=now,
        ),
        [{"product": product, "units": units} for product, units in reserved.items()],
    )
    await _write(
        db,
        inventory_movements,
        [
            movement(
                product, "receipt", units, 0, ACTOR, reason="stock for open demo orders", at=now
            )
            for product, units in reserved.items()
        ],
        progress,
    )


async def is_empty(database: Database) -> bool:
    """True when the shop has no products yet (what `serve --demo` checks)."""
    async with database.engine.connect() as db:
        return (await db.execute(select(products.c.id).limit(1))).first() is None

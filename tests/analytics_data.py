"""A shop whose sales cross daylight-saving changes, and figures computed from its raw rows.

`plant` writes orders of every status in two currencies around the 2026 clock changes of
Paris and New York, with refunds (succeeded and failed) some days or months later, and
keeps the books the other tests check (tests/invariants.py): stock levels equal their
ledger and the reservations of open orders, payments count their refunds. The
`expected_*` functions compute each report in plain Python from every row the database
holds, independently of the server's SQL: what the tests compare the API's answers to.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import (
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

SOLD = {"paid", "fulfilled", "partially_refunded", "refunded"}
# Statuses whose stock is still reserved (no shipment is planted): tests/invariants.py.
HOLDING = {"pending", "paid", "partially_refunded"}
STATUSES = ["pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"]
# Instants near the 2026 clock changes: New York 8 March and 1 November, Paris 29 March
# and 25 October; orders fall on both sides of each local midnight around them.
EDGES = [
    datetime(2026, 3, 8, 5, tzinfo=UTC),
    datetime(2026, 3, 29, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 5, tzinfo=UTC),
    datetime(2026, 5, 31, 22, tzinfo=UTC),  # a month's end in Paris
]
START = datetime(2026, 2, 20, tzinfo=UTC)
END = datetime(2026, 11, 20, tzinfo=UTC)


@dataclass
class Planted:
    product_pks: list[int] = field(default_factory=list)
    category_pks: list[int] = field(default_factory=list)
    customer_pks: list[int] = field(default_factory=list)


async def plant(services: Services, unique: str, seed: int = 7) -> Planted:
    """Write the shop; returns the keys it made."""
    rng = random.Random(seed)
    planted = Planted()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    async with services.database.transaction() as db:
        for index in range(2):
            row = await db.execute(
                insert(categories)
                .values(name=f"analytics {unique} {index}", **stamp)
                .returning(categories.c.id)
            )
            planted.category_pks.append(row.scalar_one())
        priced: list[tuple[int, str, int]] = []
        for index in range(6):
            currency = "EUR" if index >= 4 else "USD"
            category = [*planted.category_pks, None][index % 3]
            price = rng.choice([199, 1_000, 2_499, 99_999])
            row = await db.execute(
                insert(products)
                .values(
                    sku=f"an-{unique}-{index}",
                    name=f"Analytics {index}",
                    price_amount=price,
                    currency=currency,
                    category_id=category,
                    **stamp,
                )
                .returning(products.c.id)
            )
            pk = row.scalar_one()
            planted.product_pks.append(pk)
            priced.append((pk, currency, price))
        for index in range(5):
            row = await db.execute(
                insert(customers)
                .values(email=f"an-{unique}-{index}@example.com", name=f"Buyer {index}", **stamp)
                .returning(customers.c.id)
            )
            planted.customer_pks.append(row.scalar_one())
        held: dict[int, int] = dict.fromkeys(planted.product_pks, 0)
        number = 900_000_000 + rng.randrange(10**8)
        for index in range(160):
            if index % 2:
                edge = rng.choice(EDGES)
                created = edge + timedelta(minutes=rng.randint(-600, 600))
            else:
                created = START + timedelta(
                    seconds=rng.randrange(int((END - START).total_seconds()))
                )
            currency = rng.choice(["USD", "USD", "EUR"])
            choices = [p for p in priced if p[1] == currency]
            chosen = rng.sample(choices, k=rng.randint(1, len(choices)))
            lines = [(pk, rng.randint(1, 4), price) for pk, _, price in chosen]
            total = sum(q * price for _, q, price in lines)
            status = rng.choice(STATUSES)
            number += 1
            order = (
                await db.execute(
                    insert(orders)
                    .values(
                        number=number,
                        status=status,
                        customer_id=rng.choice(planted.customer_pks),
                        currency=currency,
                        subtotal_amount=total,
                        total_amount=total,
                        created_at=created,
                        updated_at=created,
                        version=1,
                    )
                    .returning(orders.c.id)
                )
            ).scalar_one()
            for pk, quantity, price in lines:
                if status in HOLDING:  # placed and not shipped: its stock is reserved
                    held[pk] += quantity
                await db.execute(
                    insert(order_lines).values(
                        order_id=order,
                        product_id=pk,
                        quantity=quantity,
                        currency=currency,
                        unit_price_amount=price,
                        line_total_amount=quantity * price,
                    )
                )
            if status not in SOLD:
                continue
            payment = (
                await db.execute(
                    insert(payments)
                    .values(
                        order_id=order,
                        status="succeeded",
                        amount=total,
                        captured_amount=total,
                        refunded_amount=0,
                        currency=currency,
                        provider="sandbox",
                        source="tok_visa",
                        capture=True,
                        created_at=created,
                        updated_at=created,
                    )
                    .returning(payments.c.id)
                )
            ).scalar_one()
            if status in ("refunded", "partially_refunded") or rng.random() < 0.2:
                when = created + timedelta(hours=rng.choice([1, 30, 24 * 40, 24 * 200]))
                outcome = rng.choice(["succeeded", "succeeded", "failed"])
                amount = rng.randint(1, total)
                await db.execute(
                    insert(refunds).values(
                        payment_id=payment,
                        status=outcome,
                        amount=amount,
                        currency=currency,
                        created_at=when,
                        updated_at=when,
                    )
                )
                if outcome == "succeeded":  # the payment counts what it refunded
                    await db.execute(
                        update(payments)
                        .where(payments.c.id == payment)
                        .values(refunded_amount=amount)
                    )
        # Stock as the ledger says: received, then reserved by the orders still holding it.
        for pk, reserved in held.items():
            on_hand = reserved + rng.randint(0, 40)
            await db.execute(
                insert(inventory_levels).values(
                    product_id=pk,
                    on_hand=on_hand,
                    reserved=reserved,
                    low_stock_threshold=rng.choice([None, 5, 20]),
                    updated_at=now,
                )
            )
            for kind, on_hand_delta, reserved_delta in (
                ("receipt", on_hand, 0),
                ("reservation", 0, reserved),
            ):
                await db.execute(
                    insert(inventory_movements).values(
                        product_id=pk,
                        kind=kind,
                        on_hand_delta=on_hand_delta,
                        reserved_delta=reserved_delta,
                        actor="analytics test",
                        created_at=now,
                    )
                )
    return planted


@dataclass
class Raw:
    """Every row the figures depend on, as plain tuples."""

    orders: dict[int, Any]
    lines: list[Any]
    refunds: list[Any]  # with the order they refund: (refund..., order_id)
    products: dict[int, Any]
    stock: dict[int, Any]


async def raw(services: Services) -> Raw:
    async with services.database.connect() as db:
        found_orders = {row.id: row for row in (await db.execute(select(orders))).all()}
        found_lines = list((await db.execute(select(order_lines))).all())
        found_refunds = list(
            (
                await db.execute(
                    select(refunds, payments.c.order_id).join(
                        payments, payments.c.id == refunds.c.payment_id
                    )
                )
            ).all()
        )
        found_products = {row.id: row for row in (await db.execute(select(products))).all()}
        stock = {row.product_id: row for row in (await db.execute(select(inventory_levels))).all()}
    return Raw(found_orders, found_lines, found_refunds, found_products, stock)


def within(moment: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or moment >= start) and (end is None or moment < end)


def money(amounts: dict[str, int]) -> list[dict[str, Any]]:
    return [{"amount": amounts[c], "currency": c} for c in sorted(amounts)]


def half_even(amount: int, count: int) -> int:
    return int((Decimal(amount) / count).to_integral_value(rounding=ROUND_HALF_EVEN))


@dataclass
class Figures:
    orders: set[int] = field(default_factory=set)
    units: int = 0
    gross: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refunded: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    orders_in: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def sale(self, line: Any) -> None:
        self.orders.add(line.order_id)
        self.orders_in[line.currency].add(line.order_id)
        self.units += line.quantity
        self.gross[line.currency] += line.line_total_amount

    def net(self) -> dict[str, int]:
        currencies = set(self.gross) | set(self.refunded)
        return {c: self.gross.get(c, 0) - self.refunded.get(c, 0) for c in currencies}

    def aov(self) -> dict[str, int]:
        return {
            c: half_even(amount, len(self.orders_in[c]))
            for c, amount in self.gross.items()
            if amount
        }


def sales_lines(data: Raw, start: datetime | None, end: datetime | None) -> list[Any]:
    return [
        line
        for line in data.lines
        if data.orders[line.order_id].status in SOLD
        and within(data.orders[line.order_id].created_at, start, end)
    ]


def succeeded_refunds(data: Raw, start: datetime | None, end: datetime | None) -> list[Any]:
    return [r for r in data.refunds if r.status == "succeeded" and within(r.created_at, start, end)]


def label_of(moment: datetime, zone: ZoneInfo, grain: str) -> date:
    local = moment.astimezone(zone).date()
    if grain == "week":
        return local - timedelta(days=local.weekday())
    if grain == "month":
        return local.replace(day=1)
    return local


def expected_by_period(
    data: Raw, start: datetime, end: datetime, grain: str, zone: ZoneInfo
) -> dict[date, Figures]:
    found: dict[date, Figures] = defaultdict(Figures)
    for line in sales_lines(data, start, end):
        found[label_of(data.orders[line.order_id].created_at, zone, grain)].sale(line)
    for refund in succeeded_refunds(data, start, end):
        found[label_of(refund.created_at, zone, grain)].refunded[refund.currency] += refund.amount
    return found


def expected_by_record(data: Raw, start: datetime, end: datetime, group: str) -> dict[int, Figures]:
    found: dict[int, Figures] = defaultdict(Figures)
    for line in sales_lines(data, start, end):
        if group == "product":
            key = line.product_id
        elif group == "category":
            key = data.products[line.product_id].category_id or 0
        else:
            key = data.orders[line.order_id].customer_id
        found[key].sale(line)
    if group == "customer":
        for refund in succeeded_refunds(data, start, end):
            found[data.orders[refund.order_id].customer_id].refunded[refund.currency] += (
                refund.amount
            )
    return found


def public(kind: str, pk: int) -> str:
    return ids.encode(kind, pk)

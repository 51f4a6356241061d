"""Loaders that fetch rows by primary or foreign key: one `IN (...)` statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from .. import records
from ..db.models import (
    categories,
    customers,
    inventory_levels,
    order_lines,
    orders,
    payments,
    products,
    refunds,
)
from ..records import Category, Customer, Inventory, Order, OrderLine, Payment, Product, Refund
from .base import BatchLoader


class CategoryById(BatchLoader[int, Category | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Category | None]:
        rows = await self.reader.all(
            select(*records.CATEGORY_COLUMNS).where(categories.c.id.in_(keys))
        )
        found = {row[0]: records.category_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class ProductById(BatchLoader[int, Product | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Product | None]:
        rows = await self.reader.all(
            select(*records.PRODUCT_COLUMNS).where(products.c.id.in_(keys))
        )
        found = {row[0]: records.product_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class InventoryByProduct(BatchLoader[int, Inventory | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Inventory | None]:
        rows = await self.reader.all(
            select(*records.INVENTORY_COLUMNS).where(inventory_levels.c.product_id.in_(keys))
        )
        found = {row[0]: records.inventory_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class CustomerById(BatchLoader[int, Customer | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Customer | None]:
        rows = await self.reader.all(
            select(*records.CUSTOMER_COLUMNS).where(customers.c.id.in_(keys))
        )
        found = {row[0]: records.customer_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class OrderById(BatchLoader[int, Order | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Order | None]:
        rows = await self.reader.all(select(*records.ORDER_COLUMNS).where(orders.c.id.in_(keys)))
        found = {row[0]: records.order_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class LinesByOrder(BatchLoader[int, list[OrderLine]]):
    async def fetch(self, keys: Sequence[int]) -> list[list[OrderLine]]:
        rows = await self.reader.all(
            select(*records.ORDER_LINE_COLUMNS)
            .where(order_lines.c.order_id.in_(keys))
            .order_by(order_lines.c.order_id, order_lines.c.id)
        )
        grouped: defaultdict[int, list[OrderLine]] = defaultdict(list)
        for row in rows:
            line = records.order_line_from_row(row)
            grouped[line.order_pk].append(line)
        return [grouped.get(key, []) for key in keys]


class PaymentById(BatchLoader[int, Payment | None]):
    async def fetch(self, keys: Sequence[int]) -> list[Payment | None]:
        rows = await self.reader.all(
            select(*records.PAYMENT_COLUMNS).where(payments.c.id.in_(keys))
        )
        found = {row[0]: records.payment_from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class PaymentsByOrder(BatchLoader[int, list[Payment]]):
    async def fetch(self, keys: Sequence[int]) -> list[list[Payment]]:
        rows = await self.reader.all(
            select(*records.PAYMENT_COLUMNS)
            .where(payments.c.order_id.in_(keys))
            .order_by(payments.c.order_id, payments.c.id)
        )
        grouped: defaultdict[int, list[Payment]] = defaultdict(list)
        for row in rows:
            payment = records.payment_from_row(row)
            grouped[payment.order_pk].append(payment)
        return [grouped.get(key, []) for key in keys]


class RefundsByPayment(BatchLoader[int, list[Refund]]):
    async def fetch(self, keys: Sequence[int]) -> list[list[Refund]]:
        rows = await self.reader.all(
            select(*records.REFUND_COLUMNS)
            .where(refunds.c.payment_id.in_(keys))
            .order_by(refunds.c.payment_id, refunds.c.id)
        )
        grouped: defaultdict[int, list[Refund]] = defaultdict(list)
        for row in rows:
            refund = records.refund_from_row(row)
            grouped[refund.payment_pk].append(refund)
        return [grouped.get(key, []) for key in keys]

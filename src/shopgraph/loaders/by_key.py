"""Loaders that fetch rows by primary or foreign key: one `IN (...)` statement per batch.

Each loader is a few class attributes on one of two shapes: `OneByKey` (at most one row
per key: an id, or a one-to-one relation) and `ManyByKey` (a list per key, in id order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Column, select

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

V = TypeVar("V")


class OneByKey(BatchLoader[int, V | None]):
    columns: ClassVar[tuple[Column[Any], ...]]
    key: ClassVar[Column[Any]]  # must be the first of `columns`
    from_row: ClassVar[Callable[[Any], Any]]

    async def fetch(self, keys: Sequence[int]) -> list[V | None]:
        rows = await self.reader.all(select(*self.columns).where(self.key.in_(keys)))
        found = {row[0]: type(self).from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class ManyByKey(BatchLoader[int, list[V]]):
    columns: ClassVar[tuple[Column[Any], ...]]
    key: ClassVar[Column[Any]]
    order: ClassVar[Column[Any]]
    from_row: ClassVar[Callable[[Any], Any]]
    parent: ClassVar[str]  # the record attribute holding the key

    async def fetch(self, keys: Sequence[int]) -> list[list[V]]:
        rows = await self.reader.all(
            select(*self.columns).where(self.key.in_(keys)).order_by(self.key, self.order)
        )
        grouped: defaultdict[int, list[V]] = defaultdict(list)
        for row in rows:
            item = type(self).from_row(row)
            grouped[getattr(item, self.parent)].append(item)
        return [grouped.get(key, []) for key in keys]


class CategoryById(OneByKey[Category]):
    columns, key, from_row = records.CATEGORY_COLUMNS, categories.c.id, records.category_from_row


class ProductById(OneByKey[Product]):
    columns, key, from_row = records.PRODUCT_COLUMNS, products.c.id, records.product_from_row


class InventoryByProduct(OneByKey[Inventory]):
    columns = records.INVENTORY_COLUMNS
    key = inventory_levels.c.product_id
    from_row = records.inventory_from_row


class CustomerById(OneByKey[Customer]):
    columns, key, from_row = records.CUSTOMER_COLUMNS, customers.c.id, records.customer_from_row


class OrderById(OneByKey[Order]):
    columns, key, from_row = records.ORDER_COLUMNS, orders.c.id, records.order_from_row


class PaymentById(OneByKey[Payment]):
    columns, key, from_row = records.PAYMENT_COLUMNS, payments.c.id, records.payment_from_row


class RefundById(OneByKey[Refund]):
    columns, key, from_row = records.REFUND_COLUMNS, refunds.c.id, records.refund_from_row


class LinesByOrder(ManyByKey[OrderLine]):
    columns, key, order = records.ORDER_LINE_COLUMNS, order_lines.c.order_id, order_lines.c.id
    from_row = records.order_line_from_row
    parent = "order_pk"


class PaymentsByOrder(ManyByKey[Payment]):
    columns, key, order = records.PAYMENT_COLUMNS, payments.c.order_id, payments.c.id
    from_row = records.payment_from_row
    parent = "order_pk"


class RefundsByPayment(ManyByKey[Refund]):
    columns, key, order = records.REFUND_COLUMNS, refunds.c.payment_id, refunds.c.id
    from_row = records.refund_from_row
    parent = "payment_pk"

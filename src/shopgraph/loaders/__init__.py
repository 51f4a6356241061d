"""DataLoaders: one registry per request, one loader per relation.

Every relation a surface follows goes through one of these, so the number of SQL
statements grows with the depth of a query, never with the number of rows. Batches
run on the request's single read connection (see `db.engine.Reader`).
"""

from __future__ import annotations

from functools import cached_property

from ..db.engine import Reader
from ..pagination import CursorCodec
from .by_key import (
    CategoryById,
    CustomerById,
    InventoryByProduct,
    LinesByOrder,
    OrderById,
    PaymentById,
    PaymentsByOrder,
    ProductById,
    RefundById,
    RefundsByPayment,
)
from .paged import OrdersByCustomer, ProductsByCategory


class Loaders:
    """Built lazily: a request pays only for the loaders it uses."""

    def __init__(self, reader: Reader, codec: CursorCodec) -> None:
        self._reader = reader
        self._codec = codec

    @cached_property
    def category_by_id(self) -> CategoryById:
        return CategoryById(self._reader)

    @cached_property
    def product_by_id(self) -> ProductById:
        return ProductById(self._reader)

    @cached_property
    def inventory_by_product(self) -> InventoryByProduct:
        return InventoryByProduct(self._reader)

    @cached_property
    def customer_by_id(self) -> CustomerById:
        return CustomerById(self._reader)

    @cached_property
    def order_by_id(self) -> OrderById:
        return OrderById(self._reader)

    @cached_property
    def lines_by_order(self) -> LinesByOrder:
        return LinesByOrder(self._reader)

    @cached_property
    def payment_by_id(self) -> PaymentById:
        return PaymentById(self._reader)

    @cached_property
    def payments_by_order(self) -> PaymentsByOrder:
        return PaymentsByOrder(self._reader)

    @cached_property
    def refund_by_id(self) -> RefundById:
        return RefundById(self._reader)

    @cached_property
    def refunds_by_payment(self) -> RefundsByPayment:
        return RefundsByPayment(self._reader)

    @cached_property
    def orders_by_customer(self) -> OrdersByCustomer:
        return OrdersByCustomer(self._reader, self._codec)

    @cached_property
    def products_by_category(self) -> ProductsByCategory:
        return ProductsByCategory(self._reader, self._codec)

    def clear_all(self) -> None:
        """Forget every cached value (after a write, and when the request ends)."""
        for name in list(vars(self)):
            if not name.startswith("_"):
                vars(self)[name].clear_all()

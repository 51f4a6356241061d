"""What aggregates return, and the one way their rows are added up.

Every aggregate statement (`statements.py`) selects the same columns (`TALLY`): a group
key, a currency, and counts and sums, zero where a branch of the statement has none.
`tally` adds its rows up per key into a `Tally`, and each aggregate turns a tally into its
record. Money stays exact: sums arrive as integers (PostgreSQL's `numeric` sums as
`Decimal`), per currency, and averages are divided here, in integers. An amount that no
response can carry (beyond 2^63 - 1) is refused when its record is made, for its owner
alone: the others of the batch keep their figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple

from ..errors import ValueTooLarge
from ..records import Money
from .periods import Period

# The largest amount a response carries: a signed 64-bit integer of minor units.
MAX_AMOUNT = 2**63 - 1
# The columns of every aggregate statement, in this order.
TALLY = ("key", "currency", "orders", "units", "gross", "refunded", "products", "first", "last")


def exact(value: Any) -> int:
    """A summed amount as an int; VALUE_TOO_LARGE where it cannot be exact."""
    if isinstance(value, float):  # SQLite turns an overflowing integer product into a REAL
        raise ValueTooLarge("An amount here exceeds 2^63 - 1 minor units.")
    amount = int(value)
    if not -MAX_AMOUNT <= amount <= MAX_AMOUNT:
        raise ValueTooLarge("An amount here exceeds 2^63 - 1 minor units.")
    return amount


@dataclass(slots=True)
class Tally:
    """The counts and sums of one group, money per currency."""

    orders: int = 0
    units: int = 0
    products: int = 0
    gross: dict[str, int] = field(default_factory=dict)
    refunded: dict[str, int] = field(default_factory=dict)
    orders_in: dict[str, int] = field(default_factory=dict)  # orders per currency
    first: datetime | None = None
    last: datetime | None = None

    def add(self, row: Any) -> None:
        _, currency, orders, units, gross, refunded, products, first, last = row
        self.orders += int(orders)
        self.units += int(units)
        self.products += int(products)
        if currency is not None:
            if orders:
                self.orders_in[currency] = self.orders_in.get(currency, 0) + int(orders)
            if gross:
                self.gross[currency] = self.gross.get(currency, 0) + _integral(gross)
            if refunded:
                self.refunded[currency] = self.refunded.get(currency, 0) + _integral(refunded)
        if first is not None and (self.first is None or first < self.first):
            self.first = first
        if last is not None and (self.last is None or last > self.last):
            self.last = last

    def gross_sales(self) -> list[Money]:
        return _money(self.gross)

    def refunds(self) -> list[Money]:
        return _money(self.refunded)

    def net_sales(self) -> list[Money]:
        """Gross sales less refunds, per currency (negative where refunds exceed sales)."""
        currencies = self.gross.keys() | self.refunded.keys()
        return _money({c: self.gross.get(c, 0) - self.refunded.get(c, 0) for c in currencies})

    def average_order_value(self) -> list[Money]:
        """Gross sales per order, per currency, rounded half to even to a minor unit."""
        return _money(
            {c: _divide(amount, self.orders_in[c]) for c, amount in self.gross.items() if amount}
        )


EMPTY = Tally()


def tally(rows: Iterable[Any]) -> dict[Any, Tally]:
    """Rows of an aggregate statement (`TALLY` columns), added up by their key."""
    tallies: dict[Any, Tally] = {}
    for row in rows:
        key = row[0]
        found = tallies.get(key)
        if found is None:
            found = tallies[key] = Tally()
        found.add(row)
    return tallies


def _integral(value: Any) -> int:
    """A summed amount, exactly (Python integers have no limit); a float is what SQLite
    makes of an integer product that overflowed, kept as `INEXACT` so it is refused when
    shown."""
    if isinstance(value, float):
        return INEXACT
    return int(value)


# Stands for an amount SQLite could not compute exactly: beyond any amount shown.
INEXACT = 2**200


def _divide(amount: int, count: int) -> int:
    return int((Decimal(amount) / Decimal(count)).to_integral_value(rounding=ROUND_HALF_EVEN))


def _money(amounts: dict[str, int]) -> list[Money]:
    """Amounts per currency, in currency order; VALUE_TOO_LARGE if one cannot be shown."""
    return [Money(exact(amounts[currency]), currency) for currency in sorted(amounts)]


class ProductSales(NamedTuple):
    units_sold: int
    order_count: int
    revenue: list[Money]


class CategoryStats(NamedTuple):
    revenue: list[Money]
    units_sold: int
    order_count: int
    product_count: int


class CustomerStats(NamedTuple):
    order_count: int
    lifetime_value: list[Money]
    average_order_value: list[Money]
    first_order_at: datetime | None
    last_order_at: datetime | None


def product_sales(found: Tally) -> ProductSales:
    return ProductSales(found.units, found.orders, found.gross_sales())


def category_stats(found: Tally) -> CategoryStats:
    return CategoryStats(found.gross_sales(), found.units, found.orders, found.products)


def customer_stats(found: Tally) -> CustomerStats:
    return CustomerStats(
        found.orders, found.net_sales(), found.average_order_value(), found.first, found.last
    )


class SalesRow(NamedTuple):
    """One row of a sales report: a period, or a product, category or customer (by key)."""

    period: Period | None
    product_pk: int | None
    category_pk: int | None  # 0 in a CATEGORY report: products without a category
    customer_pk: int | None
    order_count: int
    units_sold: int
    gross_sales: list[Money]
    refunds: list[Money] | None  # None where refunds cannot be told apart (per product)
    net_sales: list[Money]
    average_order_value: list[Money]


class TopProduct(NamedTuple):
    rank: int  # 1 for the best seller
    product_pk: int
    currency: str
    units_sold: int
    order_count: int
    revenue: Money


class StockValue(NamedTuple):
    """Stock on hand of one category (None: products without one) in one currency."""

    category_pk: int | None
    currency: str
    product_count: int
    units_on_hand: int
    value: Money

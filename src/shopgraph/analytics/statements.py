"""The aggregate statements: what counts as a sale, and one GROUP BY per aggregate.

A **sale** is an order line of an order that was paid: `paid`, `fulfilled`,
`partially_refunded` or `refunded` (a refunded order was sold; its refund is subtracted
when it happened). Pending and cancelled orders never count. A sale happens at its order's
`created_at` (the order date, as Shopify's reports count it); a refund at its own
`created_at`, once it `succeeded`. Ranges are half-open: `start <= t < end`.

Every statement selects the `figures.TALLY` columns, so one reducer adds up all of them,
and is built for one dialect and compiled once (`db.reads`): keys are one array parameter,
range bounds are parameters present only when given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    FromClause,
    Numeric,
    Select,
    String,
    and_,
    bindparam,
    cast,
    distinct,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect

from ..db.models import inventory_levels, order_lines, orders, payments, products, refunds
from ..db.reads import key_in
from ..db.types import UTCDateTime
from .figures import TALLY

SOLD = ("paid", "fulfilled", "partially_refunded", "refunded")
REFUNDED = "succeeded"


@dataclass(frozen=True, slots=True)
class Range:
    """A half-open time range; either end may be open (None)."""

    start: datetime | None = None
    end: datetime | None = None

    @property
    def shape(self) -> tuple[bool, bool]:
        """What the statement depends on: which bounds it has."""
        return (self.start is not None, self.end is not None)

    def values(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


def _text(value: str) -> ColumnElement[Any]:
    return literal_column(f"'{value}'", String)


def _zero() -> ColumnElement[Any]:
    return literal_column("0", BigInteger)


def _tally(
    key: ColumnElement[Any],
    currency: ColumnElement[Any] | None,
    **sums: ColumnElement[Any],
) -> list[ColumnElement[Any]]:
    """The `TALLY` columns: `key`, `currency`, then `sums` where given, zero (or null)
    elsewhere."""
    columns: list[ColumnElement[Any]] = [
        key.label("key"),
        (currency if currency is not None else cast(null(), String(3))).label("currency"),
    ]
    for name in TALLY[2:]:
        if name in sums:
            columns.append(sums[name].label(name))
        elif name in ("first", "last"):
            columns.append(cast(null(), UTCDateTime()).label(name))
        else:
            columns.append(_zero().label(name))
    return columns


def sold(order_table: FromClause) -> ColumnElement[bool]:
    """Orders of `order_table` that were paid (see the module docstring)."""
    return order_table.c.status.in_([_text(status) for status in SOLD])


def in_range(column: ColumnElement[Any], shape: tuple[bool, bool]) -> list[ColumnElement[bool]]:
    """`column` within the range bound as `start` and `end` (those the shape has)."""
    conditions = []
    if shape[0]:
        conditions.append(column >= bindparam("start", type_=UTCDateTime()))
    if shape[1]:
        conditions.append(column < bindparam("end", type_=UTCDateTime()))
    return conditions


_o = orders.alias("o")
_l = order_lines.alias("l")
_p = products.alias("p")
_r = refunds.alias("r")
_pay = payments.alias("pay")
_i = inventory_levels.alias("i")

_SALE_SUMS = {
    "orders": func.count(distinct(_l.c.order_id)),
    "units": func.sum(_l.c.quantity),
    "gross": func.sum(_l.c.line_total_amount),
}
_LINES = _l.join(_o, _o.c.id == _l.c.order_id)
_REFUNDS = _r.join(_pay, _pay.c.id == _r.c.payment_id).join(_o, _o.c.id == _pay.c.order_id)


def product_sales(dialect: Dialect, shape: tuple[bool, bool]) -> Select[Any]:
    """Sales of the products in `keys`, per product and currency."""
    return (
        select(*_tally(_l.c.product_id, _l.c.currency, **_SALE_SUMS))
        .select_from(_LINES)
        .where(key_in(_l.c.product_id, dialect), sold(_o), *in_range(_o.c.created_at, shape))
        .group_by(_l.c.product_id, _l.c.currency)
    )


def category_stats(dialect: Dialect, shape: tuple[bool, bool]) -> Any:
    """Sales of the categories in `keys` (through their products' current category), and
    how many products each holds."""
    category = _p.c.category_id
    sales = (
        select(*_tally(category, _l.c.currency, **_SALE_SUMS))
        .select_from(_LINES.join(_p, _p.c.id == _l.c.product_id))
        .where(key_in(category, dialect), sold(_o), *in_range(_o.c.created_at, shape))
        .group_by(category, _l.c.currency)
    )
    held = (
        select(*_tally(products.c.category_id, None, products=func.count()))
        .where(key_in(products.c.category_id, dialect))
        .group_by(products.c.category_id)
    )
    return union_all(sales, held)


def customer_stats(dialect: Dialect, shape: tuple[bool, bool]) -> Any:
    """All-time sales and refunds of the customers in `keys`, per currency."""
    del shape  # a customer's stats cover all time
    bought = (
        select(
            *_tally(
                _o.c.customer_id,
                _o.c.currency,
                orders=func.count(),
                gross=func.sum(_o.c.subtotal_amount),
                first=func.min(_o.c.created_at),
                last=func.max(_o.c.created_at),
            )
        )
        .where(key_in(_o.c.customer_id, dialect), sold(_o))
        .group_by(_o.c.customer_id, _o.c.currency)
    )
    returned = (
        select(*_tally(_o.c.customer_id, _r.c.currency, refunded=func.sum(_r.c.amount)))
        .select_from(_REFUNDS)
        .where(key_in(_o.c.customer_id, dialect), _r.c.status == _text(REFUNDED))
        .group_by(_o.c.customer_id, _r.c.currency)
    )
    return union_all(bought, returned)


# --- reports ------------------------------------------------------------------------------


def periods_table(dialect: Dialect) -> FromClause:
    """The report's periods as rows (`idx` from 1, `start`, `stop`), from one parameter
    (`periods_bound` makes its value)."""
    if dialect.name == "postgresql":
        instants = ARRAY(DateTime(timezone=True))
        return (
            func.unnest(bindparam("starts", type_=instants), bindparam("stops", type_=instants))
            .table_valued(
                literal_column("start", DateTime(timezone=True)),
                literal_column("stop", DateTime(timezone=True)),
                with_ordinality="idx",
            )
            .render_derived(name="b", with_types=False)
        )
    each = func.json_each(bindparam("periods", type_=String)).table_valued("key", "value")
    value = each.c.value
    return (
        select(
            (each.c.key + literal_column("1", BigInteger)).label("idx"),
            func.json_extract(value, literal_column("'$[0]'")).label("start"),
            func.json_extract(value, literal_column("'$[1]'")).label("stop"),
        )
        .select_from(each)
        .subquery("b")
    )


def periods_bound(dialect: Dialect, bounds: Sequence[tuple[datetime, datetime]]) -> dict[str, Any]:
    """The parameters of `periods_table` for these [start, stop) pairs."""
    if dialect.name == "postgresql":
        return {"starts": [b[0] for b in bounds], "stops": [b[1] for b in bounds]}
    stored = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert stored is not None
    return {"periods": orjson.dumps([[stored(b[0]), stored(b[1])] for b in bounds]).decode()}


def sales_by_period(dialect: Dialect) -> Any:
    """Sales and refunds per period of `periods_table` (key: the period's 1-based index)."""
    b = periods_table(dialect)
    sales = (
        select(*_tally(b.c.idx, _l.c.currency, **_SALE_SUMS))
        .select_from(
            b.join(_o, and_(_o.c.created_at >= b.c.start, _o.c.created_at < b.c.stop)).join(
                _l, _l.c.order_id == _o.c.id
            )
        )
        .where(sold(_o))
        .group_by(b.c.idx, _l.c.currency)
    )
    returned = (
        select(*_tally(b.c.idx, _r.c.currency, refunded=func.sum(_r.c.amount)))
        .select_from(b.join(_r, and_(_r.c.created_at >= b.c.start, _r.c.created_at < b.c.stop)))
        .where(_r.c.status == _text(REFUNDED))
        .group_by(b.c.idx, _r.c.currency)
    )
    return union_all(sales, returned)


GROUP_KEYS = ("product", "category", "customer")


def sales_by_entity(
    dialect: Dialect, group: str, shape: tuple[bool, bool], after: bool, limit: int
) -> Select[Any]:
    """Sales (and for customers, refunds) per product, category or customer, for the
    `limit` keys after `after` (a bound parameter) in key order; products without a
    category are key 0."""
    if group == "product":
        key: ColumnElement[Any] = _l.c.product_id
        source: FromClause = _LINES
    elif group == "category":
        key = func.coalesce(_p.c.category_id, 0)
        source = _LINES.join(_p, _p.c.id == _l.c.product_id)
    else:
        key = _o.c.customer_id
        source = _LINES
    paged = [key > bindparam("after", type_=BigInteger)] if after else []
    branches: list[Select[Any]] = [
        select(*_tally(key, _l.c.currency, **_SALE_SUMS))
        .select_from(source)
        .where(sold(_o), *in_range(_o.c.created_at, shape), *paged)
        .group_by(key, _l.c.currency)
    ]
    if group == "customer":
        branches.append(
            select(*_tally(key, _r.c.currency, refunded=func.sum(_r.c.amount)))
            .select_from(_REFUNDS)
            .where(_r.c.status == _text(REFUNDED), *in_range(_r.c.created_at, shape), *paged)
            .group_by(key, _r.c.currency)
        )
    rows = (branches[0] if len(branches) == 1 else union_all(*branches)).cte("grouped")
    page = (
        select(rows.c.key)
        .group_by(rows.c.key)
        .order_by(rows.c.key)
        .limit(literal_column(str(int(limit)), BigInteger))
        .scalar_subquery()
    )
    return select(rows).where(rows.c.key.in_(page)).order_by(rows.c.key, rows.c.currency)


def top_products(
    dialect: Dialect, by: str, shape: tuple[bool, bool], currency: bool, limit: int
) -> Select[Any]:
    """The `limit` products (per currency) that sold the most revenue or units."""
    del dialect
    measure = _SALE_SUMS["gross"] if by == "revenue" else _SALE_SUMS["units"]
    chosen = [_l.c.currency == bindparam("currency", type_=String)] if currency else []
    return (
        select(*_tally(_l.c.product_id, _l.c.currency, **_SALE_SUMS))
        .select_from(_LINES)
        .where(sold(_o), *in_range(_o.c.created_at, shape), *chosen)
        .group_by(_l.c.product_id, _l.c.currency)
        .order_by(measure.desc(), _l.c.product_id, _l.c.currency)
        .limit(literal_column(str(int(limit)), BigInteger))
    )


def inventory_valuation(dialect: Dialect) -> Select[Any]:
    """Stock on hand at current prices, per category (0: none) and currency: key,
    currency, products, units, value."""
    on_hand: ColumnElement[Any] = _i.c.on_hand
    if dialect.name == "postgresql":  # int * bigint is bigint there, and could overflow
        on_hand = cast(on_hand, Numeric)
    category = func.coalesce(_p.c.category_id, 0)
    return (
        select(
            category.label("key"),
            _p.c.currency,
            func.count().label("products"),
            func.coalesce(func.sum(_i.c.on_hand), 0).label("units"),
            func.coalesce(func.sum(on_hand * _p.c.price_amount), 0).label("value"),
        )
        .select_from(_p.join(_i, _i.c.product_id == _p.c.id))
        .group_by(category, _p.c.currency)
        .order_by(category, _p.c.currency)
    )


def low_stock() -> ColumnElement[bool]:
    """Products at or below their low-stock threshold (those with one)."""
    available = inventory_levels.c.on_hand - inventory_levels.c.reserved
    return products.c.id.in_(
        select(inventory_levels.c.product_id).where(
            inventory_levels.c.low_stock_threshold.is_not(None),
            available <= inventory_levels.c.low_stock_threshold,
        )
    )

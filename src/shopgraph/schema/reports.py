"""The reports as GraphQL root fields: sales over time or by record, best sellers, stock.

Each is a thin call into `resolvers.reports`, and the types below are, at run time, the
records it returns (`analytics.figures`, `analytics.periods.Period`), as the entity types
are the plain records. The records a row names (its product, category or customer) are
read through the request's loaders, batched per level.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry

from .. import registry
from ..resolvers import reports
from ..resolvers.common import PageInput
from .connections import Connection, connection, page_input
from .context import Info
from .enums import ProductSort, SortDirection
from .scalars import DateTime, Long
from .types import MONEY_LIST, Category, Customer, Money, Product


@strawberry.enum(description="How a sales report groups its rows.")
class ReportGrouping(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    PRODUCT = "product"
    CATEGORY = "category"
    CUSTOMER = "customer"


@strawberry.enum(description="What best sellers are ranked by.")
class TopProductsBy(Enum):
    REVENUE = "revenue"
    UNITS = "units"


def _by_id(info: Info, entity: Any, pk: int | None) -> Any:
    if pk is None:
        return None
    return info.context.loaders.by_id(entity).get(pk)


@strawberry.type(description="A calendar period of the report's time zone, clipped to its range.")
class Period:
    label: date = strawberry.field(
        description="Its first local day (a Monday for weeks, the 1st for months)."
    )
    start: DateTime
    end: DateTime = strawberry.field(description="Exclusive.")


@strawberry.type(description="One row of a sales report (docs/analytics.md).")
class SalesReportRow:
    period: Period | None = strawberry.field(
        description="The period, in DAY, WEEK and MONTH reports."
    )
    order_count: Long
    units_sold: Long
    gross_sales: list[Money] = strawberry.field(description="Line totals. " + MONEY_LIST)
    refunds: list[Money] | None = strawberry.field(
        description="Succeeded refunds in the period; null in PRODUCT and CATEGORY reports, "
        "where a refund (of a payment, not of lines) cannot be attributed."
    )
    net_sales: list[Money] = strawberry.field(description="Gross sales less refunds.")
    average_order_value: list[Money] = strawberry.field(
        description="Gross sales per order, rounded half to even."
    )
    product_pk: strawberry.Private[int | None]
    category_pk: strawberry.Private[int | None]
    customer_pk: strawberry.Private[int | None]

    @strawberry.field(description="In PRODUCT reports.")
    def product(self, info: Info) -> Product | None:
        return _by_id(info, registry.PRODUCT, self.product_pk)  # type: ignore[no-any-return]

    @strawberry.field(description="In CATEGORY reports; null there for uncategorised products.")
    def category(self, info: Info) -> Category | None:
        return _by_id(info, registry.CATEGORY, self.category_pk or None)  # type: ignore[no-any-return]

    @strawberry.field(description="In CUSTOMER reports.")
    def customer(self, info: Info) -> Customer | None:
        return _by_id(info, registry.CUSTOMER, self.customer_pk)  # type: ignore[no-any-return]


@strawberry.type(description="A best seller.")
class TopProduct:
    rank: int
    currency: str
    units_sold: Long
    order_count: Long
    revenue: Money
    product_pk: strawberry.Private[int]

    @strawberry.field
    def product(self, info: Info) -> Product:
        return _by_id(info, registry.PRODUCT, self.product_pk)  # type: ignore[no-any-return]


@strawberry.type(description="Stock on hand at current prices, of one category and currency.")
class StockValue:
    currency: str
    product_count: int
    units_on_hand: Long
    value: Money
    category_pk: strawberry.Private[int | None]

    @strawberry.field(description="Null for products without a category.")
    def category(self, info: Info) -> Category | None:
        return _by_id(info, registry.CATEGORY, self.category_pk)  # type: ignore[no-any-return]


From = Annotated[DateTime, strawberry.argument(name="from", description="Inclusive.")]
Until = Annotated[DateTime, strawberry.argument(description="Exclusive.")]
TimeZone = Annotated[
    str, strawberry.argument(description="An IANA time zone name: its calendar makes the periods.")
]


@strawberry.type
class ReportsQuery:
    @strawberry.field(
        description="Sales per period (every period of the range, empty ones too) or per "
        "product, category or customer (those with sales), in order. Needs reports:read; "
        "CUSTOMER needs customers:read too."
    )
    async def sales_report(
        self,
        info: Info,
        from_: From,
        to: Until,
        group_by: ReportGrouping = ReportGrouping.DAY,
        time_zone: TimeZone = "UTC",
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SalesReportRow]:
        page = await reports.sales_report(
            info.context,
            from_,
            to,
            group_by.value,
            time_zone,
            PageInput(first=first, after=after),
        )
        return Connection.of(page)  # type: ignore[arg-type]  # the records are the rows

    @strawberry.field(
        description="Best sellers in a range, per currency (pass currency to rank one). "
        "Needs reports:read."
    )
    async def top_products(
        self,
        info: Info,
        by: TopProductsBy = TopProductsBy.REVENUE,
        from_: Annotated[DateTime | None, strawberry.argument(name="from")] = None,
        to: DateTime | None = None,
        currency: str | None = None,
        first: int = 10,
    ) -> list[TopProduct]:
        found = await reports.top_products(info.context, by.value, from_, to, currency, first)
        return found  # type: ignore[return-value]  # the records are the rows

    @strawberry.field(description="Stock on hand at current prices. Needs reports:read.")
    async def inventory_valuation(self, info: Info) -> list[StockValue]:
        return await reports.inventory_valuation(info.context)  # type: ignore[return-value]

    @strawberry.field(
        description="Products at or below their low-stock threshold. Needs reports:read."
    )
    async def low_stock_products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sort: ProductSort = ProductSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Product]:
        page = await reports.low_stock_products(
            info.context, page_input(first, after, last, before, sort, direction)
        )
        return await connection(info, page)  # type: ignore[arg-type]

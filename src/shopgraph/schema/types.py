"""The object types. Their instances at run time are the plain records from `records`.

Plain fields read record attributes directly (no resolver, no coroutine); only relations
have resolvers, and each returns its loader's value when a list above it prefetched it
(see `prefetch`), or else the loader's future itself (annotated with the type it resolves
to), never an extra coroutine: the cheap paths through graphql-core.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from .. import records, registry
from ..registry import Many, One
from ..resolvers import related, reports
from ..versioning.deprecations import FIELDS
from .connections import Connection, connection, page_input
from .context import Info
from .enums import OrderSort, OrderStatus, ProductSort, SortDirection
from .scalars import DateTime, Long


def follow(info: Info, relation: One[Any] | Many[Any], owner: Any) -> Any:
    """The value of a relation field: what a list above prefetched, else the loader's future
    (graphql-core awaits it); the relation is the registry's, never restated here."""
    return info.context.loaders.follow(relation).get(relation.key(owner))


@strawberry.interface(description="An object with a globally unique, type-prefixed id.")
class Node:
    id: strawberry.ID


@strawberry.type(description="An exact amount in minor units (cents) of an ISO 4217 currency.")
class Money:
    amount: Long
    currency: str


From = Annotated[
    DateTime | None,
    strawberry.argument(name="from", description="Sales at or after this instant (inclusive)."),
]
To = Annotated[DateTime | None, strawberry.argument(description="Sales before this instant.")]
MONEY_LIST = "One amount per currency sold in, in currency order; empty for none."


@strawberry.type(description="A product's sales in a time range (docs/analytics.md).")
class ProductSales:
    units_sold: Long
    order_count: Long = strawberry.field(description="Orders with this product in them.")
    revenue: list[Money] = strawberry.field(description="Gross: line totals. " + MONEY_LIST)


@strawberry.type(description="A category's sales in a time range, through its products.")
class CategoryStats:
    revenue: list[Money] = strawberry.field(description="Gross: line totals. " + MONEY_LIST)
    units_sold: Long
    order_count: Long
    product_count: int = strawberry.field(description="Products in the category now.")


@strawberry.type(description="A customer's orders, all time (docs/analytics.md).")
class CustomerStats:
    order_count: Long = strawberry.field(description="Paid orders, fulfilled or refunded too.")
    lifetime_value: list[Money] = strawberry.field(
        description="Gross sales less succeeded refunds. " + MONEY_LIST
    )
    average_order_value: list[Money] = strawberry.field(
        description="Gross sales per order, rounded half to even. " + MONEY_LIST
    )
    first_order_at: DateTime | None
    last_order_at: DateTime | None


@strawberry.type
class Inventory:
    on_hand: int
    reserved: int
    available: int = strawberry.field(description="on_hand - reserved: what can be sold.")
    low_stock_threshold: int | None
    low_stock: bool = strawberry.field(description="available is at or below the threshold.")
    updated_at: DateTime


@strawberry.type
class Category(Node):
    id: strawberry.ID
    name: str
    description: str | None
    version: int = strawberry.field(description="Bumped by every change; see expectedVersion.")
    created_at: DateTime
    updated_at: DateTime
    pk: strawberry.Private[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Category)

    @strawberry.field(description="Products in this category, batched across categories.")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sort: ProductSort = ProductSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Product]:
        page = await related.page_of(
            info.context,
            registry.CATEGORY_PRODUCTS,
            self,
            page_input(first, after, last, before, sort, direction),
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(
        description="Needs the reports:read scope. Batched across categories; by the "
        "products' current category."
    )
    def stats(self, info: Info, from_: From = None, to: To = None) -> CategoryStats | None:
        span = reports.time_range(from_, to)
        return reports.figures_of(info.context, registry.CATEGORY_STATS, self, span)  # type: ignore[no-any-return]  # a future


@strawberry.type
class Product(Node):
    id: strawberry.ID
    sku: str
    name: str
    description: str | None
    price: Money
    version: int = strawberry.field(description="Bumped by every change; see expectedVersion.")
    created_at: DateTime
    updated_at: DateTime
    pk: strawberry.Private[int]
    category_pk: strawberry.Private[int | None]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Product)

    @strawberry.field
    def category(self, info: Info) -> Category | None:
        if self.category_pk is None:
            return None
        return follow(info, registry.PRODUCT_CATEGORY, self)  # type: ignore[no-any-return]  # a future

    @strawberry.field
    def inventory(self, info: Info) -> Inventory | None:
        return follow(info, registry.PRODUCT_INVENTORY, self)  # type: ignore[no-any-return]  # a future

    @strawberry.field(description="Needs the reports:read scope. Batched across products.")
    def sales(self, info: Info, from_: From = None, to: To = None) -> ProductSales | None:
        span = reports.time_range(from_, to)
        return reports.figures_of(info.context, registry.PRODUCT_SALES, self, span)  # type: ignore[no-any-return]  # a future


@strawberry.type
class Customer(Node):
    id: strawberry.ID
    name: str
    version: int = strawberry.field(description="Bumped by every change; see expectedVersion.")
    created_at: DateTime
    updated_at: DateTime
    pk: strawberry.Private[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Customer)

    @strawberry.field(
        description="Needs the customers:read scope, or the customer's own token: else "
        "null with a FORBIDDEN error at this field.",
    )
    def email(self, info: Info) -> str | None:
        return related.guarded_field(info.context, registry.CUSTOMER, "email", self)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Needs the customers:read scope, or the customer's own token. Batched "
        "across customers."
    )
    def stats(self, info: Info) -> CustomerStats | None:
        span = reports.time_range(None, None)
        return reports.figures_of(info.context, registry.CUSTOMER_STATS, self, span)  # type: ignore[no-any-return]  # a future

    @strawberry.field(description="This customer's orders, batched across customers.")
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sort: OrderSort = OrderSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Order]:
        page = await related.page_of(
            info.context,
            registry.CUSTOMER_ORDERS,
            self,
            page_input(first, after, last, before, sort, direction),
        )
        return await connection(info, page)  # type: ignore[arg-type]


@strawberry.type
class OrderLine:
    quantity: int
    unit_price: Money = strawberry.field(
        description="The product's price when the order was placed."
    )
    line_total: Money
    product_pk: strawberry.Private[int]

    @strawberry.field
    def product(self, info: Info) -> Product:
        return follow(info, registry.LINE_PRODUCT, self)  # type: ignore[no-any-return]  # a future


@strawberry.type
class Order(Node):
    id: strawberry.ID
    number: int
    status: OrderStatus
    currency: str = strawberry.field(deprecation_reason=FIELDS["Order.currency"].schema_reason)
    subtotal: Money
    total: Money = strawberry.field(description="Captured when the order was placed.")
    version: int = strawberry.field(description="Bumped by every change; see expectedVersion.")
    created_at: DateTime
    updated_at: DateTime
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Order)

    @strawberry.field
    def customer(self, info: Info) -> Customer:
        return follow(info, registry.ORDER_CUSTOMER, self)  # type: ignore[no-any-return]  # a future

    @strawberry.field(description="Batched across orders.")
    def payments(self, info: Info) -> list[Payment]:
        return follow(info, registry.ORDER_PAYMENTS, self)  # type: ignore[no-any-return]  # a future

    @strawberry.field
    def lines(self, info: Info) -> list[OrderLine]:
        return follow(info, registry.ORDER_LINES, self)  # type: ignore[no-any-return]  # a future


@strawberry.type
class Refund(Node):
    id: strawberry.ID
    status: str = strawberry.field(description="processing, succeeded, failed or needs_review.")
    amount: Money
    reason: str | None
    failure_code: str | None
    created_at: DateTime
    pk: strawberry.Private[int]
    payment_pk: strawberry.Private[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Refund)

    @strawberry.field
    def payment(self, info: Info) -> Payment:
        return follow(info, registry.REFUND_PAYMENT, self)  # type: ignore[no-any-return]  # a future


@strawberry.type
class Payment(Node):
    id: strawberry.ID
    status: str = strawberry.field(
        description=(
            "processing, capturing, authorized, succeeded, failed (see failureCode) or "
            "needs_review (the provider's answer did not match; the money stays held)."
        )
    )
    amount: Money
    captured: Money
    refunded: Money = strawberry.field(description="Refunded or being refunded.")
    source: str
    failure_code: str | None
    created_at: DateTime
    updated_at: DateTime
    pk: strawberry.Private[int]
    order_pk: strawberry.Private[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, records.Payment)

    @strawberry.field
    def order(self, info: Info) -> Order:
        return follow(info, registry.PAYMENT_ORDER, self)  # type: ignore[no-any-return]  # a future

    @strawberry.field(description="Batched across payments.")
    def refunds(self, info: Info) -> list[Refund]:
        return follow(info, registry.PAYMENT_REFUNDS, self)  # type: ignore[no-any-return]  # a future

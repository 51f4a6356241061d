"""Root query fields: `node`, `nodes`, and a get and a list for each resource.

Each field's work is a plain function of the request context and the field's arguments
(`*_page`, `*_or_none`): the Strawberry resolver calls it, and the planned executor calls
it too (`plannable.root`), so both fetch exactly alike.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import strawberry

from ..context import RequestContext
from ..errors import FieldError, NotFound, ValidationFailed
from ..pagination import Page
from ..records import Category as CategoryRecord
from ..records import Customer as CustomerRecord
from ..records import Order as OrderRecord
from ..records import Product as ProductRecord
from ..resolvers import categories, customers, nodes, orders, products
from .connections import Connection, connection, page_input
from .context import Info
from .enums import CategorySort, CustomerSort, OrderSort, ProductSort, SortDirection
from .inputs import CustomerFilter, OrderFilter, ProductFilter, to_dict
from .plannable import root
from .types import Category, Customer, Node, Order, Product

MAX_NODES = 100
T = TypeVar("T")


async def _or_none(lookup: Awaitable[T]) -> T | None:
    """A single-object field is null for an unknown id; access errors still surface."""
    try:
        return await lookup
    except NotFound:
        return None


async def node_or_none(ctx: RequestContext, id: strawberry.ID) -> nodes.Node | None:
    (found,) = await nodes.get_nodes(ctx, [id])
    return found


async def nodes_or_none(ctx: RequestContext, ids: list[strawberry.ID]) -> list[nodes.Node | None]:
    if len(ids) > MAX_NODES:
        raise ValidationFailed(
            f"`ids` takes at most {MAX_NODES} ids.",
            errors=[FieldError("ids", "OUT_OF_RANGE", f"At most {MAX_NODES}.")],
        )
    return await nodes.get_nodes(ctx, ids)


async def category_or_none(ctx: RequestContext, id: strawberry.ID) -> CategoryRecord | None:
    return await _or_none(categories.get_category(ctx, id))


async def categories_page(
    ctx: RequestContext,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    sort: CategorySort = CategorySort.CREATED_AT,
    direction: SortDirection = SortDirection.ASC,
) -> Page[CategoryRecord]:
    return await categories.list_categories(
        ctx, page_input(first, after, last, before, sort, direction)
    )


async def product_or_none(ctx: RequestContext, id: strawberry.ID) -> ProductRecord | None:
    return await _or_none(products.get_product(ctx, id))


async def products_page(
    ctx: RequestContext,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    filter: ProductFilter | None = None,
    sort: ProductSort = ProductSort.CREATED_AT,
    direction: SortDirection = SortDirection.ASC,
) -> Page[ProductRecord]:
    where = products.ProductFilter(**to_dict(filter)) if filter else products.ProductFilter()
    return await products.list_products(
        ctx, page_input(first, after, last, before, sort, direction), where
    )


async def customer_or_none(ctx: RequestContext, id: strawberry.ID) -> CustomerRecord | None:
    return await _or_none(customers.get_customer(ctx, id))


async def customers_page(
    ctx: RequestContext,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    filter: CustomerFilter | None = None,
    sort: CustomerSort = CustomerSort.CREATED_AT,
    direction: SortDirection = SortDirection.ASC,
) -> Page[CustomerRecord]:
    where = customers.CustomerFilter(**to_dict(filter)) if filter else customers.CustomerFilter()
    return await customers.list_customers(
        ctx, page_input(first, after, last, before, sort, direction), where
    )


async def order_or_none(ctx: RequestContext, id: strawberry.ID) -> OrderRecord | None:
    return await _or_none(orders.get_order(ctx, id))


async def orders_page(
    ctx: RequestContext,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    filter: OrderFilter | None = None,
    sort: OrderSort = OrderSort.CREATED_AT,
    direction: SortDirection = SortDirection.ASC,
) -> Page[OrderRecord]:
    where = orders.OrderFilter(**to_dict(filter)) if filter else orders.OrderFilter()
    return await orders.list_orders(
        ctx, page_input(first, after, last, before, sort, direction), where
    )


@strawberry.type
class Query:
    @strawberry.field(description="Fetch any object by its id.", metadata=root(node_or_none))
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await node_or_none(info.context, id)  # type: ignore[return-value]

    @strawberry.field(
        description=f"Fetch up to {MAX_NODES} objects by id, in order; null where unknown.",
        metadata=root(nodes_or_none),
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        return await nodes_or_none(info.context, ids)  # type: ignore[return-value]

    @strawberry.field(metadata=root(category_or_none, reads_once=True))
    async def category(self, info: Info, id: strawberry.ID) -> Category | None:
        return await category_or_none(info.context, id)  # type: ignore[return-value]

    @strawberry.field(metadata=root(categories_page, connection=True, reads_once=True))
    async def categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        sort: CategorySort = CategorySort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Category]:
        page = await categories_page(info.context, first, after, last, before, sort, direction)
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(metadata=root(product_or_none, reads_once=True))
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        return await product_or_none(info.context, id)  # type: ignore[return-value]

    @strawberry.field(metadata=root(products_page, connection=True, reads_once=True))
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProductFilter | None = None,
        sort: ProductSort = ProductSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Product]:
        page = await products_page(
            info.context, first, after, last, before, filter, sort, direction
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(metadata=root(customer_or_none, reads_once=True))
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        return await customer_or_none(info.context, id)  # type: ignore[return-value]

    @strawberry.field(metadata=root(customers_page, connection=True, reads_once=True))
    async def customers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: CustomerFilter | None = None,
        sort: CustomerSort = CustomerSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Customer]:
        page = await customers_page(
            info.context, first, after, last, before, filter, sort, direction
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field(metadata=root(order_or_none, reads_once=True))
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        return await order_or_none(info.context, id)  # type: ignore[return-value]

    @strawberry.field(metadata=root(orders_page, connection=True, reads_once=True))
    async def orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: OrderFilter | None = None,
        sort: OrderSort = OrderSort.CREATED_AT,
        direction: SortDirection = SortDirection.ASC,
    ) -> Connection[Order]:
        page = await orders_page(info.context, first, after, last, before, filter, sort, direction)
        return await connection(info, page)  # type: ignore[arg-type]

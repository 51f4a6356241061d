"""Root query fields: `node`, `nodes`, and a get and a list for each resource."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import strawberry

from ..errors import FieldError, NotFound, ValidationFailed
from ..resolvers import categories, customers, nodes, orders, products
from .connections import Connection, connection, page_input
from .context import Info
from .enums import CategorySort, CustomerSort, OrderSort, ProductSort, SortDirection
from .inputs import CustomerFilter, OrderFilter, ProductFilter, to_dict
from .types import Category, Customer, Node, Order, Product

MAX_NODES = 100
T = TypeVar("T")


async def _or_none(lookup: Awaitable[T]) -> T | None:
    """A single-object field is null for an unknown id; access errors still surface."""
    try:
        return await lookup
    except NotFound:
        return None


@strawberry.type
class Query:
    @strawberry.field(description="Fetch any object by its id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        (found,) = await nodes.get_nodes(info.context, [id])
        return found  # type: ignore[return-value]

    @strawberry.field(
        description=f"Fetch up to {MAX_NODES} objects by id, in order; null where unknown."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise ValidationFailed(
                f"`ids` takes at most {MAX_NODES} ids.",
                errors=[FieldError("ids", "OUT_OF_RANGE", f"At most {MAX_NODES}.")],
            )
        return await nodes.get_nodes(info.context, ids)  # type: ignore[return-value]

    @strawberry.field
    async def category(self, info: Info, id: strawberry.ID) -> Category | None:
        return await _or_none(categories.get_category(info.context, id))  # type: ignore[arg-type]

    @strawberry.field
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
        page = await categories.list_categories(
            info.context, page_input(first, after, last, before, sort, direction)
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        return await _or_none(products.get_product(info.context, id))  # type: ignore[arg-type]

    @strawberry.field
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
        where = products.ProductFilter(**to_dict(filter)) if filter else products.ProductFilter()
        page = await products.list_products(
            info.context, page_input(first, after, last, before, sort, direction), where
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        return await _or_none(customers.get_customer(info.context, id))  # type: ignore[arg-type]

    @strawberry.field
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
        where = (
            customers.CustomerFilter(**to_dict(filter)) if filter else customers.CustomerFilter()
        )
        page = await customers.list_customers(
            info.context, page_input(first, after, last, before, sort, direction), where
        )
        return await connection(info, page)  # type: ignore[arg-type]

    @strawberry.field
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        return await _or_none(orders.get_order(info.context, id))  # type: ignore[arg-type]

    @strawberry.field
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
        where = orders.OrderFilter(**to_dict(filter)) if filter else orders.OrderFilter()
        page = await orders.list_orders(
            info.context, page_input(first, after, last, before, sort, direction), where
        )
        return await connection(info, page)  # type: ignore[arg-type]

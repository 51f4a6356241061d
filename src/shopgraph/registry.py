"""Every entity and every relation of the domain, described once.

Loaders, look-ahead prefetch, `node(id:)` and the GraphQL relation fields read these
descriptions (and the planned executor will): nothing else restates which table holds an
entity, how its rows become records, what it may be sorted by, or how one entity reaches
another.

- An **entity**: its public name (the GraphQL type, and the kind of its public ids), its
  table, its record type, the columns a record is read from and the function that reads
  them, the column records are fetched by, and its sort keys.
- A **relation**: an owner entity's field leading to a target entity, through a key on the
  owner's record matched against a column of the target: `One` (at most one target),
  `Many` (a list, in id order) or `Paged` (a keyset connection per owner).

Entities and relations are module constants (`ORDER`, `ORDER_LINES`), typed by the record
they hold, so a loader made from one is typed too; `ENTITIES` and `RELATIONS` list them by
name for whoever walks them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Table

from . import records
from .db.models import (
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
from .pagination import SortKey
from .sort_keys import CATEGORY_SORTS, CUSTOMER_SORTS, MOVEMENT_SORTS, ORDER_SORTS, PRODUCT_SORTS

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Entity(Generic[R]):
    name: str
    table: Table
    record: type[R]
    columns: tuple[Column[Any], ...]  # in the order `from_row` reads them
    from_row: Callable[[Any], R]
    identified: bool = True  # has a public id that `node(id:)` resolves
    sorts: Mapping[str, SortKey] = field(default_factory=dict)

    @property
    def key(self) -> Column[Any]:
        """What a record is fetched by: the first of its columns."""
        return self.columns[0]


@dataclass(frozen=True, slots=True)
class _Relation(Generic[R]):
    owner: str
    field: str
    target: Entity[R]
    key: Callable[[Any], Any]  # the owner record's value matched against `by`
    by: Column[Any]

    @property
    def name(self) -> str:
        return f"{self.owner}.{self.field}"


@dataclass(frozen=True, slots=True)
class One(_Relation[R]):
    """A relation to at most one record of `target`: `by` equals the owner's `key`."""


@dataclass(frozen=True, slots=True)
class _Listed(_Relation[R]):
    parent: str  # the target record's attribute holding the owner's key


@dataclass(frozen=True, slots=True)
class Many(_Listed[R]):
    """A relation to every record of `target` whose `by` equals the owner's `key`, in id
    order."""


@dataclass(frozen=True, slots=True)
class Paged(_Listed[R]):
    """Like `Many`, as a keyset connection per owner (page arguments from the caller)."""


Relation = One[Any] | Many[Any] | Paged[Any]

CATEGORY = Entity(
    "Category",
    categories,
    records.Category,
    records.CATEGORY_COLUMNS,
    records.category_from_row,
    sorts=CATEGORY_SORTS,
)
PRODUCT = Entity(
    "Product",
    products,
    records.Product,
    records.PRODUCT_COLUMNS,
    records.product_from_row,
    sorts=PRODUCT_SORTS,
)
INVENTORY = Entity(
    "Inventory",
    inventory_levels,
    records.Inventory,
    records.INVENTORY_COLUMNS,
    records.inventory_from_row,
    identified=False,
)
MOVEMENT = Entity(
    "InventoryMovement",
    inventory_movements,
    records.InventoryMovement,
    records.MOVEMENT_COLUMNS,
    records.movement_from_row,
    identified=False,
    sorts=MOVEMENT_SORTS,
)
CUSTOMER = Entity(
    "Customer",
    customers,
    records.Customer,
    records.CUSTOMER_COLUMNS,
    records.customer_from_row,
    sorts=CUSTOMER_SORTS,
)
ORDER = Entity(
    "Order",
    orders,
    records.Order,
    records.ORDER_COLUMNS,
    records.order_from_row,
    sorts=ORDER_SORTS,
)
ORDER_LINE = Entity(
    "OrderLine",
    order_lines,
    records.OrderLine,
    records.ORDER_LINE_COLUMNS,
    records.order_line_from_row,
    identified=False,
)
PAYMENT = Entity(
    "Payment", payments, records.Payment, records.PAYMENT_COLUMNS, records.payment_from_row
)
REFUND = Entity("Refund", refunds, records.Refund, records.REFUND_COLUMNS, records.refund_from_row)

PRODUCT_CATEGORY = One("Product", "category", CATEGORY, attrgetter("category_pk"), categories.c.id)
PRODUCT_INVENTORY = One(
    "Product", "inventory", INVENTORY, attrgetter("pk"), inventory_levels.c.product_id
)
CATEGORY_PRODUCTS = Paged(
    "Category", "products", PRODUCT, attrgetter("pk"), products.c.category_id, "category_pk"
)
CUSTOMER_ORDERS = Paged(
    "Customer", "orders", ORDER, attrgetter("pk"), orders.c.customer_id, "customer_pk"
)
ORDER_CUSTOMER = One("Order", "customer", CUSTOMER, attrgetter("customer_pk"), customers.c.id)
ORDER_LINES = Many(
    "Order", "lines", ORDER_LINE, attrgetter("pk"), order_lines.c.order_id, "order_pk"
)
ORDER_PAYMENTS = Many(
    "Order", "payments", PAYMENT, attrgetter("pk"), payments.c.order_id, "order_pk"
)
LINE_PRODUCT = One("OrderLine", "product", PRODUCT, attrgetter("product_pk"), products.c.id)
PAYMENT_ORDER = One("Payment", "order", ORDER, attrgetter("order_pk"), orders.c.id)
PAYMENT_REFUNDS = Many(
    "Payment", "refunds", REFUND, attrgetter("pk"), refunds.c.payment_id, "payment_pk"
)
REFUND_PAYMENT = One("Refund", "payment", PAYMENT, attrgetter("payment_pk"), payments.c.id)

ENTITIES: dict[str, Entity[Any]] = {
    entity.name: entity
    for entity in (
        CATEGORY, PRODUCT, INVENTORY, MOVEMENT, CUSTOMER, ORDER, ORDER_LINE, PAYMENT, REFUND
    )
}  # fmt: skip
RELATIONS: dict[str, Relation] = {
    relation.name: relation
    for relation in (
        PRODUCT_CATEGORY,
        PRODUCT_INVENTORY,
        CATEGORY_PRODUCTS,
        CUSTOMER_ORDERS,
        ORDER_CUSTOMER,
        ORDER_LINES,
        ORDER_PAYMENTS,
        LINE_PRODUCT,
        PAYMENT_ORDER,
        PAYMENT_REFUNDS,
        REFUND_PAYMENT,
    )
}


def relations_of(owner: str) -> dict[str, Relation]:
    """An entity's relations, by field name."""
    return {r.field: r for r in RELATIONS.values() if r.owner == owner}

"""Every entity and every relation of the domain, described once.

Loaders, look-ahead prefetch, `node(id:)`, the GraphQL relation fields and the planned
executor read these descriptions: nothing else restates which table holds an entity, how
its rows become records, what it may be sorted by, who may read a guarded field, or how
one entity reaches another.

- An **entity** (`entity.py`): its public name (the GraphQL type, and the kind of its
  public ids), its table, its record type and how each record field is read from a row
  (from which the selected columns and the compiled row readers follow), its sort keys,
  and the guards on fields not everyone may read.
- An **aggregate** (`aggregate.py`): figures per owner record (`Product.sales`), batched
  like a relation: one GROUP BY per level, however many owners it has.
- A **relation** (`relation.py`): an owner entity's field leading to a target entity,
  through a key on the owner's record matched against a column of the target: `One` (at
  most one target), `Many` (a list, in id order) or `Paged` (a keyset connection per
  owner).

The shop's own entities and relations are module constants of `domain.py` (`ORDER`,
`ORDER_LINES`), typed by the record they hold, so a loader made from one is typed too;
`ENTITIES` and `RELATIONS` list them by name for whoever walks them all.
"""

from .domain import (
    AGGREGATES,
    AUDIT_EVENT,
    CATEGORY,
    CATEGORY_PRODUCTS,
    CATEGORY_STATS,
    CUSTOMER,
    CUSTOMER_DATA,
    CUSTOMER_ORDERS,
    CUSTOMER_STATS,
    ENTITIES,
    EVENT,
    INVENTORY,
    LINE_PRODUCT,
    MOVEMENT,
    ORDER,
    ORDER_CUSTOMER,
    ORDER_LINE,
    ORDER_LINES,
    ORDER_PAYMENTS,
    PAYMENT,
    PAYMENT_ORDER,
    PAYMENT_REFUNDS,
    PRODUCT,
    PRODUCT_CATEGORY,
    PRODUCT_INVENTORY,
    PRODUCT_SALES,
    REFUND,
    REFUND_PAYMENT,
    RELATIONS,
    WEBHOOK_ATTEMPT,
    WEBHOOK_ENDPOINT,
    aggregates_of,
    relations_of,
)
from .entity import Computed, Entity, Guard, Shape
from .relation import Many, One, Paged, Relation

__all__ = [
    "AGGREGATES",
    "AUDIT_EVENT",
    "CATEGORY",
    "CATEGORY_PRODUCTS",
    "CATEGORY_STATS",
    "CUSTOMER",
    "CUSTOMER_DATA",
    "CUSTOMER_ORDERS",
    "CUSTOMER_STATS",
    "ENTITIES",
    "EVENT",
    "INVENTORY",
    "LINE_PRODUCT",
    "MOVEMENT",
    "ORDER",
    "ORDER_CUSTOMER",
    "ORDER_LINE",
    "ORDER_LINES",
    "ORDER_PAYMENTS",
    "PAYMENT",
    "PAYMENT_ORDER",
    "PAYMENT_REFUNDS",
    "PRODUCT",
    "PRODUCT_CATEGORY",
    "PRODUCT_INVENTORY",
    "PRODUCT_SALES",
    "REFUND",
    "REFUND_PAYMENT",
    "RELATIONS",
    "WEBHOOK_ATTEMPT",
    "WEBHOOK_ENDPOINT",
    "Computed",
    "Entity",
    "Guard",
    "Many",
    "One",
    "Paged",
    "Relation",
    "Shape",
    "aggregates_of",
    "relations_of",
]

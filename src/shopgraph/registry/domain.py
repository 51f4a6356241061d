"""The shop's entities and relations, each described once (see the package docstring)."""

from __future__ import annotations

from operator import sub
from typing import Any

from .. import records
from ..analytics import figures, statements
from ..auth.principal import Principal, authorize, authorize_own, may_see_customer
from ..db.models import (
    audit_events,
    categories,
    customers,
    events,
    inventory_levels,
    inventory_movements,
    order_lines,
    orders,
    payments,
    products,
    refunds,
    webhook_attempts,
    webhook_endpoints,
)
from ..errors import Forbidden
from ..sort_keys import (
    AUDIT_SORTS,
    CATEGORY_SORTS,
    CUSTOMER_SORTS,
    EVENT_SORTS,
    MOVEMENT_SORTS,
    ORDER_SORTS,
    PRODUCT_SORTS,
    WEBHOOK_ATTEMPT_SORTS,
    WEBHOOK_ENDPOINT_SORTS,
)
from .aggregate import Aggregate
from .entity import PUBLIC_ID, Computed, Entity, Guard, Source, money
from .relation import Many, One, Paged, Relation

# Most records start with their key and public id: `pk` from `id`, `id` made from it.
KEYED: dict[str, Source] = {"pk": "id", "id": PUBLIC_ID}

CUSTOMER_DATA = Guard(
    lambda principal, customer: may_see_customer(principal, customer.pk),
    "Reading a customer's email needs the customers:read scope.",
    audited=True,
)

CATEGORY = Entity("Category", categories, records.Category, fields=KEYED, sorts=CATEGORY_SORTS)
PRODUCT = Entity(
    "Product",
    products,
    records.Product,
    fields={**KEYED, "price": money("price_amount"), "category_pk": "category_id"},
    sorts=PRODUCT_SORTS,
)
INVENTORY = Entity(
    "Inventory",
    inventory_levels,
    records.Inventory,
    fields={"product_pk": "product_id", "available": Computed(sub, ("on_hand", "reserved"))},
    identified=False,
)
MOVEMENT = Entity(
    "InventoryMovement",
    inventory_movements,
    records.InventoryMovement,
    fields={
        **KEYED,
        "product_pk": "product_id",
        "order_pk": "order_id",
    },
    identified=False,
    sorts=MOVEMENT_SORTS,
)
CUSTOMER = Entity(
    "Customer",
    customers,
    records.Customer,
    fields=KEYED,
    sorts=CUSTOMER_SORTS,
    guards={"email": CUSTOMER_DATA},
)
ORDER = Entity(
    "Order",
    orders,
    records.Order,
    fields={
        **KEYED,
        "customer_pk": "customer_id",
        "subtotal": money("subtotal_amount"),
        "total": money("total_amount"),
    },
    sorts=ORDER_SORTS,
)
ORDER_LINE = Entity(
    "OrderLine",
    order_lines,
    records.OrderLine,
    fields={
        "pk": "id",
        "order_pk": "order_id",
        "product_pk": "product_id",
        "unit_price": money("unit_price_amount"),
        "line_total": money("line_total_amount"),
    },
    identified=False,
)
PAYMENT = Entity(
    "Payment",
    payments,
    records.Payment,
    fields={
        **KEYED,
        "order_pk": "order_id",
        "amount": money("amount"),
        "captured": money("captured_amount"),
        "refunded": money("refunded_amount"),
    },
)
REFUND = Entity(
    "Refund",
    refunds,
    records.Refund,
    fields={**KEYED, "payment_pk": "payment_id", "amount": money("amount")},
)
AUDIT_EVENT = Entity(
    "AuditEvent",
    audit_events,
    records.AuditEvent,
    fields={**KEYED, "resource_ids": Computed(str.split, ("resource_ids",))},
    identified=False,
    sorts=AUDIT_SORTS,
)
EVENT = Entity("Event", events, records.Event, fields=KEYED, identified=False, sorts=EVENT_SORTS)
WEBHOOK_ENDPOINT = Entity(
    "WebhookEndpoint",
    webhook_endpoints,
    records.WebhookEndpoint,
    fields={**KEYED, "event_types": Computed(str.split, ("event_types",))},
    identified=False,
    sorts=WEBHOOK_ENDPOINT_SORTS,
)
WEBHOOK_ATTEMPT = Entity(
    "WebhookAttempt",
    webhook_attempts,
    records.WebhookAttempt,
    fields={**KEYED, "endpoint_pk": "endpoint_id", "event_pk": "event_id"},
    identified=False,
    sorts=WEBHOOK_ATTEMPT_SORTS,
)

PRODUCT_CATEGORY = One(PRODUCT, "category", CATEGORY, "category_pk", categories.c.id)
PRODUCT_INVENTORY = One(PRODUCT, "inventory", INVENTORY, "pk", inventory_levels.c.product_id)
CATEGORY_PRODUCTS = Paged(
    CATEGORY, "products", PRODUCT, "pk", products.c.category_id, "category_pk"
)


def _own_orders(principal: Principal, customer: Any) -> None:
    """A customer's orders need `orders:read`; a customer token reaches only its own."""
    authorize_own(principal, "orders:read", customer.pk)


CUSTOMER_ORDERS = Paged(
    CUSTOMER, "orders", ORDER, "pk", orders.c.customer_id, "customer_pk", access=_own_orders
)
ORDER_CUSTOMER = One(ORDER, "customer", CUSTOMER, "customer_pk", customers.c.id)
ORDER_LINES = Many(ORDER, "lines", ORDER_LINE, "pk", order_lines.c.order_id, "order_pk")
ORDER_PAYMENTS = Many(ORDER, "payments", PAYMENT, "pk", payments.c.order_id, "order_pk")
LINE_PRODUCT = One(ORDER_LINE, "product", PRODUCT, "product_pk", products.c.id)
PAYMENT_ORDER = One(PAYMENT, "order", ORDER, "order_pk", orders.c.id)
PAYMENT_REFUNDS = Many(PAYMENT, "refunds", REFUND, "pk", refunds.c.payment_id, "payment_pk")
REFUND_PAYMENT = One(REFUND, "payment", PAYMENT, "payment_pk", payments.c.id)


def _reports(principal: Principal, _owner: Any) -> None:
    """Sales figures need `reports:read`: the catalog is public, what it sells is not."""
    authorize(principal, "reports:read")


def _customer_figures(principal: Principal, customer: Any) -> None:
    """A customer's figures are customer data: `customers:read`, or the customer's own."""
    if not may_see_customer(principal, customer.pk):
        authorize(principal, "customers:read")
        raise Forbidden("A customer token only reaches its own customer's data.")


PRODUCT_SALES = Aggregate(
    PRODUCT, "sales", "pk", statements.product_sales, figures.product_sales, access=_reports
)
CATEGORY_STATS = Aggregate(
    CATEGORY, "stats", "pk", statements.category_stats, figures.category_stats, access=_reports
)
CUSTOMER_STATS = Aggregate(
    CUSTOMER,
    "stats",
    "pk",
    statements.customer_stats,
    figures.customer_stats,
    access=_customer_figures,
    ranged=False,
    timed=True,
)
AGGREGATES: dict[str, Aggregate[Any]] = {
    aggregate.name: aggregate for aggregate in (PRODUCT_SALES, CATEGORY_STATS, CUSTOMER_STATS)
}

ENTITIES: dict[str, Entity[Any]] = {
    entity.name: entity
    for entity in (
        CATEGORY, PRODUCT, INVENTORY, MOVEMENT, CUSTOMER, ORDER, ORDER_LINE, PAYMENT, REFUND,
        AUDIT_EVENT,
        EVENT,
        WEBHOOK_ENDPOINT,
        WEBHOOK_ATTEMPT,
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
    return {r.field: r for r in RELATIONS.values() if r.owner.name == owner}


def aggregates_of(owner: str) -> dict[str, Aggregate[Any]]:
    """An entity's aggregates, by field name."""
    return {a.field: a for a in AGGREGATES.values() if a.owner.name == owner}

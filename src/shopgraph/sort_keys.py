"""The sort orders each list offers, by public name; the same names on both surfaces."""

from __future__ import annotations

from operator import attrgetter

from .db.models import (
    audit_events,
    categories,
    customers,
    events,
    inventory_movements,
    orders,
    products,
    webhook_attempts,
    webhook_endpoints,
)
from .pagination import SortKey

CATEGORY_SORTS = {
    "created_at": SortKey(
        "created_at", categories.c.created_at, "datetime", attrgetter("created_at")
    ),
    "name": SortKey("name", categories.c.name, "str", attrgetter("name")),
}
PRODUCT_SORTS = {
    "created_at": SortKey(
        "created_at", products.c.created_at, "datetime", attrgetter("created_at")
    ),
    "name": SortKey("name", products.c.name, "str", attrgetter("name")),
    "price": SortKey("price", products.c.price_amount, "int", attrgetter("price.amount")),
    "sku": SortKey("sku", products.c.sku, "str", attrgetter("sku")),
}
CUSTOMER_SORTS = {
    "created_at": SortKey(
        "created_at", customers.c.created_at, "datetime", attrgetter("created_at")
    ),
    "name": SortKey("name", customers.c.name, "str", attrgetter("name")),
    "email": SortKey("email", customers.c.email, "str", attrgetter("email")),
}
ORDER_SORTS = {
    "created_at": SortKey("created_at", orders.c.created_at, "datetime", attrgetter("created_at")),
    "number": SortKey("number", orders.c.number, "int", attrgetter("number")),
    "total": SortKey("total", orders.c.total_amount, "int", attrgetter("total.amount")),
}
MOVEMENT_SORTS = {
    "created_at": SortKey(
        "created_at", inventory_movements.c.created_at, "datetime", attrgetter("created_at")
    ),
}
EVENT_SORTS = {
    "created_at": SortKey("created_at", events.c.created_at, "datetime", attrgetter("created_at")),
}
WEBHOOK_ENDPOINT_SORTS = {
    "created_at": SortKey(
        "created_at", webhook_endpoints.c.created_at, "datetime", attrgetter("created_at")
    ),
}
WEBHOOK_ATTEMPT_SORTS = {
    "attempted_at": SortKey(
        "attempted_at", webhook_attempts.c.attempted_at, "datetime", attrgetter("attempted_at")
    ),
}
AUDIT_SORTS = {
    "occurred_at": SortKey(
        "occurred_at", audit_events.c.occurred_at, "datetime", attrgetter("occurred_at")
    ),
}

"""Plain, immutable records: what loaders and resolvers hand to the surfaces.

Reads map rows straight into these rather than into ORM instances: the ORM costs ~1.7x
the CPU on reads, and records carry no hidden I/O. Each record has `pk` (internal, never
shown) and, where the resource has one, `id` (public, computed once when the row is read).
How each field is read from its row is the registry's business (`registry/domain.py`).

They are NamedTuples because a nested read builds hundreds of them per request: building
one costs ~0.15 us, a frozen dataclass ~1.6 us; they are just as immutable.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from . import ids


class Money(NamedTuple):
    amount: int
    currency: str


class Category(NamedTuple):
    pk: int
    id: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class Product(NamedTuple):
    pk: int
    id: str
    sku: str
    name: str
    description: str | None
    price: Money
    category_pk: int | None
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def category_id(self) -> str | None:
        return None if self.category_pk is None else ids.encode("Category", self.category_pk)


class Inventory(NamedTuple):
    product_pk: int
    on_hand: int
    reserved: int
    available: int
    low_stock_threshold: int | None
    updated_at: datetime

    @property
    def low_stock(self) -> bool:
        return self.low_stock_threshold is not None and self.available <= self.low_stock_threshold


class InventoryMovement(NamedTuple):
    pk: int
    id: str
    product_pk: int
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str | None
    actor: str
    order_pk: int | None
    created_at: datetime

    @property
    def product_id(self) -> str:
        return ids.encode("Product", self.product_pk)

    @property
    def order_id(self) -> str | None:
        return None if self.order_pk is None else ids.encode("Order", self.order_pk)


class Customer(NamedTuple):
    pk: int
    id: str
    email: str
    name: str
    created_at: datetime
    updated_at: datetime
    version: int


class Order(NamedTuple):
    pk: int
    id: str
    number: int
    status: str
    customer_pk: int
    currency: str
    subtotal: Money
    total: Money
    created_at: datetime
    updated_at: datetime
    version: int

    @property
    def customer_id(self) -> str:
        return ids.encode("Customer", self.customer_pk)


class OrderLine(NamedTuple):
    pk: int
    order_pk: int
    product_pk: int
    quantity: int
    unit_price: Money
    line_total: Money

    @property
    def product_id(self) -> str:
        return ids.encode("Product", self.product_pk)


class Payment(NamedTuple):
    pk: int
    id: str
    order_pk: int
    status: str
    amount: Money
    captured: Money
    refunded: Money
    source: str
    failure_code: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def order_id(self) -> str:
        return ids.encode("Order", self.order_pk)


class Refund(NamedTuple):
    pk: int
    id: str
    payment_pk: int
    status: str
    amount: Money
    reason: str | None
    failure_code: str | None
    created_at: datetime

    @property
    def payment_id(self) -> str:
        return ids.encode("Payment", self.payment_pk)


class Event(NamedTuple):
    """A webhook event; `object` is the resource's REST rendering, as JSON text."""

    pk: int
    id: str
    type: str
    created_at: datetime
    object_type: str
    object_id: str
    object: str
    request_id: str | None


class WebhookEndpoint(NamedTuple):
    pk: int
    id: str
    url: str
    description: str | None
    event_types: list[str]  # ["*"]: every type
    enabled: bool
    disabled_reason: str | None
    consecutive_failures: int
    breaker_open_until: datetime | None
    previous_secret_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    api_version: str  # the dated version its deliveries are rendered in


class WebhookAttempt(NamedTuple):
    pk: int
    id: str
    endpoint_pk: int
    event_pk: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None
    response_excerpt: str | None

    @property
    def event_id(self) -> str:
        return ids.encode("Event", self.event_pk)


class AuditEvent(NamedTuple):
    pk: int
    id: str
    occurred_at: datetime
    principal_kind: str
    principal_id: str | None
    action: str
    resource_type: str
    resource_ids: list[str]
    request_id: str
    client_ip: str | None

"""The tables. Column and index choices serve keyset pagination and the loaders.

Every list is paginated by `(sort column, id)`, so each sortable column has a composite
index ending in `id`; every foreign key a loader batches on is indexed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import UTCDateTime

# Integer keys that are 64-bit on PostgreSQL and the rowid alias on SQLite.
Key = BigInteger().with_variant(Integer(), "sqlite")
# Keys are never reused: PostgreSQL's sequences never go back, and on SQLite AUTOINCREMENT
# stops a new row from taking the rowid of a deleted one (a public id, a customer token or
# an audit entry naming the old row must never name a new one).
NEVER_REUSE_KEYS = {"sqlite_autoincrement": True}

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Bumped on every update: the ETag and the optimistic-concurrency check.
    version: Mapped[int] = mapped_column(Integer, default=1)


class Installation(Base):
    """This database's own constants, made at the first migration: the key of its public
    ids (ids.py). One row."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_key: Mapped[str] = mapped_column(String(64))  # hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class Category(Timestamped, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_categories_created_at_id", "created_at", "id"), NEVER_REUSE_KEYS)


class Product(Timestamped, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    category_id: Mapped[int | None] = mapped_column(
        Key, ForeignKey("categories.id", ondelete="RESTRICT")
    )

    __table_args__ = (
        CheckConstraint("price_amount >= 0", name="price_not_negative"),
        Index("ix_products_created_at_id", "created_at", "id"),
        Index("ix_products_name_id", "name", "id"),
        Index("ix_products_price_amount_id", "price_amount", "id"),
        Index("ix_products_category_id_id", "category_id", "id"),
        NEVER_REUSE_KEYS,
    )


class InventoryLevel(Base):
    """Current stock of one product; `available` is derived, never stored."""

    __tablename__ = "inventory_levels"

    product_id: Mapped[int] = mapped_column(
        Key, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    # At or below this many available units the product counts as low on stock.
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )


class InventoryMovement(Base):
    """One change of stock, never updated or deleted: the levels are the sum of these.

    `on_hand_delta` and `reserved_delta` say how the movement moved each counter: a
    receipt adds on hand, a reservation adds reserved, a shipment takes from both.
    """

    __tablename__ = "inventory_movements"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    product_id: Mapped[int] = mapped_column(Key, ForeignKey("products.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    on_hand_delta: Mapped[int] = mapped_column(Integer)
    reserved_delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[int | None] = mapped_column(Key, ForeignKey("orders.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_inventory_movements_product_id_id", "product_id", "id"),
        Index("ix_inventory_movements_order_id", "order_id"),
        NEVER_REUSE_KEYS,
    )


class IdempotencyKey(Base):
    """A side-effecting request seen before: who asked, what, and what it answered.

    One row per (principal, key), whichever surface the key came through. A request claims
    the row for a lease (`in_flight`, `lease_token`, `lease_expires_at`) before its work
    starts, so a duplicate arriving meanwhile is refused; the write that does the work
    marks it `done` with the outcome in the same transaction, so a committed write is never
    run again. A claim whose lease ran out (its request crashed) is taken over by the next
    retry; `recovery_point` names what the earlier attempt had already started (a payment
    at the provider), so the retry resumes it instead of starting over.
    """

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    lease_token: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recovery_point: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)  # the outcome, as JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
        NEVER_REUSE_KEYS,
    )


class Customer(Timestamped, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    # Stored lower-cased, so uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_customers_created_at_id", "created_at", "id"),
        Index("ix_customers_name_id", "name", "id"),
        NEVER_REUSE_KEYS,
    )


class Order(Timestamped, Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    status: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(Key, ForeignKey("customers.id", ondelete="RESTRICT"))
    currency: Mapped[str] = mapped_column(String(3))
    # Totals are captured when the order is placed; catalog price changes never touch them.
    subtotal_amount: Mapped[int] = mapped_column(BigInteger)
    total_amount: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("subtotal_amount >= 0", name="subtotal_not_negative"),
        CheckConstraint("total_amount >= 0", name="total_not_negative"),
        Index("ix_orders_created_at_id", "created_at", "id"),
        Index("ix_orders_total_amount_id", "total_amount", "id"),
        Index("ix_orders_status_created_at_id", "status", "created_at", "id"),
        Index("ix_orders_customer_id_created_at_id", "customer_id", "created_at", "id"),
        NEVER_REUSE_KEYS,
    )


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    order_id: Mapped[int] = mapped_column(Key, ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Key, ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer)
    # The order's currency, kept on the line so a line reads as a whole without a join.
    currency: Mapped[str] = mapped_column(String(3))
    unit_price_amount: Mapped[int] = mapped_column(BigInteger)
    line_total_amount: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_amount >= 0", name="unit_price_not_negative"),
        CheckConstraint("line_total_amount >= 0", name="line_total_not_negative"),
        Index("ix_order_lines_order_id_id", "order_id", "id"),
        # A product's sales, read from the index alone (the reports).
        Index(
            "ix_order_lines_product_id_sales",
            "product_id",
            "order_id",
            "quantity",
            "line_total_amount",
            "currency",
        ),
        NEVER_REUSE_KEYS,
    )


class Payment(Base):
    """A charge against an order, through a payment provider (docs/write-path.md).

    `processing` while the provider is asked to charge (no database transaction is held
    meanwhile), `capturing` while it is asked to capture an authorization; then
    `authorized`, `succeeded` (captured) or `failed`. Both in-flight states hold money
    against the order. `provider_key` is the idempotency key the provider sees. Whoever
    asks the provider about the row holds its lease (`lease_token` until
    `lease_expires_at`), and only the holder settles it; after the lease, a retry or
    reconciliation may take it.
    `refunded_amount` counts refunds in progress too, so concurrent refunds can never add
    up to more than was captured.
    """

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    order_id: Mapped[int] = mapped_column(Key, ForeignKey("orders.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    captured_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    provider: Mapped[str] = mapped_column(String(32))
    provider_reference: Mapped[str | None] = mapped_column(String(128))
    provider_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_token: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(100))
    capture: Mapped[bool] = mapped_column(Boolean, default=True)
    failure_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "captured_amount >= 0 AND captured_amount <= amount", name="captured_range"
        ),
        CheckConstraint(
            "refunded_amount >= 0 AND refunded_amount <= captured_amount", name="refunded_range"
        ),
        Index("ix_payments_order_id_id", "order_id", "id"),
        Index("ix_payments_status_lease_expires_at", "status", "lease_expires_at"),
        NEVER_REUSE_KEYS,
    )


class Refund(Base):
    """Money returned from a captured payment; `processing` while the provider is asked.

    `provider_key` and the lease work as on payments.
    """

    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    payment_id: Mapped[int] = mapped_column(Key, ForeignKey("payments.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(String(200))
    provider_reference: Mapped[str | None] = mapped_column(String(128))
    provider_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_token: Mapped[str | None] = mapped_column(String(32))
    failure_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_refunds_payment_id_id", "payment_id", "id"),
        Index("ix_refunds_status_lease_expires_at", "status", "lease_expires_at"),
        Index("ix_refunds_status_created_at", "status", "created_at"),
        NEVER_REUSE_KEYS,
    )


class SandboxCall(Base):
    """What the built-in sandbox payment provider was asked, once per idempotency key.

    The sandbox keeps its books here, in the server's own database, so that every server
    process sees one provider: a key repeated from another process gets the same answer.
    """

    __tablename__ = "sandbox_calls"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    operation: Mapped[str] = mapped_column(String(16))  # charge, capture, refund
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str | None] = mapped_column(String(100))  # charges: the card token
    capture: Mapped[bool | None] = mapped_column(Boolean)  # charges: capture at once
    target: Mapped[str | None] = mapped_column(String(128))  # captures, refunds: the charge
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # None until the call has an outcome: succeeded, authorized, declined, captured, refunded
    outcome: Mapped[str | None] = mapped_column(String(16))
    decline_code: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_sandbox_calls_target", "target"), NEVER_REUSE_KEYS)


class ApiKey(Base):
    """A third party's credential. Only a hash of the secret is kept: it is shown once.

    `prefix` is the public part of the key (`sg_<prefix>_<secret>`), used to find the row;
    the whole key is compared by its SHA-256, in constant time.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(Text)  # space-separated
    tier: Mapped[str] = mapped_column(String(32))
    allowed_ips: Mapped[str | None] = mapped_column(Text)  # space-separated CIDRs
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The dated REST version its requests are answered in unless they name one.
    api_version: Mapped[str] = mapped_column(String(10), server_default="2026-12-01")

    __table_args__ = (NEVER_REUSE_KEYS,)


class RefreshToken(Base):
    """An OAuth refresh token (hashed). Rotated on use; reusing one revokes its family."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family: Mapped[str] = mapped_column(String(32))
    api_key_id: Mapped[int] = mapped_column(Key, ForeignKey("api_keys.id", ondelete="CASCADE"))
    scopes: Mapped[str] = mapped_column(Text)  # the grant's scopes, kept across refreshes
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_refresh_tokens_family", "family"), NEVER_REUSE_KEYS)


class AuditEvent(Base):
    """Who did what to which data, written in the same transaction as the change."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    principal_kind: Mapped[str] = mapped_column(String(32))
    principal_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_ids: Mapped[str] = mapped_column(Text)  # space-separated public ids
    request_id: Mapped[str] = mapped_column(String(128))
    client_ip: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_events_occurred_at_id", "occurred_at", "id"),
        Index("ix_audit_events_principal_id", "principal_id"),
        NEVER_REUSE_KEYS,
    )


class Event(Base):
    """Something that happened to a resource, written in the transaction that made it happen
    (the outbox webhooks are delivered from). `object` is the resource as the REST API
    rendered it then, as JSON text: what a receiver gets, byte for byte, on every attempt."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))  # its public id
    object: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (
        Index("ix_events_created_at_id", "created_at", "id"),
        Index("ix_events_object_id", "object_id"),
        NEVER_REUSE_KEYS,
    )


class WebhookEndpoint(Base):
    """Where events are delivered. Secrets are stored encrypted with a key derived from the
    server's secret key (`webhooks/secrets.py`): a copy of the database alone cannot sign."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(500))
    event_types: Mapped[str] = mapped_column(Text)  # " a.b c.d " (spaced for LIKE), or "*"
    enabled: Mapped[bool] = mapped_column(Boolean)
    # The dated version its deliveries' payloads are rendered in.
    api_version: Mapped[str] = mapped_column(String(10), server_default="2026-12-01")
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text)  # signs too until it expires
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    # The circuit breaker: no delivery is tried before this; then one probe at a time.
    breaker_open_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_webhook_endpoints_created_at_id", "created_at", "id"),
        NEVER_REUSE_KEYS,
    )


class WebhookDelivery(Base):
    """One event owed to one endpoint: created with the event (the outbox), claimed by a
    dispatcher under a lease, retried on its schedule until it succeeds or runs out."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    event_id: Mapped[int] = mapped_column(Key, ForeignKey("events.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int] = mapped_column(
        Key, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))  # pending, succeeded, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
        Index("ix_webhook_deliveries_event_id", "event_id"),
        NEVER_REUSE_KEYS,
    )


class WebhookAttempt(Base):
    """One try at a delivery, as the partner saw it: what they answered, how fast, or why not."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Key, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        Key, ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    endpoint_id: Mapped[int] = mapped_column(
        Key, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_id: Mapped[int] = mapped_column(Key)  # the delivery's, for the partner's log
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(32))  # timeout, connection, tls, ...
    response_excerpt: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_webhook_attempts_endpoint_id_attempted_at", "endpoint_id", "attempted_at"),
        Index("ix_webhook_attempts_delivery_id", "delivery_id"),
        NEVER_REUSE_KEYS,
    )


class DeprecationUsage(Base):
    """Uses of something deprecated, per day, consumer and subject (docs/versioning.md).

    Every process adds its in-memory counts to these rows in one statement per flush."""

    __tablename__ = "deprecation_usage"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, UTC
    consumer_kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    consumer_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # "-": anonymous
    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class PersistedOperation(Base):
    """A GraphQL document known by the SHA-256 of its text (docs/persisted-operations.md).

    Clients store documents here through Apollo's automatic persisted queries, then send
    only the hash; those rows are a bounded cache (the oldest unregistered ones are dropped
    past SHOPGRAPH_GRAPHQL_APQ_MAX_DOCUMENTS). `registered` rows were registered by an
    operator (`shopgraph operations register`): the allow-list, never dropped.
    """

    __tablename__ = "persisted_operations"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)  # lowercase hex
    document: Mapped[str] = mapped_column(Text)
    operation_name: Mapped[str | None] = mapped_column(String(200))
    registered: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(500))  # the file it was registered from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_persisted_operations_registered_created_at", "registered", "created_at"),
    )


installation = cast(Table, Installation.__table__)
categories = cast(Table, Category.__table__)
api_keys = cast(Table, ApiKey.__table__)
refresh_tokens = cast(Table, RefreshToken.__table__)
audit_events = cast(Table, AuditEvent.__table__)
events = cast(Table, Event.__table__)
webhook_endpoints = cast(Table, WebhookEndpoint.__table__)
webhook_deliveries = cast(Table, WebhookDelivery.__table__)
webhook_attempts = cast(Table, WebhookAttempt.__table__)
refunds = cast(Table, Refund.__table__)
inventory_movements = cast(Table, InventoryMovement.__table__)
idempotency_keys = cast(Table, IdempotencyKey.__table__)
products = cast(Table, Product.__table__)
inventory_levels = cast(Table, InventoryLevel.__table__)
customers = cast(Table, Customer.__table__)
orders = cast(Table, Order.__table__)
order_lines = cast(Table, OrderLine.__table__)
payments = cast(Table, Payment.__table__)
sandbox_calls = cast(Table, SandboxCall.__table__)
persisted_operations = cast(Table, PersistedOperation.__table__)
deprecation_usage = cast(Table, DeprecationUsage.__table__)

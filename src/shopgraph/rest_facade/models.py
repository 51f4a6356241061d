"""Response shapes, as pydantic models: they document the API and test the renderers.

Responses are built by the plain functions in `render.py` (fast) and never pass through
these models at run time. The smoke test validates real responses against them, and
`extra="forbid"` makes any field added to one side but not the other fail that test.
Request bodies are documented by the resolvers' own input models, not redefined here.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..resolvers.orders import ORDER_STATUSES
from ..versioning import VERSIONS


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _link(to: str, example: str) -> Any:
    """A URL a resource carries: a path from the API's origin (since version 2026-12-06)."""
    return Field(
        description=f"{to}: a path from the API's origin (since 2026-12-06).",
        examples=[example],
        json_schema_extra={"format": "uri-reference"},
    )


class Money(Response):
    """An exact amount in minor units (cents) of an ISO 4217 currency."""

    amount: int = Field(description="Integer minor units, exact up to 2^53 - 1.", examples=[1999])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["USD"])


class Inventory(Response):
    """A product's stock: `available` is `on_hand - reserved`."""

    on_hand: int
    reserved: int
    available: int


class Category(Response):
    id: str = Field(examples=["cat_2Jc8aQ0xVwZ"])
    url: str = _link("This category", "/v1/categories/cat_2Jc8aQ0xVwZ")
    products_url: str = _link("Its products", "/v1/products?category_id=cat_2Jc8aQ0xVwZ")
    name: str
    description: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class Product(Response):
    id: str = Field(examples=["prod_5dTz0Lr9pQa"])
    url: str = _link("This product", "/v1/products/prod_5dTz0Lr9pQa")
    category_url: str | None = _link("Its category", "/v1/categories/cat_2Jc8aQ0xVwZ")
    inventory_url: str = _link("Its stock", "/v1/products/prod_5dTz0Lr9pQa/inventory")
    sku: str
    name: str
    description: str | None
    price: Money
    category_id: str | None
    inventory: Inventory | None = Field(description="Null only if no stock record exists.")
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class Customer(Response):
    id: str = Field(examples=["cus_0aBcD3fGh1J"])
    url: str = _link("This customer", "/v1/customers/cus_0aBcD3fGh1J")
    orders_url: str = _link("Their orders", "/v1/orders?customer_id=cus_0aBcD3fGh1J")
    email: str
    name: str
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class OrderLine(Response):
    product_id: str
    quantity: int = Field(ge=1)
    unit_price: Money
    line_total: Money


class Order(Response):
    id: str = Field(examples=["ord_7Hk2mN4pQ8r"])
    url: str = _link("This order", "/v1/orders/ord_7Hk2mN4pQ8r")
    customer_url: str = _link("Its customer", "/v1/customers/cus_0aBcD3fGh1J")
    payments_url: str = _link("Its payments", "/v1/orders/ord_7Hk2mN4pQ8r/payments")
    number: int
    status: str = Field(json_schema_extra={"enum": list(ORDER_STATUSES)})
    customer_id: str
    currency: str = Field(
        pattern=r"^[A-Z]{3}$",
        description="Deprecated since 2026-12-06, sunset 2027-06-06: every amount carries "
        "its own currency; read `total.currency`.",
        json_schema_extra={"deprecated": True},
    )
    subtotal: Money
    total: Money
    lines: list[OrderLine]
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class ListEnvelope(Response):
    """One page of a list. Walk forward with `starting_after=next_cursor` while
    `has_more`; walk backward with `ending_before=previous_cursor` while `has_more`."""

    has_more: bool = Field(description="More items exist in the direction of travel.")
    next_cursor: str | None = Field(description="Pass as `starting_after` for the next page.")
    previous_cursor: str | None = Field(
        description="Pass as `ending_before` for the previous page."
    )


class CategoryList(ListEnvelope):
    data: list[Category]


class ProductList(ListEnvelope):
    data: list[Product]


class CustomerList(ListEnvelope):
    data: list[Customer]


class OrderList(ListEnvelope):
    data: list[Order]


class ProblemFieldError(Response):
    field: str | None = Field(description="Dotted path of the input field, e.g. `price.amount`.")
    code: str = Field(examples=["REQUIRED", "INVALID", "TOO_LONG", "TAKEN"])
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (`application/problem+json`)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = Field(examples=["https://shopgraph.dev/problems/not-found"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Machine-readable error code.", examples=["NOT_FOUND"])
    request_id: str
    errors: list[ProblemFieldError]


class InventoryLevel(Inventory):
    """A product's stock with its settings, as `/products/{id}/inventory` shows it."""

    low_stock_threshold: int | None = Field(description="Low at or below this many available.")
    low_stock: bool
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class InventoryMovement(Response):
    """One entry of a product's stock ledger; the levels are the sum of these."""

    id: str = Field(examples=["mov_3Fq9sLk2mN0"])
    product_id: str
    kind: str = Field(
        json_schema_extra={"enum": ["receipt", "adjustment", "reservation", "release", "shipment"]}
    )
    on_hand_delta: int
    reserved_delta: int
    reason: str | None
    actor: str
    order_id: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})


class InventoryMovementList(ListEnvelope):
    data: list[InventoryMovement]


class Refund(Response):
    id: str = Field(examples=["re_1aB2cD3eF4g"])
    url: str = _link("This refund", "/v1/refunds/re_1aB2cD3eF4g")
    payment_url: str = _link("Its payment", "/v1/payments/pay_9zY8xW7vU6t")
    payment_id: str
    status: str = Field(
        json_schema_extra={"enum": ["processing", "succeeded", "failed", "needs_review"]}
    )
    amount: Money
    reason: str | None
    failure_code: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})


class Payment(Response):
    """A charge against an order; `refunded` counts refunds in progress too.

    `processing` and `capturing` while the provider is asked; `needs_review` when the
    provider's answer did not match the request (the money stays held until an operator
    has settled it).
    """

    id: str = Field(examples=["pay_9zY8xW7vU6t"])
    url: str = _link("This payment", "/v1/payments/pay_9zY8xW7vU6t")
    order_url: str = _link("Its order", "/v1/orders/ord_7Hk2mN4pQ8r")
    refunds_url: str = _link("Its refunds", "/v1/payments/pay_9zY8xW7vU6t/refunds")
    order_id: str
    status: str = Field(
        json_schema_extra={
            "enum": [
                "processing",
                "capturing",
                "authorized",
                "succeeded",
                "failed",
                "needs_review",
            ]
        }
    )
    amount: Money
    captured: Money
    refunded: Money
    source: str
    failure_code: str | None
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class PaymentCollection(Response):
    data: list[Payment]


class RefundCollection(Response):
    """A payment's refunds, oldest first."""

    data: list[Refund]


class ApiKey(Response):
    """An API key as admins see it: never the secret."""

    id: str = Field(examples=["key_4Hq2mN7pQ1r"])
    name: str
    prefix: str = Field(description="The public part: keys read `sg_<prefix>_<secret>`.")
    scopes: list[str]
    tier: str
    allowed_ips: list[str]
    expires_at: str | None = Field(json_schema_extra={"format": "date-time"})
    revoked_at: str | None = Field(json_schema_extra={"format": "date-time"})
    last_used_at: str | None = Field(json_schema_extra={"format": "date-time"})
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    api_version: str = Field(
        description="The dated version its requests are answered in unless they send "
        "`Shopgraph-Version` (docs/versioning.md).",
        json_schema_extra={"enum": list(VERSIONS)},
    )


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The key itself. Shown this once; store it now.")


class ApiKeyCollection(Response):
    data: list[ApiKey]


class DeprecationUsage(Response):
    """Uses of one deprecated thing by one consumer (docs/versioning.md)."""

    subject: str = Field(examples=["version 2026-12-01", "Order.currency"])
    consumer_kind: str = Field(examples=["api_key", "oauth_client", "anonymous"])
    consumer_id: str = Field(description="Its id; `-` for anonymous callers.")
    uses: int
    days: int = Field(description="Days with at least one use.")
    first_seen: str = Field(json_schema_extra={"format": "date-time"})
    last_seen: str = Field(json_schema_extra={"format": "date-time"})
    last_7_days: int
    previous_7_days: int = Field(description="Uses in the 7 days before those.")


class DeprecationUsageReport(Response):
    data: list[DeprecationUsage]


class CustomerToken(Response):
    access_token: str
    token_type: str = Field(examples=["Bearer"])
    expires_in: int = Field(description="Seconds.")
    customer_id: str


class AuditEvent(Response):
    id: str = Field(examples=["evt_9Tq1mN2pQ7r"])
    occurred_at: str = Field(json_schema_extra={"format": "date-time"})
    principal_kind: str
    principal_id: str | None
    action: str = Field(examples=["product.update"])
    resource_type: str
    resource_ids: list[str]
    request_id: str
    client_ip: str | None


class AuditEventList(ListEnvelope):
    data: list[AuditEvent]


class EventData(Response):
    object: dict[str, Any] = Field(
        description="The resource as this API rendered it when the event happened "
        "(`GET /v1/orders/{id}` for an order event, and so on)."
    )


class Event(Response):
    """Something that happened; webhook deliveries carry exactly this."""

    id: str = Field(examples=["event_4fT2kQ9xLmB"])
    type: str = Field(examples=["order.paid"], description="docs/webhooks.md lists the types.")
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    data: EventData
    request_id: str | None = Field(
        description="The request that caused it; null for the server's own work."
    )


class EventList(ListEnvelope):
    data: list[Event]


class WebhookEndpoint(Response):
    id: str = Field(examples=["we_2Kd9QmLx0Tb"])
    url: str = Field(examples=["https://partner.example/hooks/shopgraph"])
    description: str | None
    event_types: list[str] = Field(examples=[["order.paid", "refund.created"]])
    enabled: bool
    disabled_reason: str | None = Field(description="Why deliveries stopped, if they did.")
    consecutive_failures: int = Field(description="Failed tries since the last success.")
    breaker_open_until: str | None = Field(
        description="Set once 5 tries in a row failed: nothing is tried before it, then one "
        "delivery at a time until one succeeds.",
        json_schema_extra={"format": "date-time"},
    )
    previous_secret_expires_at: str | None = Field(
        description="Until then deliveries are signed with the previous secret too.",
        json_schema_extra={"format": "date-time"},
    )
    api_version: str = Field(
        description="The dated version its deliveries' `data.object` is rendered in.",
        json_schema_extra={"enum": list(VERSIONS)},
    )
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class DeliveryWindow(Response):
    attempts: int
    success_rate: float | None = Field(description="Share of attempts answered 2xx.")
    p50_ms: int | None
    p95_ms: int | None


class EndpointHealth(Response):
    breaker: Literal["closed", "open", "half_open"]
    queue_depth: int = Field(description="Deliveries owed and not yet made.")
    last_hour: DeliveryWindow
    last_day: DeliveryWindow


class WebhookEndpointWithHealth(WebhookEndpoint):
    health: EndpointHealth


class WebhookEndpointWithSecret(WebhookEndpoint):
    secret: str = Field(
        description="The signing secret: shown this once.", examples=["whsec_MfKQ9r8GKYqr..."]
    )


class WebhookEndpointList(ListEnvelope):
    data: list[WebhookEndpoint]


class Redelivered(Response):
    deliveries: int = Field(description="Deliveries now due: the dispatchers take them.")


class WebhookAttempt(Response):
    id: str = Field(examples=["wa_9Tq1mN2pQ7r"])
    event_id: str
    attempted_at: str = Field(json_schema_extra={"format": "date-time"})
    status_code: int | None = Field(description="The receiver's answer; null if none came.")
    latency_ms: int
    error: str | None = Field(
        description="timeout, connection_refused, connection_reset, connection, tls, "
        "refused_address, http_3xx, http_4xx or http_5xx; null when delivered."
    )
    response_excerpt: str | None = Field(description="The first 1,024 bytes of the answer.")


class WebhookAttemptList(ListEnvelope):
    data: list[WebhookAttempt]


class Period(Response):
    """A calendar period of the report's time zone, clipped to its range."""

    label: str = Field(
        description="Its first local day (a Monday for weeks, the 1st for months).",
        json_schema_extra={"format": "date"},
    )
    start: str = Field(json_schema_extra={"format": "date-time"})
    end: str = Field(description="Exclusive.", json_schema_extra={"format": "date-time"})


MONEY_LIST = "One amount per currency, in currency order; empty for none."


class SalesReportRow(Response):
    """One row: a period (`group_by` day, week, month) or a product, category or customer."""

    period: Period | None
    product_id: str | None
    category_id: str | None = Field(
        description="Null in a category report for products without a category."
    )
    customer_id: str | None
    order_count: int
    units_sold: int
    gross_sales: list[Money] = Field(description="Line totals. " + MONEY_LIST)
    refunds: list[Money] | None = Field(
        description="Succeeded refunds; null by product or category, where a refund (of a "
        "payment, not of lines) cannot be attributed."
    )
    net_sales: list[Money] = Field(description="Gross sales less refunds. " + MONEY_LIST)
    average_order_value: list[Money] = Field(
        description="Gross sales per order, rounded half to even. " + MONEY_LIST
    )


class SalesReport(Response):
    """One page of rows. Walk forward with `starting_after=next_cursor` while `has_more`."""

    data: list[SalesReportRow]
    has_more: bool
    next_cursor: str | None


class TopProduct(Response):
    rank: int
    product_id: str
    currency: str
    units_sold: int
    order_count: int
    revenue: Money


class TopProducts(Response):
    data: list[TopProduct]

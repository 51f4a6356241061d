"""Resources as the REST API shows them: plain dicts of records, the one rendering.

It lives below both surfaces because more than the REST facade needs it: an idempotent
write stores the resource exactly as it answered, whichever surface carried the write, so
a replay on REST returns those bytes (and webhook payloads will carry the same shape).
`rest_facade/models.py` documents these shapes in the OpenAPI document.

Each resource names its own URL (`url`) and its neighbours' (`*_url`), as paths from the
API's origin (`/v1/orders/ord_...`), the same wherever the answer or event is read, so a
client can follow them without building paths (GitHub's API does the same).
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from .formats import timestamp
from .records import (
    Category,
    Customer,
    Event,
    Inventory,
    Money,
    Order,
    OrderLine,
    Payment,
    Product,
    Refund,
    WebhookAttempt,
    WebhookEndpoint,
)


def money(value: Money) -> dict[str, Any]:
    return {"amount": value.amount, "currency": value.currency}


def inventory(value: Inventory | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"on_hand": value.on_hand, "reserved": value.reserved, "available": value.available}


API: Final = "/v1"


def _url(collection: str, id: str | None) -> str | None:
    return None if id is None else f"{API}/{collection}/{id}"


def category(value: Category) -> dict[str, Any]:
    return {
        "id": value.id,
        "url": f"{API}/categories/{value.id}",
        "products_url": f"{API}/products?category_id={value.id}",
        "name": value.name,
        "description": value.description,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def product(value: Product, stock: Inventory | None) -> dict[str, Any]:
    return {
        "id": value.id,
        "url": f"{API}/products/{value.id}",
        "category_url": _url("categories", value.category_id),
        "inventory_url": f"{API}/products/{value.id}/inventory",
        "sku": value.sku,
        "name": value.name,
        "description": value.description,
        "price": money(value.price),
        "category_id": value.category_id,
        "inventory": inventory(stock),
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def customer(value: Customer) -> dict[str, Any]:
    return {
        "id": value.id,
        "url": f"{API}/customers/{value.id}",
        "orders_url": f"{API}/orders?customer_id={value.id}",
        "email": value.email,
        "name": value.name,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def order_line(value: OrderLine) -> dict[str, Any]:
    return {
        "product_id": value.product_id,
        "quantity": value.quantity,
        "unit_price": money(value.unit_price),
        "line_total": money(value.line_total),
    }


def order(value: Order, lines: list[OrderLine]) -> dict[str, Any]:
    return {
        "id": value.id,
        "url": f"{API}/orders/{value.id}",
        "customer_url": f"{API}/customers/{value.customer_id}",
        "payments_url": f"{API}/orders/{value.id}/payments",
        "number": value.number,
        "status": value.status,
        "customer_id": value.customer_id,
        "currency": value.currency,
        "subtotal": money(value.subtotal),
        "total": money(value.total),
        "lines": [order_line(line) for line in lines],
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def refund(value: Refund) -> dict[str, Any]:
    return {
        "id": value.id,
        "url": f"{API}/refunds/{value.id}",
        "payment_url": f"{API}/payments/{value.payment_id}",
        "payment_id": value.payment_id,
        "status": value.status,
        "amount": money(value.amount),
        "reason": value.reason,
        "failure_code": value.failure_code,
        "created_at": timestamp(value.created_at),
    }


def payment(value: Payment) -> dict[str, Any]:
    """A payment; its refunds are a list of their own (`GET /v1/payments/{id}/refunds`)
    since version 2026-12-06 (`versioning/changes.py` gives older versions theirs)."""
    return {
        "id": value.id,
        "url": f"{API}/payments/{value.id}",
        "order_url": f"{API}/orders/{value.order_id}",
        "refunds_url": f"{API}/payments/{value.id}/refunds",
        "order_id": value.order_id,
        "status": value.status,
        "amount": money(value.amount),
        "captured": money(value.captured),
        "refunded": money(value.refunded),
        "source": value.source,
        "failure_code": value.failure_code,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def event(value: Event) -> dict[str, Any]:
    """An event as GET /v1/events and every webhook delivery carry it; the object is the
    JSON stored with the event, passed through byte for byte."""
    return {
        "id": value.id,
        "type": value.type,
        "created_at": timestamp(value.created_at),
        "data": {"object": orjson.Fragment(value.object)},
        "request_id": value.request_id,
    }


def webhook_endpoint(value: WebhookEndpoint) -> dict[str, Any]:
    """An endpoint; its secret is never part of it (shown once, when made or rotated)."""
    return {
        "id": value.id,
        "url": value.url,
        "description": value.description,
        "event_types": value.event_types,
        "enabled": value.enabled,
        "disabled_reason": value.disabled_reason,
        "consecutive_failures": value.consecutive_failures,
        "breaker_open_until": None
        if value.breaker_open_until is None
        else timestamp(value.breaker_open_until),
        "previous_secret_expires_at": None
        if value.previous_secret_expires_at is None
        else timestamp(value.previous_secret_expires_at),
        "api_version": value.api_version,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def webhook_attempt(value: WebhookAttempt) -> dict[str, Any]:
    return {
        "id": value.id,
        "event_id": value.event_id,
        "attempted_at": timestamp(value.attempted_at),
        "status_code": value.status_code,
        "latency_ms": value.latency_ms,
        "error": value.error,
        "response_excerpt": value.response_excerpt,
    }

"""Every event type: the resource each one carries, and when it happens (docs/webhooks.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class EventType:
    object_type: str  # the resource in `data.object`, as the REST API renders it
    description: str


EVENT_TYPES: Final = {
    "order.created": EventType("Order", "An order was placed; its stock is reserved."),
    "order.paid": EventType("Order", "Payments captured in full cover the order's total."),
    "order.cancelled": EventType("Order", "A pending order was cancelled; its stock released."),
    "order.fulfilled": EventType("Order", "A paid order was shipped; its stock left."),
    "payment.succeeded": EventType("Payment", "A payment was captured."),
    "payment.failed": EventType("Payment", "A payment was declined or could not be charged."),
    "refund.created": EventType("Refund", "A refund was asked for; the provider settles it."),
    "refund.succeeded": EventType("Refund", "A refund was paid back."),
    "refund.failed": EventType("Refund", "The provider refused a refund."),
    "inventory.low_stock": EventType(
        "Product", "A product's available stock fell below the low-stock threshold."
    ),
    "product.created": EventType("Product", "A product was added to the catalog."),
    "product.updated": EventType("Product", "A product's details or price changed."),
    "product.deleted": EventType("Product", "A product was removed; the object as it was."),
    "webhook_endpoint.disabled": EventType(
        "WebhookEndpoint",
        "Deliveries to an endpoint stopped: it answered 410 Gone, or every try failed for the "
        "whole retry horizon. `disabled_reason` says which.",
    ),
}

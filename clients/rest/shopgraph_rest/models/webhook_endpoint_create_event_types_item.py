# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

WebhookEndpointCreateEventTypesItem = Literal[
    "*",
    "inventory.low_stock",
    "order.cancelled",
    "order.created",
    "order.fulfilled",
    "order.paid",
    "payment.failed",
    "payment.succeeded",
    "product.created",
    "product.deleted",
    "product.updated",
    "refund.created",
    "refund.failed",
    "refund.succeeded",
    "webhook_endpoint.disabled",
]

WEBHOOK_ENDPOINT_CREATE_EVENT_TYPES_ITEM_VALUES: set[WebhookEndpointCreateEventTypesItem] = {
    "*",
    "inventory.low_stock",
    "order.cancelled",
    "order.created",
    "order.fulfilled",
    "order.paid",
    "payment.failed",
    "payment.succeeded",
    "product.created",
    "product.deleted",
    "product.updated",
    "refund.created",
    "refund.failed",
    "refund.succeeded",
    "webhook_endpoint.disabled",
}


def check_webhook_endpoint_create_event_types_item(
    value: str,
) -> WebhookEndpointCreateEventTypesItem:
    if value in WEBHOOK_ENDPOINT_CREATE_EVENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_ENDPOINT_CREATE_EVENT_TYPES_ITEM_VALUES!r}"
    )

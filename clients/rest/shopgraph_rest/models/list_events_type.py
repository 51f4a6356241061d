# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListEventsType = Literal[
    "inventory.*",
    "inventory.low_stock",
    "order.*",
    "order.cancelled",
    "order.created",
    "order.fulfilled",
    "order.paid",
    "payment.*",
    "payment.failed",
    "payment.succeeded",
    "product.*",
    "product.created",
    "product.deleted",
    "product.updated",
    "refund.*",
    "refund.created",
    "refund.failed",
    "refund.succeeded",
    "webhook_endpoint.*",
    "webhook_endpoint.disabled",
]

LIST_EVENTS_TYPE_VALUES: set[ListEventsType] = {
    "inventory.*",
    "inventory.low_stock",
    "order.*",
    "order.cancelled",
    "order.created",
    "order.fulfilled",
    "order.paid",
    "payment.*",
    "payment.failed",
    "payment.succeeded",
    "product.*",
    "product.created",
    "product.deleted",
    "product.updated",
    "refund.*",
    "refund.created",
    "refund.failed",
    "refund.succeeded",
    "webhook_endpoint.*",
    "webhook_endpoint.disabled",
}


def check_list_events_type(value: str) -> ListEventsType:
    if value in LIST_EVENTS_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_EVENTS_TYPE_VALUES!r}")

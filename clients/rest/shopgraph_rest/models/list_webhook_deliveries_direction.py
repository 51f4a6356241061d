# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListWebhookDeliveriesDirection = Literal["asc", "desc"]

LIST_WEBHOOK_DELIVERIES_DIRECTION_VALUES: set[ListWebhookDeliveriesDirection] = {
    "asc",
    "desc",
}


def check_list_webhook_deliveries_direction(value: str) -> ListWebhookDeliveriesDirection:
    if value in LIST_WEBHOOK_DELIVERIES_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_WEBHOOK_DELIVERIES_DIRECTION_VALUES!r}"
    )

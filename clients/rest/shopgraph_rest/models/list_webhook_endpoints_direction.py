# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListWebhookEndpointsDirection = Literal["asc", "desc"]

LIST_WEBHOOK_ENDPOINTS_DIRECTION_VALUES: set[ListWebhookEndpointsDirection] = {
    "asc",
    "desc",
}


def check_list_webhook_endpoints_direction(value: str) -> ListWebhookEndpointsDirection:
    if value in LIST_WEBHOOK_ENDPOINTS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_WEBHOOK_ENDPOINTS_DIRECTION_VALUES!r}"
    )

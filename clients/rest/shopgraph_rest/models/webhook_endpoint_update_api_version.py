# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

WebhookEndpointUpdateApiVersion = Literal["2026-12-01", "2026-12-06"]

WEBHOOK_ENDPOINT_UPDATE_API_VERSION_VALUES: set[WebhookEndpointUpdateApiVersion] = {
    "2026-12-01",
    "2026-12-06",
}


def check_webhook_endpoint_update_api_version(value: str) -> WebhookEndpointUpdateApiVersion:
    if value in WEBHOOK_ENDPOINT_UPDATE_API_VERSION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WEBHOOK_ENDPOINT_UPDATE_API_VERSION_VALUES!r}"
    )

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

EndpointHealthBreaker = Literal["closed", "half_open", "open"]

ENDPOINT_HEALTH_BREAKER_VALUES: set[EndpointHealthBreaker] = {
    "closed",
    "half_open",
    "open",
}


def check_endpoint_health_breaker(value: str) -> EndpointHealthBreaker:
    if value in ENDPOINT_HEALTH_BREAKER_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ENDPOINT_HEALTH_BREAKER_VALUES!r}"
    )

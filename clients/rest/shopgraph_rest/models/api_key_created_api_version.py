# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ApiKeyCreatedApiVersion = Literal["2026-12-01", "2026-12-06"]

API_KEY_CREATED_API_VERSION_VALUES: set[ApiKeyCreatedApiVersion] = {
    "2026-12-01",
    "2026-12-06",
}


def check_api_key_created_api_version(value: str) -> ApiKeyCreatedApiVersion:
    if value in API_KEY_CREATED_API_VERSION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {API_KEY_CREATED_API_VERSION_VALUES!r}"
    )

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ApiKeyCreateApiVersion = Literal["2026-12-01", "2026-12-06"]

API_KEY_CREATE_API_VERSION_VALUES: set[ApiKeyCreateApiVersion] = {
    "2026-12-01",
    "2026-12-06",
}


def check_api_key_create_api_version(value: str) -> ApiKeyCreateApiVersion:
    if value in API_KEY_CREATE_API_VERSION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {API_KEY_CREATE_API_VERSION_VALUES!r}"
    )

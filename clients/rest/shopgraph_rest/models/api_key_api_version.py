# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ApiKeyApiVersion = Literal["2026-12-01", "2026-12-06"]

API_KEY_API_VERSION_VALUES: set[ApiKeyApiVersion] = {
    "2026-12-01",
    "2026-12-06",
}


def check_api_key_api_version(value: str) -> ApiKeyApiVersion:
    if value in API_KEY_API_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {API_KEY_API_VERSION_VALUES!r}")

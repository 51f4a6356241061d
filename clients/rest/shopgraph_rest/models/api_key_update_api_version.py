# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ApiKeyUpdateApiVersion = Literal["2026-12-01", "2026-12-06"]

API_KEY_UPDATE_API_VERSION_VALUES: set[ApiKeyUpdateApiVersion] = {
    "2026-12-01",
    "2026-12-06",
}


def check_api_key_update_api_version(value: str) -> ApiKeyUpdateApiVersion:
    if value in API_KEY_UPDATE_API_VERSION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {API_KEY_UPDATE_API_VERSION_VALUES!r}"
    )

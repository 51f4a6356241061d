# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.api_key_update_api_version import (
    ApiKeyUpdateApiVersion,
    check_api_key_update_api_version,
)

T = TypeVar("T", bound="ApiKeyUpdate")


@_attrs_define
class ApiKeyUpdate:
    """
    Attributes:
        api_version (ApiKeyUpdateApiVersion): Pin the key to this dated REST version (docs/versioning.md).
    """

    api_version: ApiKeyUpdateApiVersion

    def to_dict(self) -> dict[str, Any]:
        api_version: str = self.api_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "api_version": api_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_version = check_api_key_update_api_version(d.pop("api_version"))

        api_key_update = cls(
            api_version=api_version,
        )

        return api_key_update

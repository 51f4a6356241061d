# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_create_api_version import (
    ApiKeyCreateApiVersion,
    check_api_key_create_api_version,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Attributes:
        name (str):
        scopes (list[str]):
        allowed_ips (list[str] | Unset):
        api_version (ApiKeyCreateApiVersion | Unset): The dated REST version it is pinned to; default: the current one.
        expires_in_days (int | Unset):
        tier (str | Unset):  Default: 'standard'.
    """

    name: str
    scopes: list[str]
    allowed_ips: list[str] | Unset = UNSET
    api_version: ApiKeyCreateApiVersion | Unset = UNSET
    expires_in_days: int | Unset = UNSET
    tier: str | Unset = "standard"

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes = self.scopes

        allowed_ips: list[str] | Unset = UNSET
        if not isinstance(self.allowed_ips, Unset):
            allowed_ips = self.allowed_ips

        api_version: str | Unset = UNSET
        if not isinstance(self.api_version, Unset):
            api_version = self.api_version

        expires_in_days = self.expires_in_days

        tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scopes": scopes,
            }
        )
        if allowed_ips is not UNSET:
            field_dict["allowed_ips"] = allowed_ips
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if expires_in_days is not UNSET:
            field_dict["expires_in_days"] = expires_in_days
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))

        allowed_ips = cast(list[str], d.pop("allowed_ips", UNSET))

        _api_version = d.pop("api_version", UNSET)
        api_version: ApiKeyCreateApiVersion | Unset
        if isinstance(_api_version, Unset):
            api_version = UNSET
        else:
            api_version = check_api_key_create_api_version(_api_version)

        expires_in_days = d.pop("expires_in_days", UNSET)

        tier = d.pop("tier", UNSET)

        api_key_create = cls(
            name=name,
            scopes=scopes,
            allowed_ips=allowed_ips,
            api_version=api_version,
            expires_in_days=expires_in_days,
            tier=tier,
        )

        return api_key_create

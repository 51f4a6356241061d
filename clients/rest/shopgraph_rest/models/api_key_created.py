# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_created_api_version import (
    ApiKeyCreatedApiVersion,
    check_api_key_created_api_version,
)

T = TypeVar("T", bound="ApiKeyCreated")


@_attrs_define
class ApiKeyCreated:
    """
    Attributes:
        allowed_ips (list[str]):
        api_version (ApiKeyCreatedApiVersion): The dated version its requests are answered in unless they send
            `Shopgraph-Version` (docs/versioning.md).
        created_at (datetime.datetime):
        expires_at (None | str):
        id (str):
        key (str): The key itself. Shown this once; store it now.
        last_used_at (None | str):
        name (str):
        prefix (str): The public part: keys read `sg_<prefix>_<secret>`.
        revoked_at (None | str):
        scopes (list[str]):
        tier (str):
    """

    allowed_ips: list[str]
    api_version: ApiKeyCreatedApiVersion
    created_at: datetime.datetime
    expires_at: None | str
    id: str
    key: str
    last_used_at: None | str
    name: str
    prefix: str
    revoked_at: None | str
    scopes: list[str]
    tier: str

    def to_dict(self) -> dict[str, Any]:
        allowed_ips = self.allowed_ips

        api_version: str = self.api_version

        created_at = self.created_at.isoformat()

        expires_at: None | str
        expires_at = self.expires_at

        id = self.id

        key = self.key

        last_used_at: None | str
        last_used_at = self.last_used_at

        name = self.name

        prefix = self.prefix

        revoked_at: None | str
        revoked_at = self.revoked_at

        scopes = self.scopes

        tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "allowed_ips": allowed_ips,
                "api_version": api_version,
                "created_at": created_at,
                "expires_at": expires_at,
                "id": id,
                "key": key,
                "last_used_at": last_used_at,
                "name": name,
                "prefix": prefix,
                "revoked_at": revoked_at,
                "scopes": scopes,
                "tier": tier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed_ips = cast(list[str], d.pop("allowed_ips"))

        api_version = check_api_key_created_api_version(d.pop("api_version"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        id = d.pop("id")

        key = d.pop("key")

        def _parse_last_used_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        name = d.pop("name")

        prefix = d.pop("prefix")

        def _parse_revoked_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        scopes = cast(list[str], d.pop("scopes"))

        tier = d.pop("tier")

        api_key_created = cls(
            allowed_ips=allowed_ips,
            api_version=api_version,
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            key=key,
            last_used_at=last_used_at,
            name=name,
            prefix=prefix,
            revoked_at=revoked_at,
            scopes=scopes,
            tier=tier,
        )

        return api_key_created

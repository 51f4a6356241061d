# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_endpoint_update_api_version import (
    WebhookEndpointUpdateApiVersion,
    check_webhook_endpoint_update_api_version,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointUpdate")


@_attrs_define
class WebhookEndpointUpdate:
    """
    Attributes:
        api_version (WebhookEndpointUpdateApiVersion | Unset):
        description (None | str | Unset):
        enabled (bool | Unset): true also clears a disabling.
        event_types (list[str] | Unset):
        url (str | Unset):
    """

    api_version: WebhookEndpointUpdateApiVersion | Unset = UNSET
    description: None | str | Unset = UNSET
    enabled: bool | Unset = UNSET
    event_types: list[str] | Unset = UNSET
    url: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        api_version: str | Unset = UNSET
        if not isinstance(self.api_version, Unset):
            api_version = self.api_version

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled = self.enabled

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = self.event_types

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _api_version = d.pop("api_version", UNSET)
        api_version: WebhookEndpointUpdateApiVersion | Unset
        if isinstance(_api_version, Unset):
            api_version = UNSET
        else:
            api_version = check_webhook_endpoint_update_api_version(_api_version)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        event_types = cast(list[str], d.pop("event_types", UNSET))

        url = d.pop("url", UNSET)

        webhook_endpoint_update = cls(
            api_version=api_version,
            description=description,
            enabled=enabled,
            event_types=event_types,
            url=url,
        )

        return webhook_endpoint_update

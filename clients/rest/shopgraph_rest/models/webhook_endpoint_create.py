# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_endpoint_create_api_version import (
    WebhookEndpointCreateApiVersion,
    check_webhook_endpoint_create_api_version,
)
from ..models.webhook_endpoint_create_event_types_item import (
    WebhookEndpointCreateEventTypesItem,
    check_webhook_endpoint_create_event_types_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointCreate")


@_attrs_define
class WebhookEndpointCreate:
    """
    Attributes:
        url (str): https:// on a host with public addresses only (docs/webhooks.md).
        api_version (WebhookEndpointCreateApiVersion | Unset): The dated version its deliveries are rendered in;
            default: current. Default: '2026-12-06'.
        description (None | str | Unset):
        enabled (bool | Unset):  Default: True.
        event_types (list[WebhookEndpointCreateEventTypesItem] | Unset): The types to deliver, or ["*"] alone for every
            type (the default).
    """

    url: str
    api_version: WebhookEndpointCreateApiVersion | Unset = "2026-12-06"
    description: None | str | Unset = UNSET
    enabled: bool | Unset = True
    event_types: list[WebhookEndpointCreateEventTypesItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

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
            event_types = []
            for event_types_item_data in self.event_types:
                event_types_item: str = event_types_item_data
                event_types.append(event_types_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if event_types is not UNSET:
            field_dict["event_types"] = event_types

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        _api_version = d.pop("api_version", UNSET)
        api_version: WebhookEndpointCreateApiVersion | Unset
        if isinstance(_api_version, Unset):
            api_version = UNSET
        else:
            api_version = check_webhook_endpoint_create_api_version(_api_version)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        enabled = d.pop("enabled", UNSET)

        _event_types = d.pop("event_types", UNSET)
        event_types: list[WebhookEndpointCreateEventTypesItem] | Unset = UNSET
        if _event_types is not UNSET:
            event_types = []
            for event_types_item_data in _event_types:
                event_types_item = check_webhook_endpoint_create_event_types_item(
                    event_types_item_data
                )

                event_types.append(event_types_item)

        webhook_endpoint_create = cls(
            url=url,
            api_version=api_version,
            description=description,
            enabled=enabled,
            event_types=event_types,
        )

        return webhook_endpoint_create

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_endpoint_api_version import (
    WebhookEndpointApiVersion,
    check_webhook_endpoint_api_version,
)

T = TypeVar("T", bound="WebhookEndpoint")


@_attrs_define
class WebhookEndpoint:
    """
    Attributes:
        api_version (WebhookEndpointApiVersion): The dated version its deliveries' `data.object` is rendered in.
        breaker_open_until (None | str): Set once 5 tries in a row failed: nothing is tried before it, then one delivery
            at a time until one succeeds.
        consecutive_failures (int): Failed tries since the last success.
        created_at (datetime.datetime):
        description (None | str):
        disabled_reason (None | str): Why deliveries stopped, if they did.
        enabled (bool):
        event_types (list[str]):
        id (str):
        previous_secret_expires_at (None | str): Until then deliveries are signed with the previous secret too.
        updated_at (datetime.datetime):
        url (str):
    """

    api_version: WebhookEndpointApiVersion
    breaker_open_until: None | str
    consecutive_failures: int
    created_at: datetime.datetime
    description: None | str
    disabled_reason: None | str
    enabled: bool
    event_types: list[str]
    id: str
    previous_secret_expires_at: None | str
    updated_at: datetime.datetime
    url: str

    def to_dict(self) -> dict[str, Any]:
        api_version: str = self.api_version

        breaker_open_until: None | str
        breaker_open_until = self.breaker_open_until

        consecutive_failures = self.consecutive_failures

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        enabled = self.enabled

        event_types = self.event_types

        id = self.id

        previous_secret_expires_at: None | str
        previous_secret_expires_at = self.previous_secret_expires_at

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "api_version": api_version,
                "breaker_open_until": breaker_open_until,
                "consecutive_failures": consecutive_failures,
                "created_at": created_at,
                "description": description,
                "disabled_reason": disabled_reason,
                "enabled": enabled,
                "event_types": event_types,
                "id": id,
                "previous_secret_expires_at": previous_secret_expires_at,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_version = check_webhook_endpoint_api_version(d.pop("api_version"))

        def _parse_breaker_open_until(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        breaker_open_until = _parse_breaker_open_until(d.pop("breaker_open_until"))

        consecutive_failures = d.pop("consecutive_failures")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        enabled = d.pop("enabled")

        event_types = cast(list[str], d.pop("event_types"))

        id = d.pop("id")

        def _parse_previous_secret_expires_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(
            d.pop("previous_secret_expires_at")
        )

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        webhook_endpoint = cls(
            api_version=api_version,
            breaker_open_until=breaker_open_until,
            consecutive_failures=consecutive_failures,
            created_at=created_at,
            description=description,
            disabled_reason=disabled_reason,
            enabled=enabled,
            event_types=event_types,
            id=id,
            previous_secret_expires_at=previous_secret_expires_at,
            updated_at=updated_at,
            url=url,
        )

        return webhook_endpoint

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """
    Attributes:
        action (str):
        client_ip (None | str):
        id (str):
        occurred_at (datetime.datetime):
        principal_id (None | str):
        principal_kind (str):
        request_id (str):
        resource_ids (list[str]):
        resource_type (str):
    """

    action: str
    client_ip: None | str
    id: str
    occurred_at: datetime.datetime
    principal_id: None | str
    principal_kind: str
    request_id: str
    resource_ids: list[str]
    resource_type: str

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        client_ip: None | str
        client_ip = self.client_ip

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        principal_id: None | str
        principal_id = self.principal_id

        principal_kind = self.principal_kind

        request_id = self.request_id

        resource_ids = self.resource_ids

        resource_type = self.resource_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
                "client_ip": client_ip,
                "id": id,
                "occurred_at": occurred_at,
                "principal_id": principal_id,
                "principal_kind": principal_kind,
                "request_id": request_id,
                "resource_ids": resource_ids,
                "resource_type": resource_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        def _parse_client_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_ip = _parse_client_ip(d.pop("client_ip"))

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_principal_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        principal_id = _parse_principal_id(d.pop("principal_id"))

        principal_kind = d.pop("principal_kind")

        request_id = d.pop("request_id")

        resource_ids = cast(list[str], d.pop("resource_ids"))

        resource_type = d.pop("resource_type")

        audit_event = cls(
            action=action,
            client_ip=client_ip,
            id=id,
            occurred_at=occurred_at,
            principal_id=principal_id,
            principal_kind=principal_kind,
            request_id=request_id,
            resource_ids=resource_ids,
            resource_type=resource_type,
        )

        return audit_event

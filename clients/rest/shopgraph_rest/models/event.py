# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.event_data import EventData


T = TypeVar("T", bound="Event")


@_attrs_define
class Event:
    """Something that happened; webhook deliveries carry exactly this.

    Attributes:
        created_at (datetime.datetime):
        data (EventData):
        id (str):
        request_id (None | str): The request that caused it; null for the server's own work.
        type_ (str): docs/webhooks.md lists the types.
    """

    created_at: datetime.datetime
    data: EventData
    id: str
    request_id: None | str
    type_: str

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        id = self.id

        request_id: None | str
        request_id = self.request_id

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "data": data,
                "id": id,
                "request_id": request_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_data import EventData  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        data = EventData.from_dict(d.pop("data"))

        id = d.pop("id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        type_ = d.pop("type")

        event = cls(
            created_at=created_at,
            data=data,
            id=id,
            request_id=request_id,
            type_=type_,
        )

        return event

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.webhook_attempt import WebhookAttempt


T = TypeVar("T", bound="WebhookAttemptList")


@_attrs_define
class WebhookAttemptList:
    """
    Attributes:
        data (list[WebhookAttempt]):
        has_more (bool): More items exist in the direction of travel.
        next_cursor (None | str): Pass as `starting_after` for the next page.
        previous_cursor (None | str): Pass as `ending_before` for the previous page.
    """

    data: list[WebhookAttempt]
    has_more: bool
    next_cursor: None | str
    previous_cursor: None | str

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        has_more = self.has_more

        next_cursor: None | str
        next_cursor = self.next_cursor

        previous_cursor: None | str
        previous_cursor = self.previous_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "has_more": has_more,
                "next_cursor": next_cursor,
                "previous_cursor": previous_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_attempt import WebhookAttempt  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = WebhookAttempt.from_dict(data_item_data)

            data.append(data_item)

        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        def _parse_previous_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_cursor = _parse_previous_cursor(d.pop("previous_cursor"))

        webhook_attempt_list = cls(
            data=data,
            has_more=has_more,
            next_cursor=next_cursor,
            previous_cursor=previous_cursor,
        )

        return webhook_attempt_list

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="InventoryLevel")


@_attrs_define
class InventoryLevel:
    """A product's stock with its settings, as `/products/{id}/inventory` shows it.

    Attributes:
        available (int):
        low_stock (bool):
        low_stock_threshold (int | None): Low at or below this many available.
        on_hand (int):
        reserved (int):
        updated_at (datetime.datetime):
    """

    available: int
    low_stock: bool
    low_stock_threshold: int | None
    on_hand: int
    reserved: int
    updated_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        low_stock = self.low_stock

        low_stock_threshold: int | None
        low_stock_threshold = self.low_stock_threshold

        on_hand = self.on_hand

        reserved = self.reserved

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "available": available,
                "low_stock": low_stock,
                "low_stock_threshold": low_stock_threshold,
                "on_hand": on_hand,
                "reserved": reserved,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        low_stock = d.pop("low_stock")

        def _parse_low_stock_threshold(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        low_stock_threshold = _parse_low_stock_threshold(d.pop("low_stock_threshold"))

        on_hand = d.pop("on_hand")

        reserved = d.pop("reserved")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        inventory_level = cls(
            available=available,
            low_stock=low_stock,
            low_stock_threshold=low_stock_threshold,
            on_hand=on_hand,
            reserved=reserved,
            updated_at=updated_at,
        )

        return inventory_level

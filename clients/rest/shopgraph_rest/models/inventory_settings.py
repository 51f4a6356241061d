# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="InventorySettings")


@_attrs_define
class InventorySettings:
    """
    Attributes:
        low_stock_threshold (int | Unset):
    """

    low_stock_threshold: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        low_stock_threshold = self.low_stock_threshold

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if low_stock_threshold is not UNSET:
            field_dict["low_stock_threshold"] = low_stock_threshold

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        low_stock_threshold = d.pop("low_stock_threshold", UNSET)

        inventory_settings = cls(
            low_stock_threshold=low_stock_threshold,
        )

        return inventory_settings

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Inventory")


@_attrs_define
class Inventory:
    """A product's stock: `available` is `on_hand - reserved`.

    Attributes:
        available (int):
        on_hand (int):
        reserved (int):
    """

    available: int
    on_hand: int
    reserved: int

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        on_hand = self.on_hand

        reserved = self.reserved

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "available": available,
                "on_hand": on_hand,
                "reserved": reserved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        on_hand = d.pop("on_hand")

        reserved = d.pop("reserved")

        inventory = cls(
            available=available,
            on_hand=on_hand,
            reserved=reserved,
        )

        return inventory

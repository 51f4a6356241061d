# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Redelivered")


@_attrs_define
class Redelivered:
    """
    Attributes:
        deliveries (int): Deliveries now due: the dispatchers take them.
    """

    deliveries: int

    def to_dict(self) -> dict[str, Any]:
        deliveries = self.deliveries

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "deliveries": deliveries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        deliveries = d.pop("deliveries")

        redelivered = cls(
            deliveries=deliveries,
        )

        return redelivered

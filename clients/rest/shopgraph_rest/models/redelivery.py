# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Redelivery")


@_attrs_define
class Redelivery:
    """
    Attributes:
        endpoint_id (str | Unset): Only to this endpoint (even one not listening for the type); default: every enabled
            endpoint listening for it.
    """

    endpoint_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        endpoint_id = self.endpoint_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if endpoint_id is not UNSET:
            field_dict["endpoint_id"] = endpoint_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        endpoint_id = d.pop("endpoint_id", UNSET)

        redelivery = cls(
            endpoint_id=endpoint_id,
        )

        return redelivery

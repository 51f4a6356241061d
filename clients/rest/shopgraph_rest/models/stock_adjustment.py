# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.stock_adjustment_kind import StockAdjustmentKind, check_stock_adjustment_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="StockAdjustment")


@_attrs_define
class StockAdjustment:
    """
    Attributes:
        delta (int):
        reason (str):
        kind (StockAdjustmentKind | Unset):  Default: 'adjustment'.
    """

    delta: int
    reason: str
    kind: StockAdjustmentKind | Unset = "adjustment"

    def to_dict(self) -> dict[str, Any]:
        delta = self.delta

        reason = self.reason

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "delta": delta,
                "reason": reason,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delta = d.pop("delta")

        reason = d.pop("reason")

        _kind = d.pop("kind", UNSET)
        kind: StockAdjustmentKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = check_stock_adjustment_kind(_kind)

        stock_adjustment = cls(
            delta=delta,
            reason=reason,
            kind=kind,
        )

        return stock_adjustment

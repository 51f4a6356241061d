# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.order_line_input import OrderLineInput


T = TypeVar("T", bound="OrderPlacement")


@_attrs_define
class OrderPlacement:
    """
    Attributes:
        customer_id (str):
        lines (list[OrderLineInput]):
    """

    customer_id: str
    lines: list[OrderLineInput]

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "lines": lines,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_line_input import OrderLineInput  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLineInput.from_dict(lines_item_data)

            lines.append(lines_item)

        order_placement = cls(
            customer_id=customer_id,
            lines=lines,
        )

        return order_placement

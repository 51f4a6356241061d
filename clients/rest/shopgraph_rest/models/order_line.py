# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="OrderLine")


@_attrs_define
class OrderLine:
    """
    Attributes:
        line_total (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        product_id (str):
        quantity (int):
        unit_price (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
    """

    line_total: Money
    product_id: str
    quantity: int
    unit_price: Money

    def to_dict(self) -> dict[str, Any]:
        line_total = self.line_total.to_dict()

        product_id = self.product_id

        quantity = self.quantity

        unit_price = self.unit_price.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "line_total": line_total,
                "product_id": product_id,
                "quantity": quantity,
                "unit_price": unit_price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        line_total = Money.from_dict(d.pop("line_total"))

        product_id = d.pop("product_id")

        quantity = d.pop("quantity")

        unit_price = Money.from_dict(d.pop("unit_price"))

        order_line = cls(
            line_total=line_total,
            product_id=product_id,
            quantity=quantity,
            unit_price=unit_price,
        )

        return order_line

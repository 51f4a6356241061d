# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="TopProduct")


@_attrs_define
class TopProduct:
    """
    Attributes:
        currency (str):
        order_count (int):
        product_id (str):
        rank (int):
        revenue (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        units_sold (int):
    """

    currency: str
    order_count: int
    product_id: str
    rank: int
    revenue: Money
    units_sold: int

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        order_count = self.order_count

        product_id = self.product_id

        rank = self.rank

        revenue = self.revenue.to_dict()

        units_sold = self.units_sold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "currency": currency,
                "order_count": order_count,
                "product_id": product_id,
                "rank": rank,
                "revenue": revenue,
                "units_sold": units_sold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        currency = d.pop("currency")

        order_count = d.pop("order_count")

        product_id = d.pop("product_id")

        rank = d.pop("rank")

        revenue = Money.from_dict(d.pop("revenue"))

        units_sold = d.pop("units_sold")

        top_product = cls(
            currency=currency,
            order_count=order_count,
            product_id=product_id,
            rank=rank,
            revenue=revenue,
            units_sold=units_sold,
        )

        return top_product

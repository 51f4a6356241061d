# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.period import Period


T = TypeVar("T", bound="SalesReportRow")


@_attrs_define
class SalesReportRow:
    """One row: a period (`group_by` day, week, month) or a product, category or customer.

    Attributes:
        average_order_value (list[Money]): Gross sales per order, rounded half to even. One amount per currency, in
            currency order; empty for none.
        category_id (None | str): Null in a category report for products without a category.
        customer_id (None | str):
        gross_sales (list[Money]): Line totals. One amount per currency, in currency order; empty for none.
        net_sales (list[Money]): Gross sales less refunds. One amount per currency, in currency order; empty for none.
        order_count (int):
        period (None | Period):
        product_id (None | str):
        refunds (list[Money] | None): Succeeded refunds; null by product or category, where a refund (of a payment, not
            of lines) cannot be attributed.
        units_sold (int):
    """

    average_order_value: list[Money]
    category_id: None | str
    customer_id: None | str
    gross_sales: list[Money]
    net_sales: list[Money]
    order_count: int
    period: None | Period
    product_id: None | str
    refunds: list[Money] | None
    units_sold: int

    def to_dict(self) -> dict[str, Any]:
        from ..models.period import Period  # noqa: PLC0415

        average_order_value = []
        for average_order_value_item_data in self.average_order_value:
            average_order_value_item = average_order_value_item_data.to_dict()
            average_order_value.append(average_order_value_item)

        category_id: None | str
        category_id = self.category_id

        customer_id: None | str
        customer_id = self.customer_id

        gross_sales = []
        for gross_sales_item_data in self.gross_sales:
            gross_sales_item = gross_sales_item_data.to_dict()
            gross_sales.append(gross_sales_item)

        net_sales = []
        for net_sales_item_data in self.net_sales:
            net_sales_item = net_sales_item_data.to_dict()
            net_sales.append(net_sales_item)

        order_count = self.order_count

        period: dict[str, Any] | None
        if isinstance(self.period, Period):
            period = self.period.to_dict()
        else:
            period = self.period

        product_id: None | str
        product_id = self.product_id

        refunds: list[dict[str, Any]] | None
        if isinstance(self.refunds, list):
            refunds = []
            for refunds_type_0_item_data in self.refunds:
                refunds_type_0_item = refunds_type_0_item_data.to_dict()
                refunds.append(refunds_type_0_item)

        else:
            refunds = self.refunds

        units_sold = self.units_sold

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "average_order_value": average_order_value,
                "category_id": category_id,
                "customer_id": customer_id,
                "gross_sales": gross_sales,
                "net_sales": net_sales,
                "order_count": order_count,
                "period": period,
                "product_id": product_id,
                "refunds": refunds,
                "units_sold": units_sold,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        average_order_value = []
        _average_order_value = d.pop("average_order_value")
        for average_order_value_item_data in _average_order_value:
            average_order_value_item = Money.from_dict(average_order_value_item_data)

            average_order_value.append(average_order_value_item)

        def _parse_category_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_id = _parse_category_id(d.pop("category_id"))

        def _parse_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customer_id = _parse_customer_id(d.pop("customer_id"))

        gross_sales = []
        _gross_sales = d.pop("gross_sales")
        for gross_sales_item_data in _gross_sales:
            gross_sales_item = Money.from_dict(gross_sales_item_data)

            gross_sales.append(gross_sales_item)

        net_sales = []
        _net_sales = d.pop("net_sales")
        for net_sales_item_data in _net_sales:
            net_sales_item = Money.from_dict(net_sales_item_data)

            net_sales.append(net_sales_item)

        order_count = d.pop("order_count")

        def _parse_period(data: object) -> None | Period:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                period_type_0 = Period.from_dict(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Period, data)

        period = _parse_period(d.pop("period"))

        def _parse_product_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        product_id = _parse_product_id(d.pop("product_id"))

        def _parse_refunds(data: object) -> list[Money] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                refunds_type_0 = []
                _refunds_type_0 = data
                for refunds_type_0_item_data in _refunds_type_0:
                    refunds_type_0_item = Money.from_dict(refunds_type_0_item_data)

                    refunds_type_0.append(refunds_type_0_item)

                return refunds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Money] | None, data)

        refunds = _parse_refunds(d.pop("refunds"))

        units_sold = d.pop("units_sold")

        sales_report_row = cls(
            average_order_value=average_order_value,
            category_id=category_id,
            customer_id=customer_id,
            gross_sales=gross_sales,
            net_sales=net_sales,
            order_count=order_count,
            period=period,
            product_id=product_id,
            refunds=refunds,
            units_sold=units_sold,
        )

        return sales_report_row

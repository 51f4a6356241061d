# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

GetSalesReportGroupBy = Literal["category", "customer", "day", "month", "product", "week"]

GET_SALES_REPORT_GROUP_BY_VALUES: set[GetSalesReportGroupBy] = {
    "category",
    "customer",
    "day",
    "month",
    "product",
    "week",
}


def check_get_sales_report_group_by(value: str) -> GetSalesReportGroupBy:
    if value in GET_SALES_REPORT_GROUP_BY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_SALES_REPORT_GROUP_BY_VALUES!r}"
    )

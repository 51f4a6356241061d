# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCustomerOrdersSort = Literal["created_at", "number", "total"]

LIST_CUSTOMER_ORDERS_SORT_VALUES: set[ListCustomerOrdersSort] = {
    "created_at",
    "number",
    "total",
}


def check_list_customer_orders_sort(value: str) -> ListCustomerOrdersSort:
    if value in LIST_CUSTOMER_ORDERS_SORT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CUSTOMER_ORDERS_SORT_VALUES!r}"
    )

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListOrdersSort = Literal["created_at", "number", "total"]

LIST_ORDERS_SORT_VALUES: set[ListOrdersSort] = {
    "created_at",
    "number",
    "total",
}


def check_list_orders_sort(value: str) -> ListOrdersSort:
    if value in LIST_ORDERS_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ORDERS_SORT_VALUES!r}")

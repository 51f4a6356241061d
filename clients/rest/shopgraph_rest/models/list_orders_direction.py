# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListOrdersDirection = Literal["asc", "desc"]

LIST_ORDERS_DIRECTION_VALUES: set[ListOrdersDirection] = {
    "asc",
    "desc",
}


def check_list_orders_direction(value: str) -> ListOrdersDirection:
    if value in LIST_ORDERS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ORDERS_DIRECTION_VALUES!r}")

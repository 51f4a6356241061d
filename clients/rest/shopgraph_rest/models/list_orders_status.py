# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListOrdersStatus = Literal[
    "cancelled", "fulfilled", "paid", "partially_refunded", "pending", "refunded"
]

LIST_ORDERS_STATUS_VALUES: set[ListOrdersStatus] = {
    "cancelled",
    "fulfilled",
    "paid",
    "partially_refunded",
    "pending",
    "refunded",
}


def check_list_orders_status(value: str) -> ListOrdersStatus:
    if value in LIST_ORDERS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ORDERS_STATUS_VALUES!r}")

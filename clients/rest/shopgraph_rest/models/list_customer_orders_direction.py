# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCustomerOrdersDirection = Literal["asc", "desc"]

LIST_CUSTOMER_ORDERS_DIRECTION_VALUES: set[ListCustomerOrdersDirection] = {
    "asc",
    "desc",
}


def check_list_customer_orders_direction(value: str) -> ListCustomerOrdersDirection:
    if value in LIST_CUSTOMER_ORDERS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CUSTOMER_ORDERS_DIRECTION_VALUES!r}"
    )

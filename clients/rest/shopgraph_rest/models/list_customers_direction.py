# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCustomersDirection = Literal["asc", "desc"]

LIST_CUSTOMERS_DIRECTION_VALUES: set[ListCustomersDirection] = {
    "asc",
    "desc",
}


def check_list_customers_direction(value: str) -> ListCustomersDirection:
    if value in LIST_CUSTOMERS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CUSTOMERS_DIRECTION_VALUES!r}"
    )

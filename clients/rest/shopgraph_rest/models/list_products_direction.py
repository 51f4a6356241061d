# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListProductsDirection = Literal["asc", "desc"]

LIST_PRODUCTS_DIRECTION_VALUES: set[ListProductsDirection] = {
    "asc",
    "desc",
}


def check_list_products_direction(value: str) -> ListProductsDirection:
    if value in LIST_PRODUCTS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_PRODUCTS_DIRECTION_VALUES!r}"
    )

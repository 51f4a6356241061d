# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListProductsSort = Literal["created_at", "name", "price", "sku"]

LIST_PRODUCTS_SORT_VALUES: set[ListProductsSort] = {
    "created_at",
    "name",
    "price",
    "sku",
}


def check_list_products_sort(value: str) -> ListProductsSort:
    if value in LIST_PRODUCTS_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_PRODUCTS_SORT_VALUES!r}")

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

GetTopProductsBy = Literal["revenue", "units"]

GET_TOP_PRODUCTS_BY_VALUES: set[GetTopProductsBy] = {
    "revenue",
    "units",
}


def check_get_top_products_by(value: str) -> GetTopProductsBy:
    if value in GET_TOP_PRODUCTS_BY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_TOP_PRODUCTS_BY_VALUES!r}")

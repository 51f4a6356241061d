# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCategoriesDirection = Literal["asc", "desc"]

LIST_CATEGORIES_DIRECTION_VALUES: set[ListCategoriesDirection] = {
    "asc",
    "desc",
}


def check_list_categories_direction(value: str) -> ListCategoriesDirection:
    if value in LIST_CATEGORIES_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_CATEGORIES_DIRECTION_VALUES!r}"
    )

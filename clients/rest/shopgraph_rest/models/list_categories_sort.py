# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCategoriesSort = Literal["created_at", "name"]

LIST_CATEGORIES_SORT_VALUES: set[ListCategoriesSort] = {
    "created_at",
    "name",
}


def check_list_categories_sort(value: str) -> ListCategoriesSort:
    if value in LIST_CATEGORIES_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CATEGORIES_SORT_VALUES!r}")

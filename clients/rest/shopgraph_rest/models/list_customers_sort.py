# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListCustomersSort = Literal["created_at", "email", "name"]

LIST_CUSTOMERS_SORT_VALUES: set[ListCustomersSort] = {
    "created_at",
    "email",
    "name",
}


def check_list_customers_sort(value: str) -> ListCustomersSort:
    if value in LIST_CUSTOMERS_SORT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_CUSTOMERS_SORT_VALUES!r}")

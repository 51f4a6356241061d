# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListInventoryMovementsSort = Literal["created_at"]

LIST_INVENTORY_MOVEMENTS_SORT_VALUES: set[ListInventoryMovementsSort] = {
    "created_at",
}


def check_list_inventory_movements_sort(value: str) -> ListInventoryMovementsSort:
    if value in LIST_INVENTORY_MOVEMENTS_SORT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_INVENTORY_MOVEMENTS_SORT_VALUES!r}"
    )

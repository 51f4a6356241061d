# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

ListInventoryMovementsDirection = Literal["asc", "desc"]

LIST_INVENTORY_MOVEMENTS_DIRECTION_VALUES: set[ListInventoryMovementsDirection] = {
    "asc",
    "desc",
}


def check_list_inventory_movements_direction(value: str) -> ListInventoryMovementsDirection:
    if value in LIST_INVENTORY_MOVEMENTS_DIRECTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_INVENTORY_MOVEMENTS_DIRECTION_VALUES!r}"
    )

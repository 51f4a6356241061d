# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from typing import Literal

InventoryMovementKind = Literal["adjustment", "receipt", "release", "reservation", "shipment"]

INVENTORY_MOVEMENT_KIND_VALUES: set[InventoryMovementKind] = {
    "adjustment",
    "receipt",
    "release",
    "reservation",
    "shipment",
}


def check_inventory_movement_kind(value: str) -> InventoryMovementKind:
    if value in INVENTORY_MOVEMENT_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INVENTORY_MOVEMENT_KIND_VALUES!r}"
    )

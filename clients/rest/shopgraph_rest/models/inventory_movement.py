# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.inventory_movement_kind import InventoryMovementKind, check_inventory_movement_kind

T = TypeVar("T", bound="InventoryMovement")


@_attrs_define
class InventoryMovement:
    """One entry of a product's stock ledger; the levels are the sum of these.

    Attributes:
        actor (str):
        created_at (datetime.datetime):
        id (str):
        kind (InventoryMovementKind):
        on_hand_delta (int):
        order_id (None | str):
        product_id (str):
        reason (None | str):
        reserved_delta (int):
    """

    actor: str
    created_at: datetime.datetime
    id: str
    kind: InventoryMovementKind
    on_hand_delta: int
    order_id: None | str
    product_id: str
    reason: None | str
    reserved_delta: int

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        created_at = self.created_at.isoformat()

        id = self.id

        kind: str = self.kind

        on_hand_delta = self.on_hand_delta

        order_id: None | str
        order_id = self.order_id

        product_id = self.product_id

        reason: None | str
        reason = self.reason

        reserved_delta = self.reserved_delta

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "actor": actor,
                "created_at": created_at,
                "id": id,
                "kind": kind,
                "on_hand_delta": on_hand_delta,
                "order_id": order_id,
                "product_id": product_id,
                "reason": reason,
                "reserved_delta": reserved_delta,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        actor = d.pop("actor")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        kind = check_inventory_movement_kind(d.pop("kind"))

        on_hand_delta = d.pop("on_hand_delta")

        def _parse_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        order_id = _parse_order_id(d.pop("order_id"))

        product_id = d.pop("product_id")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        reserved_delta = d.pop("reserved_delta")

        inventory_movement = cls(
            actor=actor,
            created_at=created_at,
            id=id,
            kind=kind,
            on_hand_delta=on_hand_delta,
            order_id=order_id,
            product_id=product_id,
            reason=reason,
            reserved_delta=reserved_delta,
        )

        return inventory_movement

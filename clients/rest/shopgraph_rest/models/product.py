# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.inventory import Inventory
    from ..models.money import Money


T = TypeVar("T", bound="Product")


@_attrs_define
class Product:
    """
    Attributes:
        category_id (None | str):
        category_url (None | str): Its category: a path from the API's origin (since 2026-12-06).
        created_at (datetime.datetime):
        description (None | str):
        id (str):
        inventory (Inventory | None): Null only if no stock record exists.
        inventory_url (str): Its stock: a path from the API's origin (since 2026-12-06).
        name (str):
        price (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        sku (str):
        updated_at (datetime.datetime):
        url (str): This product: a path from the API's origin (since 2026-12-06).
    """

    category_id: None | str
    category_url: None | str
    created_at: datetime.datetime
    description: None | str
    id: str
    inventory: Inventory | None
    inventory_url: str
    name: str
    price: Money
    sku: str
    updated_at: datetime.datetime
    url: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.inventory import Inventory  # noqa: PLC0415

        category_id: None | str
        category_id = self.category_id

        category_url: None | str
        category_url = self.category_url

        created_at = self.created_at.isoformat()

        description: None | str
        description = self.description

        id = self.id

        inventory: dict[str, Any] | None
        if isinstance(self.inventory, Inventory):
            inventory = self.inventory.to_dict()
        else:
            inventory = self.inventory

        inventory_url = self.inventory_url

        name = self.name

        price = self.price.to_dict()

        sku = self.sku

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category_id": category_id,
                "category_url": category_url,
                "created_at": created_at,
                "description": description,
                "id": id,
                "inventory": inventory,
                "inventory_url": inventory_url,
                "name": name,
                "price": price,
                "sku": sku,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inventory import Inventory  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_category_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_id = _parse_category_id(d.pop("category_id"))

        def _parse_category_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category_url = _parse_category_url(d.pop("category_url"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        id = d.pop("id")

        def _parse_inventory(data: object) -> Inventory | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                inventory_type_0 = Inventory.from_dict(data)

                return inventory_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Inventory | None, data)

        inventory = _parse_inventory(d.pop("inventory"))

        inventory_url = d.pop("inventory_url")

        name = d.pop("name")

        price = Money.from_dict(d.pop("price"))

        sku = d.pop("sku")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        product = cls(
            category_id=category_id,
            category_url=category_url,
            created_at=created_at,
            description=description,
            id=id,
            inventory=inventory,
            inventory_url=inventory_url,
            name=name,
            price=price,
            sku=sku,
            updated_at=updated_at,
            url=url,
        )

        return product

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Customer")


@_attrs_define
class Customer:
    """
    Attributes:
        created_at (datetime.datetime):
        email (str):
        id (str):
        name (str):
        orders_url (str): Their orders: a path from the API's origin (since 2026-12-06).
        updated_at (datetime.datetime):
        url (str): This customer: a path from the API's origin (since 2026-12-06).
    """

    created_at: datetime.datetime
    email: str
    id: str
    name: str
    orders_url: str
    updated_at: datetime.datetime
    url: str

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        email = self.email

        id = self.id

        name = self.name

        orders_url = self.orders_url

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "id": id,
                "name": name,
                "orders_url": orders_url,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        email = d.pop("email")

        id = d.pop("id")

        name = d.pop("name")

        orders_url = d.pop("orders_url")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        customer = cls(
            created_at=created_at,
            email=email,
            id=id,
            name=name,
            orders_url=orders_url,
            updated_at=updated_at,
            url=url,
        )

        return customer

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CustomerToken")


@_attrs_define
class CustomerToken:
    """
    Attributes:
        access_token (str):
        customer_id (str):
        expires_in (int): Seconds.
        token_type (str):
    """

    access_token: str
    customer_id: str
    expires_in: int
    token_type: str

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        customer_id = self.customer_id

        expires_in = self.expires_in

        token_type = self.token_type

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "access_token": access_token,
                "customer_id": customer_id,
                "expires_in": expires_in,
                "token_type": token_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        customer_id = d.pop("customer_id")

        expires_in = d.pop("expires_in")

        token_type = d.pop("token_type")

        customer_token = cls(
            access_token=access_token,
            customer_id=customer_id,
            expires_in=expires_in,
            token_type=token_type,
        )

        return customer_token

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentInput")


@_attrs_define
class PaymentInput:
    """
    Attributes:
        source (str): A card token, e.g. tok_visa.
        amount (int | Unset):
        capture (bool | Unset):  Default: True.
    """

    source: str
    amount: int | Unset = UNSET
    capture: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        amount = self.amount

        capture = self.capture

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "source": source,
            }
        )
        if amount is not UNSET:
            field_dict["amount"] = amount
        if capture is not UNSET:
            field_dict["capture"] = capture

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        amount = d.pop("amount", UNSET)

        capture = d.pop("capture", UNSET)

        payment_input = cls(
            source=source,
            amount=amount,
            capture=capture,
        )

        return payment_input

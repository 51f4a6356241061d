# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.refund_status import RefundStatus, check_refund_status

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Refund")


@_attrs_define
class Refund:
    """
    Attributes:
        amount (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        created_at (datetime.datetime):
        failure_code (None | str):
        id (str):
        payment_id (str):
        payment_url (str): Its payment: a path from the API's origin (since 2026-12-06).
        reason (None | str):
        status (RefundStatus):
        url (str): This refund: a path from the API's origin (since 2026-12-06).
    """

    amount: Money
    created_at: datetime.datetime
    failure_code: None | str
    id: str
    payment_id: str
    payment_url: str
    reason: None | str
    status: RefundStatus
    url: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        created_at = self.created_at.isoformat()

        failure_code: None | str
        failure_code = self.failure_code

        id = self.id

        payment_id = self.payment_id

        payment_url = self.payment_url

        reason: None | str
        reason = self.reason

        status: str = self.status

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "created_at": created_at,
                "failure_code": failure_code,
                "id": id,
                "payment_id": payment_id,
                "payment_url": payment_url,
                "reason": reason,
                "status": status,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_failure_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_code = _parse_failure_code(d.pop("failure_code"))

        id = d.pop("id")

        payment_id = d.pop("payment_id")

        payment_url = d.pop("payment_url")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        status = check_refund_status(d.pop("status"))

        url = d.pop("url")

        refund = cls(
            amount=amount,
            created_at=created_at,
            failure_code=failure_code,
            id=id,
            payment_id=payment_id,
            payment_url=payment_url,
            reason=reason,
            status=status,
            url=url,
        )

        return refund

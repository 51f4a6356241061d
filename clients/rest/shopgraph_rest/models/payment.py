# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.payment_status import PaymentStatus, check_payment_status

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="Payment")


@_attrs_define
class Payment:
    """A charge against an order; `refunded` counts refunds in progress too.

    `processing` and `capturing` while the provider is asked; `needs_review` when the
    provider's answer did not match the request (the money stays held until an operator
    has settled it).

        Attributes:
            amount (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
            captured (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
            created_at (datetime.datetime):
            failure_code (None | str):
            id (str):
            order_id (str):
            order_url (str): Its order: a path from the API's origin (since 2026-12-06).
            refunded (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
            refunds_url (str): Its refunds: a path from the API's origin (since 2026-12-06).
            source (str):
            status (PaymentStatus):
            updated_at (datetime.datetime):
            url (str): This payment: a path from the API's origin (since 2026-12-06).
    """

    amount: Money
    captured: Money
    created_at: datetime.datetime
    failure_code: None | str
    id: str
    order_id: str
    order_url: str
    refunded: Money
    refunds_url: str
    source: str
    status: PaymentStatus
    updated_at: datetime.datetime
    url: str

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        captured = self.captured.to_dict()

        created_at = self.created_at.isoformat()

        failure_code: None | str
        failure_code = self.failure_code

        id = self.id

        order_id = self.order_id

        order_url = self.order_url

        refunded = self.refunded.to_dict()

        refunds_url = self.refunds_url

        source = self.source

        status: str = self.status

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "captured": captured,
                "created_at": created_at,
                "failure_code": failure_code,
                "id": id,
                "order_id": order_id,
                "order_url": order_url,
                "refunded": refunded,
                "refunds_url": refunds_url,
                "source": source,
                "status": status,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        captured = Money.from_dict(d.pop("captured"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_failure_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_code = _parse_failure_code(d.pop("failure_code"))

        id = d.pop("id")

        order_id = d.pop("order_id")

        order_url = d.pop("order_url")

        refunded = Money.from_dict(d.pop("refunded"))

        refunds_url = d.pop("refunds_url")

        source = d.pop("source")

        status = check_payment_status(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        payment = cls(
            amount=amount,
            captured=captured,
            created_at=created_at,
            failure_code=failure_code,
            id=id,
            order_id=order_id,
            order_url=order_url,
            refunded=refunded,
            refunds_url=refunds_url,
            source=source,
            status=status,
            updated_at=updated_at,
            url=url,
        )

        return payment

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.order_status import OrderStatus, check_order_status

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.order_line import OrderLine


T = TypeVar("T", bound="Order")


@_attrs_define
class Order:
    """
    Attributes:
        created_at (datetime.datetime):
        currency (str): Deprecated since 2026-12-06, sunset 2027-06-06: every amount carries its own currency; read
            `total.currency`.
        customer_id (str):
        customer_url (str): Its customer: a path from the API's origin (since 2026-12-06).
        id (str):
        lines (list[OrderLine]):
        number (int):
        payments_url (str): Its payments: a path from the API's origin (since 2026-12-06).
        status (OrderStatus):
        subtotal (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        total (Money): An exact amount in minor units (cents) of an ISO 4217 currency.
        updated_at (datetime.datetime):
        url (str): This order: a path from the API's origin (since 2026-12-06).
    """

    created_at: datetime.datetime
    currency: str
    customer_id: str
    customer_url: str
    id: str
    lines: list[OrderLine]
    number: int
    payments_url: str
    status: OrderStatus
    subtotal: Money
    total: Money
    updated_at: datetime.datetime
    url: str

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        currency = self.currency

        customer_id = self.customer_id

        customer_url = self.customer_url

        id = self.id

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        number = self.number

        payments_url = self.payments_url

        status: str = self.status

        subtotal = self.subtotal.to_dict()

        total = self.total.to_dict()

        updated_at = self.updated_at.isoformat()

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "currency": currency,
                "customer_id": customer_id,
                "customer_url": customer_url,
                "id": id,
                "lines": lines,
                "number": number,
                "payments_url": payments_url,
                "status": status,
                "subtotal": subtotal,
                "total": total,
                "updated_at": updated_at,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.order_line import OrderLine  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        customer_id = d.pop("customer_id")

        customer_url = d.pop("customer_url")

        id = d.pop("id")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLine.from_dict(lines_item_data)

            lines.append(lines_item)

        number = d.pop("number")

        payments_url = d.pop("payments_url")

        status = check_order_status(d.pop("status"))

        subtotal = Money.from_dict(d.pop("subtotal"))

        total = Money.from_dict(d.pop("total"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        order = cls(
            created_at=created_at,
            currency=currency,
            customer_id=customer_id,
            customer_url=customer_url,
            id=id,
            lines=lines,
            number=number,
            payments_url=payments_url,
            status=status,
            subtotal=subtotal,
            total=total,
            updated_at=updated_at,
            url=url,
        )

        return order

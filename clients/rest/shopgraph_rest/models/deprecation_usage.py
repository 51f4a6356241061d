# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeprecationUsage")


@_attrs_define
class DeprecationUsage:
    """Uses of one deprecated thing by one consumer (docs/versioning.md).

    Attributes:
        consumer_id (str): Its id; `-` for anonymous callers.
        consumer_kind (str):
        days (int): Days with at least one use.
        first_seen (datetime.datetime):
        last_7_days (int):
        last_seen (datetime.datetime):
        previous_7_days (int): Uses in the 7 days before those.
        subject (str):
        uses (int):
    """

    consumer_id: str
    consumer_kind: str
    days: int
    first_seen: datetime.datetime
    last_7_days: int
    last_seen: datetime.datetime
    previous_7_days: int
    subject: str
    uses: int

    def to_dict(self) -> dict[str, Any]:
        consumer_id = self.consumer_id

        consumer_kind = self.consumer_kind

        days = self.days

        first_seen = self.first_seen.isoformat()

        last_7_days = self.last_7_days

        last_seen = self.last_seen.isoformat()

        previous_7_days = self.previous_7_days

        subject = self.subject

        uses = self.uses

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "consumer_id": consumer_id,
                "consumer_kind": consumer_kind,
                "days": days,
                "first_seen": first_seen,
                "last_7_days": last_7_days,
                "last_seen": last_seen,
                "previous_7_days": previous_7_days,
                "subject": subject,
                "uses": uses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        consumer_id = d.pop("consumer_id")

        consumer_kind = d.pop("consumer_kind")

        days = d.pop("days")

        first_seen = datetime.datetime.fromisoformat(d.pop("first_seen"))

        last_7_days = d.pop("last_7_days")

        last_seen = datetime.datetime.fromisoformat(d.pop("last_seen"))

        previous_7_days = d.pop("previous_7_days")

        subject = d.pop("subject")

        uses = d.pop("uses")

        deprecation_usage = cls(
            consumer_id=consumer_id,
            consumer_kind=consumer_kind,
            days=days,
            first_seen=first_seen,
            last_7_days=last_7_days,
            last_seen=last_seen,
            previous_7_days=previous_7_days,
            subject=subject,
            uses=uses,
        )

        return deprecation_usage

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Period")


@_attrs_define
class Period:
    """A calendar period of the report's time zone, clipped to its range.

    Attributes:
        end (datetime.datetime): Exclusive.
        label (datetime.date): Its first local day (a Monday for weeks, the 1st for months).
        start (datetime.datetime):
    """

    end: datetime.datetime
    label: datetime.date
    start: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        end = self.end.isoformat()

        label = self.label.isoformat()

        start = self.start.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "end": end,
                "label": label,
                "start": start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = datetime.datetime.fromisoformat(d.pop("end"))

        label = datetime.date.fromisoformat(d.pop("label"))

        start = datetime.datetime.fromisoformat(d.pop("start"))

        period = cls(
            end=end,
            label=label,
            start=start,
        )

        return period

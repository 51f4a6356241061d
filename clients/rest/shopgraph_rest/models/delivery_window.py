# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeliveryWindow")


@_attrs_define
class DeliveryWindow:
    """
    Attributes:
        attempts (int):
        p50_ms (int | None):
        p95_ms (int | None):
        success_rate (float | None): Share of attempts answered 2xx.
    """

    attempts: int
    p50_ms: int | None
    p95_ms: int | None
    success_rate: float | None

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        p50_ms: int | None
        p50_ms = self.p50_ms

        p95_ms: int | None
        p95_ms = self.p95_ms

        success_rate: float | None
        success_rate = self.success_rate

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempts": attempts,
                "p50_ms": p50_ms,
                "p95_ms": p95_ms,
                "success_rate": success_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        def _parse_p50_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        p50_ms = _parse_p50_ms(d.pop("p50_ms"))

        def _parse_p95_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        p95_ms = _parse_p95_ms(d.pop("p95_ms"))

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))

        delivery_window = cls(
            attempts=attempts,
            p50_ms=p50_ms,
            p95_ms=p95_ms,
            success_rate=success_rate,
        )

        return delivery_window

# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.endpoint_health_breaker import EndpointHealthBreaker, check_endpoint_health_breaker

if TYPE_CHECKING:
    from ..models.delivery_window import DeliveryWindow


T = TypeVar("T", bound="EndpointHealth")


@_attrs_define
class EndpointHealth:
    """
    Attributes:
        breaker (EndpointHealthBreaker):
        last_day (DeliveryWindow):
        last_hour (DeliveryWindow):
        queue_depth (int): Deliveries owed and not yet made.
    """

    breaker: EndpointHealthBreaker
    last_day: DeliveryWindow
    last_hour: DeliveryWindow
    queue_depth: int

    def to_dict(self) -> dict[str, Any]:
        breaker: str = self.breaker

        last_day = self.last_day.to_dict()

        last_hour = self.last_hour.to_dict()

        queue_depth = self.queue_depth

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "breaker": breaker,
                "last_day": last_day,
                "last_hour": last_hour,
                "queue_depth": queue_depth,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_window import DeliveryWindow  # noqa: PLC0415

        d = dict(src_dict)
        breaker = check_endpoint_health_breaker(d.pop("breaker"))

        last_day = DeliveryWindow.from_dict(d.pop("last_day"))

        last_hour = DeliveryWindow.from_dict(d.pop("last_hour"))

        queue_depth = d.pop("queue_depth")

        endpoint_health = cls(
            breaker=breaker,
            last_day=last_day,
            last_hour=last_hour,
            queue_depth=queue_depth,
        )

        return endpoint_health

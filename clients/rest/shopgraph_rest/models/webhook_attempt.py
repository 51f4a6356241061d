# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="WebhookAttempt")


@_attrs_define
class WebhookAttempt:
    """
    Attributes:
        attempted_at (datetime.datetime):
        error (None | str): timeout, connection_refused, connection_reset, connection, tls, refused_address, http_3xx,
            http_4xx or http_5xx; null when delivered.
        event_id (str):
        id (str):
        latency_ms (int):
        response_excerpt (None | str): The first 1,024 bytes of the answer.
        status_code (int | None): The receiver's answer; null if none came.
    """

    attempted_at: datetime.datetime
    error: None | str
    event_id: str
    id: str
    latency_ms: int
    response_excerpt: None | str
    status_code: int | None

    def to_dict(self) -> dict[str, Any]:
        attempted_at = self.attempted_at.isoformat()

        error: None | str
        error = self.error

        event_id = self.event_id

        id = self.id

        latency_ms = self.latency_ms

        response_excerpt: None | str
        response_excerpt = self.response_excerpt

        status_code: int | None
        status_code = self.status_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "attempted_at": attempted_at,
                "error": error,
                "event_id": event_id,
                "id": id,
                "latency_ms": latency_ms,
                "response_excerpt": response_excerpt,
                "status_code": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempted_at = datetime.datetime.fromisoformat(d.pop("attempted_at"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        event_id = d.pop("event_id")

        id = d.pop("id")

        latency_ms = d.pop("latency_ms")

        def _parse_response_excerpt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_excerpt = _parse_response_excerpt(d.pop("response_excerpt"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        webhook_attempt = cls(
            attempted_at=attempted_at,
            error=error,
            event_id=event_id,
            id=id,
            latency_ms=latency_ms,
            response_excerpt=response_excerpt,
            status_code=status_code,
        )

        return webhook_attempt

"""Custom scalars: 64-bit-safe money amounts and one timestamp format for both surfaces.

`Long` and `DateTime` are NewTypes (so type checkers see `int` and `datetime`); their
GraphQL behaviour is registered through `SCALARS`, Strawberry's `scalar_map`.
"""

from __future__ import annotations

from datetime import datetime
from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from ..formats import parse_timestamp, timestamp

MAX_SAFE = 2**53 - 1

Long = NewType("Long", int)
DateTime = NewType("DateTime", datetime)


def _parse_long(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_SAFE <= value <= MAX_SAFE:
        raise ValueError(f"Long must be an integer between -{MAX_SAFE} and {MAX_SAFE}")
    return value


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an RFC 3339 string")
    return parse_timestamp(value)


SCALARS: dict[object, ScalarDefinition] = {
    Long: strawberry.scalar(
        name="Long",
        serialize=int,
        parse_value=_parse_long,
        description="A 64-bit-safe integer, exact up to 2^53 - 1 (serialised as a JSON number).",
    ),
    DateTime: strawberry.scalar(
        name="DateTime",
        serialize=timestamp,
        parse_value=_parse_datetime,
        description="An RFC 3339 timestamp in UTC, e.g. 2026-11-22T01:33:48.123456Z.",
    ),
}

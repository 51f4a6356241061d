"""Wire formats both surfaces share, so REST and GraphQL print the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with microseconds and a `Z`: `2026-11-22T01:33:48.123456Z`."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # An aware UTC datetime's ISO form ends in "+00:00": swapped for "Z". Without
    # `timespec` (a fifth faster) it leaves out a zero microsecond, put back here.
    text = value.isoformat()
    return text[:-6] + "Z" if value.microsecond else text[:-6] + ".000000Z"


def parse_timestamp(text: str) -> datetime:
    """The inverse of `timestamp`; also accepts any RFC 3339 offset. Raises ValueError."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("timestamp needs a UTC offset")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first representable UTC
        raise ValueError("timestamp is outside the years 1 to 9999 in UTC") from None

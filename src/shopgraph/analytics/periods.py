"""Calendar periods (days, ISO weeks, months) of an IANA time zone, as UTC instants.

A report by day in `Europe/Paris` groups sales by the Paris calendar: a day there is 23 or
25 hours long when the clocks change, and starts at a different UTC instant in winter and
summer. The periods are computed here, once per request, from the tz database (`zoneinfo`,
with the `tzdata` package where the system has none), so both databases only ever compare
instants: a sale belongs to the period whose [start, end) holds its time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import FieldError, ValidationFailed


class Grain(Enum):
    DAY = "day"
    WEEK = "week"  # ISO weeks, Monday to Sunday
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar period, clipped to the report's range: sales at `start <= t < end`."""

    label: date  # the period's first local day (a Monday for weeks, the 1st for months)
    start: datetime
    end: datetime


def time_zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """The IANA zone called `name`; VALIDATION_FAILED naming `field` for anything else."""
    try:
        if name in _zones():
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise ValidationFailed(
        f"`{name[:64]}` is not an IANA time zone name (such as `Europe/Paris` or `UTC`).",
        errors=[FieldError(field, "INVALID", "An IANA time zone name, such as Europe/Paris.")],
    )


@cache
def _zones() -> frozenset[str]:
    """The zone names the tz database holds: read on first use (~30 ms), not at start-up."""
    return frozenset(available_timezones()) | {"UTC"}


def first_day(day: date, grain: Grain) -> date:
    """The first local day of the period holding `day`."""
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday())
    if grain is Grain.MONTH:
        return day.replace(day=1)
    return day


def next_day(first: date, grain: Grain) -> date:
    """The first local day of the period after the one starting on `first`."""
    if grain is Grain.DAY:
        return first + timedelta(days=1)
    if grain is Grain.WEEK:
        return first + timedelta(days=7)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC.

    Where the clocks skip midnight (a gap at 00:00), the day starts when the gap ends:
    `fold=0` reads a skipped local time with the offset in force before it, which maps
    00:00 to the instant of the change itself.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def periods(start: datetime, end: datetime, grain: Grain, zone: ZoneInfo) -> Iterator[Period]:
    """The periods of `zone` meeting [start, end), in order, each clipped to the range."""
    day = first_day(start.astimezone(zone).date(), grain)
    while start < end:
        following = next_day(day, grain)
        begins = local_midnight(day, zone)
        ends = local_midnight(following, zone)
        if begins >= end:
            return
        yield Period(day, max(begins, start), min(ends, end))
        day = following

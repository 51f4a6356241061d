"""Who still uses what is deprecated: every use counted per consumer, subject and day.

Counting happens in memory (a dict increment per answer that used something deprecated;
nothing at all for the others) and reaches the database in one statement per flush
(`resolvers/deprecation_usage.py`), every few seconds and when the process stops. Each
process adds its own counts to the same rows, so any number of them can count at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..auth.principal import Principal
from ..db.models import utcnow
from .deprecations import Deprecation

Key = tuple[str, str, str, str]  # day, consumer kind, consumer id, subject


@dataclass(slots=True)
class Tally:
    count: int
    first_seen: datetime
    last_seen: datetime


class UsageTally:
    """This process's uses not yet written."""

    def __init__(self) -> None:
        self._pending: dict[Key, Tally] = {}

    def note(self, principal: Principal, used: Iterable[Deprecation]) -> None:
        now = utcnow()
        day = now.date().isoformat()
        for item in used:
            key = (day, principal.kind, principal.id or "-", item.subject)
            tally = self._pending.get(key)
            if tally is None:
                self._pending[key] = Tally(1, now, now)
            else:
                tally.count += 1
                tally.last_seen = now

    def take(self) -> dict[Key, Tally]:
        """Everything noted since the last take (to be written)."""
        taken, self._pending = self._pending, {}
        return taken

    def give_back(self, taken: dict[Key, Tally]) -> None:
        """Counts a failed write could not store: kept for the next flush."""
        for key, tally in taken.items():
            mine = self._pending.get(key)
            if mine is None:
                self._pending[key] = tally
            else:
                mine.count += tally.count
                mine.first_seen = min(mine.first_seen, tally.first_seen)
                mine.last_seen = max(mine.last_seen, tally.last_seen)

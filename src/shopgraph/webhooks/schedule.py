"""When a failed delivery is tried again: exponential backoff with jitter, up to a horizon.

The delays roughly follow Stripe's and Svix's: seconds, then minutes, then hours, so a
receiver down for a deploy hears everything within a minute of coming back and one down for
a day still hears everything, within the horizon (three days by default).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

# After the 1st failure, the 2nd, ...; the last one repeats until the horizon.
DELAYS = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800)
JITTER = 0.2  # each delay is drawn from +/- 20 % of it, so retries of a burst spread out


def next_attempt(failures: int, now: datetime, rng: random.Random | None = None) -> datetime:
    """When to try again after `failures` failed attempts (1 or more)."""
    base = DELAYS[min(failures, len(DELAYS)) - 1]
    spread = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return now + timedelta(seconds=base * spread)


# The circuit breaker: this many failures in a row open it, for a pause that doubles with
# each failure after (30 s, 1 min, 2 min, ... 1 h at most); then one delivery probes it.
BREAKER_FAILURES = 5
BREAKER_PAUSES = (30, 3600)


def breaker_pause(failures: int) -> timedelta | None:
    """How long the breaker stays open after `failures` failures in a row (None: closed)."""
    if failures < BREAKER_FAILURES:
        return None
    first, longest = BREAKER_PAUSES
    return timedelta(seconds=min(first * 2 ** (failures - BREAKER_FAILURES), longest))


def given_up(created_at: datetime, next_at: datetime, horizon: timedelta) -> bool:
    """Whether a retry at `next_at` would fall past the horizon of an event made at `created_at`."""
    return next_at > created_at + horizon

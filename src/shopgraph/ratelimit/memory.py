"""Buckets in this process's memory: the embedded default (one process, no Redis)."""

from __future__ import annotations

import time
from collections.abc import Callable

from .buckets import Decision, Policy, decide, refill


class MemoryBuckets:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    async def take(self, key: str, cost: float, policy: Policy) -> Decision:
        # No await between read and write: atomic within the event loop.
        now = self._clock()
        tokens, at = self._buckets.get(key, (float(policy.capacity), now))
        tokens, decision = decide(refill(tokens, now - at, policy), cost, policy)
        self._buckets[key] = (tokens, now)
        return decision

    async def close(self) -> None:
        self._buckets.clear()

"""Token buckets: what a tier allows, what one take decided, and the backend interface.

A bucket holds at most `capacity` tokens and refills at `refill_per_second`; a request
takes its cost (1 for REST) or is refused with the time until enough has refilled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from ..errors import ServiceUnavailable


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    capacity: int
    refill_per_second: float

    @property
    def window(self) -> int:
        """Seconds an empty bucket takes to fill: the `w` of the RateLimit-Policy header."""
        return max(1, math.ceil(self.capacity / self.refill_per_second))


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    remaining: float  # tokens left after this take (or before, when refused)
    policy: Policy
    retry_after: float  # seconds until the cost could be taken; 0 when allowed

    @property
    def reset_after(self) -> int:
        """Seconds until the bucket is full again."""
        missing = self.policy.capacity - self.remaining
        return max(0, math.ceil(missing / self.policy.refill_per_second))


def refill(tokens: float, elapsed: float, policy: Policy) -> float:
    return min(float(policy.capacity), tokens + max(0.0, elapsed) * policy.refill_per_second)


def decide(tokens: float, cost: float, policy: Policy) -> tuple[float, Decision]:
    """(tokens after, decision) for taking `cost` from a bucket holding `tokens`.

    A negative cost gives tokens back (never beyond capacity)."""
    if tokens >= cost:
        left = min(float(policy.capacity), tokens - cost)
        return left, Decision(True, left, policy, 0.0)
    wait = (cost - tokens) / policy.refill_per_second
    return tokens, Decision(False, tokens, policy, wait)


def bucket_of(principal_kind: str, principal_id: str | None, client_ip: str | None) -> str:
    """One bucket per principal; anonymous callers share one per client IP.

    The bucket is the principal's public id (`key_…`, `cus_…`), not how it authenticated:
    an API key used directly and through OAuth spends from one bucket.
    """
    if principal_kind == "anonymous" or principal_id is None:
        return address_bucket(client_ip)
    return f"principal:{principal_id}"


def address_bucket(client_ip: str | None) -> str:
    """The bucket of a client address: anonymous callers, failed sign-ins, token requests."""
    return f"ip:{client_ip or 'unknown'}"


class Backend(Protocol):
    async def take(self, key: str, cost: float, policy: Policy) -> Decision: ...

    async def close(self) -> None: ...


class RateLimiter:
    """Picks the policy for a tier and the bucket for a principal."""

    def __init__(self, backend: Backend, tiers: dict[str, Policy]) -> None:
        self.backend = backend
        self.tiers = tiers

    def policy(self, tier: str) -> Policy:
        return self.tiers.get(tier) or self.tiers["anonymous"]

    async def take(self, bucket: str, tier: str, cost: float = 1) -> Decision:
        return await self.backend.take(bucket, cost, self.policy(tier))

    async def take_for_address(self, client_ip: str | None) -> Decision:
        """One token from a client address's bucket, at the anonymous tier: what a failed
        sign-in or a token request costs, so guessing credentials is as slow as browsing."""
        return await self.take(address_bucket(client_ip), "anonymous")

    async def give_back(self, bucket: str, tier: str, amount: float) -> float:
        """Return unused tokens; the tokens now available (capacity if it cannot tell)."""
        policy = self.policy(tier)
        try:
            return (await self.backend.take(bucket, -amount, policy)).remaining
        except ServiceUnavailable:  # fail-closed and no Redis: the answer stands anyway
            return float(policy.capacity)

"""A deterministic payment provider for development and tests: outcomes by card token.

| token | outcome |
| --- | --- |
| `tok_visa`, `tok_mastercard` | succeeds |
| `tok_chargeDeclined` | declined, `card_declined` |
| `tok_insufficientFunds` | declined, `insufficient_funds` |
| `tok_flaky` | fails transiently on the first attempt of each idempotency key, then succeeds |
| `tok_unavailable` | always fails transiently |
| `tok_refundUnavailable` | charges succeed; refunds fail transiently |

Idempotency keys behave as at a real provider: the same key returns the first outcome
and never charges again. State is per process, which is what a sandbox needs.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from .provider import Charge, Declined, InvalidSource, ProviderUnavailable

SUCCEEDING = frozenset({"tok_visa", "tok_mastercard", "tok_flaky", "tok_refundUnavailable"})
DECLINING = {"tok_chargeDeclined": "card_declined", "tok_insufficientFunds": "insufficient_funds"}
TOKENS = SUCCEEDING | set(DECLINING) | {"tok_unavailable"}


@dataclass
class SandboxProvider:
    name: str = "sandbox"
    latency: float = 0.0  # seconds per call, to widen race windows in tests
    charges: dict[str, int] = field(default_factory=dict)  # reference -> captured amount
    refunds: dict[str, int] = field(default_factory=dict)  # reference -> refunded amount
    _outcomes: dict[str, Charge | Declined | str] = field(default_factory=dict)
    _attempts: dict[str, int] = field(default_factory=dict)
    _sources: dict[str, str] = field(default_factory=dict)  # charge reference -> token
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def check_source(self, source: str) -> None:
        if source not in TOKENS:
            raise InvalidSource(source)

    async def _call(self, key: str, source: str, always_fails: bool = False) -> None:
        if self.latency:
            await asyncio.sleep(self.latency)
        attempt = self._attempts[key] = self._attempts.get(key, 0) + 1
        if always_fails or (source == "tok_flaky" and attempt == 1):
            raise ProviderUnavailable(f"sandbox: {source} attempt {attempt} failed")

    async def charge(
        self, *, amount: int, currency: str, source: str, capture: bool, key: str
    ) -> Charge:
        self.check_source(source)
        previous = self._outcomes.get(key)
        if isinstance(previous, Charge):
            return previous
        if isinstance(previous, Declined):
            raise previous
        await self._call(key, source, always_fails=source == "tok_unavailable")
        if source in DECLINING:
            declined = Declined(DECLINING[source])
            self._outcomes[key] = declined
            raise declined
        reference = f"ch_sandbox_{next(self._ids)}"
        self._sources[reference] = source
        if capture:
            self.charges[reference] = amount
        outcome = Charge(reference, "succeeded" if capture else "authorized")
        self._outcomes[key] = outcome
        return outcome

    async def capture(self, *, reference: str, amount: int, key: str) -> None:
        if key in self._outcomes:
            return
        await self._call(key, self._sources.get(reference, ""))
        self.charges[reference] = amount
        self._outcomes[key] = reference

    async def refund(self, *, reference: str, amount: int, key: str) -> str:
        previous = self._outcomes.get(key)
        if isinstance(previous, str):
            return previous
        source = self._sources.get(reference, "")
        await self._call(key, source, always_fails=source == "tok_refundUnavailable")
        refund_reference = f"re_sandbox_{next(self._ids)}"
        self.refunds[refund_reference] = amount
        self._outcomes[key] = refund_reference
        return refund_reference

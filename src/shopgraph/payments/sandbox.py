"""A deterministic payment provider for development and tests: outcomes by card token.

| token | outcome |
| --- | --- |
| `tok_visa`, `tok_mastercard` | succeeds |
| `tok_chargeDeclined` | declined, `card_declined` |
| `tok_insufficientFunds` | declined, `insufficient_funds` |
| `tok_flaky` | fails transiently on the first attempt of each idempotency key, then succeeds |
| `tok_unavailable` | always fails transiently |
| `tok_refundUnavailable` | charges succeed; refunds fail transiently |

It behaves like a real provider where that matters for money: an idempotency key repeated
with the same parameters gets the first outcome and never charges again; repeated with
other parameters it is refused; captures and refunds are checked against what the charge
holds; and `lookup` tells what happened under a key. Its books are a table in the server's
database (`sandbox_calls`), so every server process talks to one provider.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db.engine import Database
from ..db.models import sandbox_calls, utcnow
from .provider import (
    Capture,
    Charge,
    Declined,
    InvalidSource,
    Outcome,
    ProviderRefund,
    ProviderUnavailable,
    Refused,
)

SUCCEEDING = frozenset({"tok_visa", "tok_mastercard", "tok_flaky", "tok_refundUnavailable"})
DECLINING = {"tok_chargeDeclined": "card_declined", "tok_insufficientFunds": "insufficient_funds"}
TOKENS = SUCCEEDING | set(DECLINING) | {"tok_unavailable"}
PREFIXES = {"charge": "ch", "capture": "cap", "refund": "re"}


@dataclass(frozen=True, slots=True)
class _Decision:
    """What one attempt under a key comes to: an outcome, a refusal, or a transient failure."""

    outcome: str | None = None
    decline_code: str | None = None
    refused: str | None = None

    @property
    def transient(self) -> bool:
        return self.outcome is None and self.refused is None


class SandboxProvider:
    name = "sandbox"

    def __init__(self, database: Database, *, latency: float = 0.0) -> None:
        self.database = database
        self.latency = latency  # seconds per call, to widen race windows in tests

    def check_source(self, source: str) -> None:
        if source not in TOKENS:
            raise InvalidSource(source)

    async def charge(
        self, *, amount: int, currency: str, source: str, capture: bool, key: str
    ) -> Charge:
        self.check_source(source)

        async def decide(_db: AsyncConnection, attempt: int) -> _Decision:
            if source == "tok_unavailable" or (source == "tok_flaky" and attempt == 1):
                return _Decision()
            if source in DECLINING:
                return _Decision("declined", DECLINING[source])
            return _Decision("succeeded" if capture else "authorized")

        params = {"amount": amount, "currency": currency, "source": source, "capture": capture}
        row = await self._call(key, "charge", params, decide)
        outcome = _outcome(row)
        if isinstance(outcome, Declined):
            raise outcome
        assert isinstance(outcome, Charge)
        return outcome

    async def capture(self, *, reference: str, amount: int, currency: str, key: str) -> Capture:
        async def decide(db: AsyncConnection, _attempt: int) -> _Decision:
            charge = await _charge(db, reference)
            if charge is None or charge.outcome != "authorized" or charge.currency != currency:
                return _Decision(refused="not_capturable")
            if amount > charge.amount or await _captured_by(db, reference):
                return _Decision(refused="amount_too_large")
            return _Decision("captured")

        params = {"amount": amount, "currency": currency, "target": reference}
        result = _outcome(await self._call(key, "capture", params, decide))
        assert isinstance(result, Capture)
        return result

    async def refund(
        self, *, reference: str, amount: int, currency: str, key: str
    ) -> ProviderRefund:
        async def decide(db: AsyncConnection, _attempt: int) -> _Decision:
            charge = await _charge(db, reference)
            if charge is None or charge.currency != currency:
                return _Decision(refused="no_such_charge")
            if charge.source == "tok_refundUnavailable":
                return _Decision()
            captured = charge.amount if charge.outcome == "succeeded" else 0
            captured += await _captured_by(db, reference)
            if amount > captured - await _refunded_from(db, reference):
                return _Decision(refused="amount_too_large")
            return _Decision("refunded")

        params = {"amount": amount, "currency": currency, "target": reference}
        result = _outcome(await self._call(key, "refund", params, decide))
        assert isinstance(result, ProviderRefund)
        return result

    async def lookup(self, key: str) -> Outcome | None:
        async with self.database.connect() as db:
            row = (
                await db.execute(select(sandbox_calls).where(sandbox_calls.c.key == key))
            ).first()
        if row is None or row.outcome is None:
            return None
        return _outcome(row)

    async def _call(self, key: str, operation: str, params: dict[str, Any], decide: Any) -> Any:
        """One attempt under `key`: the first outcome if there is one, else a new decision.

        The latency is spent half on the way there and half on the way back, so a request
        stopped mid-call may find the charge made or not, as with a real provider.
        """
        await asyncio.sleep(self.latency / 2)
        for _ in range(3):
            try:
                row, decision = await self._attempt(key, operation, params, decide)
            except IntegrityError:
                continue  # another process inserted the key first: read its row
            await asyncio.sleep(self.latency / 2)
            if decision is not None and decision.refused is not None:
                raise Refused(decision.refused)
            if decision is not None and decision.transient:
                raise ProviderUnavailable(f"sandbox: {operation} attempt {row.attempts} failed")
            return row
        raise ProviderUnavailable("sandbox: key contended")

    async def _attempt(
        self, key: str, operation: str, params: dict[str, Any], decide: Any
    ) -> tuple[Any, _Decision | None]:
        async with self.database.transaction() as db:
            row = (
                await db.execute(
                    select(sandbox_calls).where(sandbox_calls.c.key == key).with_for_update()
                )
            ).first()
            if row is None:
                await db.execute(
                    insert(sandbox_calls).values(
                        key=key, operation=operation, attempts=0, created_at=utcnow(), **params
                    )
                )
                row = (
                    await db.execute(
                        select(sandbox_calls).where(sandbox_calls.c.key == key).with_for_update()
                    )
                ).one()
            asked = {"operation": operation, **params}
            if any(getattr(row, name) != value for name, value in asked.items()):
                return row, _Decision(refused="idempotency_key_reused")
            if row.outcome is not None:
                return row, None
            decision: _Decision = await decide(db, row.attempts + 1)
            values: dict[str, Any] = {"attempts": row.attempts + 1}
            if decision.outcome is not None:
                values.update(
                    outcome=decision.outcome,
                    decline_code=decision.decline_code,
                    reference=None
                    if decision.outcome == "declined"
                    else f"{PREFIXES[operation]}_sandbox_{row.id}",
                )
            row = (
                await db.execute(
                    update(sandbox_calls)
                    .where(sandbox_calls.c.id == row.id)
                    .values(**values)
                    .returning(*sandbox_calls.c)
                )
            ).one()
            return row, decision


async def _charge(db: AsyncConnection, reference: str) -> Any:
    query = select(sandbox_calls).where(
        sandbox_calls.c.reference == reference, sandbox_calls.c.operation == "charge"
    )
    return (await db.execute(query)).first()


async def _sum(db: AsyncConnection, operation: str, outcome: str, reference: str) -> int:
    query = select(func.coalesce(func.sum(sandbox_calls.c.amount), 0)).where(
        sandbox_calls.c.target == reference,
        sandbox_calls.c.operation == operation,
        sandbox_calls.c.outcome == outcome,
    )
    return int((await db.execute(query)).scalar_one())


async def _captured_by(db: AsyncConnection, reference: str) -> int:
    return await _sum(db, "capture", "captured", reference)


async def _refunded_from(db: AsyncConnection, reference: str) -> int:
    return await _sum(db, "refund", "refunded", reference)


def _outcome(row: Any) -> Outcome:
    if row.outcome == "declined":
        return Declined(row.decline_code)
    if row.operation == "charge":
        return Charge(row.reference, row.outcome, row.amount, row.currency)
    if row.operation == "capture":
        return Capture(row.reference, row.amount)
    return ProviderRefund(row.reference, row.amount, row.currency)

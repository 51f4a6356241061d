"""Idempotency keys with Stripe's semantics: one key is one operation by one principal.

A key belongs to the caller (whichever surface carries it, REST's `Idempotency-Key` or
GraphQL's `idempotencyKey`) and names one operation with its parameters: sent again with
the same parameters it gets the first outcome, with other parameters
IDEMPOTENCY_KEY_REUSED.

How a keyed write runs (`run_once`):
1. Claim: a short transaction inserts the key `in_flight` with a lease. A duplicate that
   arrives during the lease is CONFLICT; a key whose lease ran out (its request crashed
   or hung) is taken over by the retry.
2. Work: the write itself marks the key `done` with its outcome in the SAME transaction
   that commits the change (`Claim.complete`). So a committed write is always answered
   for, and never run again; a write that did not commit left the key in flight, and the
   next attempt runs it cleanly. Work that spans transactions (a payment: booked, then the
   provider asked, then recorded) names what it started (`Claim.checkpoint`), so a retry
   that takes over resumes it instead of starting a second one.
3. Expected failures (not enough stock, a declined card, a refused transition) are kept as
   the outcome, as Stripe keeps them; invalid input and refused credentials are not (the
   key is released for a corrected request); unexpected failures end the lease at once so
   a retry can take over, keeping what was started.

A claim never outlives its lease, the lease outlives the longest call the work makes, and
no step holds two pool connections (every transaction goes through `ctx.transaction`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import orjson
import structlog
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ..context import RequestContext
from ..db.engine import Database
from ..db.models import idempotency_keys, utcnow
from ..errors import (
    Conflict,
    FieldError,
    Forbidden,
    IdempotencyKeyReused,
    InProgress,
    PaymentProviderError,
    ShopgraphError,
    Unauthenticated,
    ValidationFailed,
    to_problem,
)
from .outcome import Outcome, Written

T = TypeVar("T")
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
log = structlog.get_logger("shopgraph.idempotency")


class LeaseLost(Exception):
    """Another request took this key over: this attempt's transaction must not commit."""


@dataclass(slots=True)
class Claim:
    """A key this request holds until its lease ends, and what an attempt had started.

    A write without a key runs with an empty claim, whose methods do nothing, so the write
    path is the same code with and without a key.
    """

    ctx: RequestContext
    key: str | None = None
    row_id: int | None = None
    token: str | None = None
    recovery_point: str | None = None
    outcome: Outcome | None = field(default=None)

    async def checkpoint(self, db: AsyncConnection, point: str) -> None:
        """Name what this attempt started (`payment:12`), in the transaction that starts it."""
        if self.row_id is None:
            return
        await self._update(db, recovery_point=point)
        self.recovery_point = point

    async def complete(
        self,
        db: AsyncConnection,
        resource: dict[str, Any] | None = None,
        *,
        error: ShopgraphError | None = None,
        status: int = 201,
    ) -> None:
        """Mark the key done with this outcome, in the transaction that made it."""
        if self.row_id is None:
            return
        outcome = Outcome(
            error.status if error is not None else status,
            resource,
            to_problem(error) if error is not None else None,
            self.ctx.request_id,
        )
        await self._update(
            db,
            state="done",
            status_code=outcome.status,
            response=outcome.to_json(),
            lease_token=None,
            lease_expires_at=None,
        )
        self.outcome = outcome

    async def _update(self, db: AsyncConnection, **values: Any) -> None:
        result = await db.execute(
            update(idempotency_keys)
            .where(
                idempotency_keys.c.id == self.row_id,
                idempotency_keys.c.state == "in_flight",
                idempotency_keys.c.lease_token == self.token,
            )
            .values(**values)
        )
        if result.rowcount != 1:
            raise LeaseLost(self.key)

    async def keep_error(self, error: ShopgraphError) -> None:
        """Keep an expected failure as the key's outcome (unless the work already did)."""
        if self.row_id is None or self.outcome is not None:
            return
        try:
            async with self.ctx.transaction() as db:
                await self.complete(db, error=error)
        except LeaseLost:
            pass  # taken over meanwhile: the new holder decides the outcome

    async def release(self) -> None:
        """End the lease now: forget the key if nothing was started, else keep what was."""
        if self.row_id is None or self.outcome is not None:
            return
        mine = (
            (idempotency_keys.c.id == self.row_id)
            & (idempotency_keys.c.state == "in_flight")
            & (idempotency_keys.c.lease_token == self.token)
        )
        try:
            async with self.ctx.transaction() as db:
                if self.recovery_point is None:
                    await db.execute(delete(idempotency_keys).where(mine))
                else:
                    await db.execute(
                        update(idempotency_keys).where(mine).values(lease_expires_at=utcnow())
                    )
        except Exception:  # the lease runs out by itself; the original error matters more
            log.warning("idempotency.release_failed", key=self.key, exc_info=True)


def check_key(key: str, field: str = "idempotency_key") -> str:
    """A key is 1-255 printable ASCII characters, like Stripe's."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationFailed(
            f"`{field}` must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            errors=[FieldError(field, "INVALID", "Not a valid idempotency key.")],
        )
    return key


def scope_of(ctx: RequestContext) -> str:
    """Whose keys these are: the principal, however it authenticated and on any surface."""
    return ctx.principal.id or "anonymous"


def fingerprint(operation: str, params: Mapping[str, Any]) -> str:
    """The operation and its validated parameters, so equal requests hash equal."""
    canonical = orjson.dumps([operation, params], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def _kept(error: ShopgraphError) -> bool:
    """Whether an error is the operation's outcome, or a request the client should redo."""
    refused = ValidationFailed | Unauthenticated | Forbidden | IdempotencyKeyReused | InProgress
    if isinstance(error, refused):
        return False
    return error.status < 500 or isinstance(error, PaymentProviderError)


async def run_once(
    ctx: RequestContext,
    key: str | None,
    operation: str,
    params: Mapping[str, Any],
    work: Callable[[Claim], Awaitable[T]],
) -> Written[T]:
    """Run `work` at most once per caller and key; replay its outcome to every retry.

    `work` must `complete` the claim in the transaction that commits its change.
    """
    if key is None:
        return Written(await work(Claim(ctx)))
    check_key(key)
    claimed = await _claim(ctx, key, fingerprint(operation, params))
    if isinstance(claimed, Outcome):
        return Written(None, claimed, replayed=True)
    try:
        made = await work(claimed)
    except LeaseLost:
        stored = await _stored_outcome(ctx, claimed)
        if stored is None:
            raise _in_progress(key) from None
        return Written(None, stored, replayed=True)
    except ShopgraphError as error:
        if _kept(error):
            await claimed.keep_error(error)
        else:
            await claimed.release()
        raise
    except BaseException:
        await claimed.release()
        raise
    if claimed.outcome is None:  # a bug in `work`; never leave the key in flight for it
        await claimed.release()
        raise RuntimeError(f"{operation} did not complete its idempotency key")
    return Written(made, claimed.outcome)


def _in_progress(key: str) -> InProgress:
    return InProgress(
        "A request with this idempotency key is still being processed; retry later.",
        extra={"idempotency_key": key},
    )


async def _claim(ctx: RequestContext, key: str, print_: str) -> Claim | Outcome:
    """Claim the key; or return its stored outcome; or raise why it cannot be used now."""
    scope = scope_of(ctx)
    lease = timedelta(seconds=ctx.settings.write_lease_seconds)
    for _ in range(3):
        now = utcnow()
        token = uuid.uuid4().hex
        try:
            async with ctx.transaction() as db:
                row_id = (
                    await db.execute(
                        insert(idempotency_keys)
                        .values(
                            scope=scope,
                            key=key,
                            fingerprint=print_,
                            state="in_flight",
                            lease_token=token,
                            lease_expires_at=now + lease,
                            created_at=now,
                            expires_at=now + TTL,
                        )
                        .returning(idempotency_keys.c.id)
                    )
                ).scalar_one()
            return Claim(ctx, key, row_id, token)
        except IntegrityError:
            pass
        async with ctx.transaction() as db:
            row = (
                await db.execute(
                    select(idempotency_keys).where(
                        idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
                    )
                )
            ).first()
            if row is None:
                continue  # released meanwhile: claim again
            if row.expires_at <= now:
                await db.execute(delete(idempotency_keys).where(idempotency_keys.c.id == row.id))
                continue
            if row.fingerprint != print_:
                raise IdempotencyKeyReused(
                    "This idempotency key was used with different parameters.",
                    errors=[
                        FieldError(
                            None, "IDEMPOTENCY_KEY_REUSED", "Use a new key for a new request."
                        )
                    ],
                )
            if row.state == "done":
                return Outcome.from_json(row.response)
            if _held(row.lease_expires_at, now):
                raise _in_progress(key)
            # Its holder's lease ran out: take the key over, with what it had started.
            taken = await db.execute(
                update(idempotency_keys)
                .where(
                    idempotency_keys.c.id == row.id,
                    idempotency_keys.c.state == "in_flight",
                    idempotency_keys.c.lease_token == row.lease_token,
                )
                .values(lease_token=token, lease_expires_at=now + lease)
            )
            if taken.rowcount == 1:
                log.info("idempotency.lease_taken_over", key=key, recovery=row.recovery_point)
                return Claim(ctx, key, row.id, token, row.recovery_point)
    raise Conflict("This idempotency key is contended; retry later.")


def _held(lease_expires_at: datetime | None, now: datetime) -> bool:
    return lease_expires_at is not None and lease_expires_at > now


async def _stored_outcome(ctx: RequestContext, claim: Claim) -> Outcome | None:
    async with ctx.transaction() as db:
        row = (
            await db.execute(
                select(idempotency_keys.c.state, idempotency_keys.c.response).where(
                    idempotency_keys.c.id == claim.row_id
                )
            )
        ).first()
    if row is None or row.state != "done":
        return None
    return Outcome.from_json(row.response)


async def purge_expired(database: Database) -> int:
    """Delete keys past their 24 hours; returns how many."""
    async with database.transaction() as db:
        result = await db.execute(
            delete(idempotency_keys)
            .where(idempotency_keys.c.expires_at <= utcnow())
            .returning(idempotency_keys.c.id)
        )
        return len(result.all())

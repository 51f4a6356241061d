"""Asking the payment provider about a payment or refund in flight, under its lease.

Each call is made by the holder of the row's lease (`leases.py`), renewed right before
it, and times out at half the lease. When the provider gives no answer in time, it is
asked what it did under the row's key (`lookup`). A request stopped mid-call (its client
went away, its worker is shutting down) ends its lease on the way out, so a retry with
the same key can take the row at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from ..context import RequestContext
from ..errors import ProviderUnavailableError, ShopgraphError
from ..payments import Declined, ProviderUnavailable, Refused
from .idempotency import Claim
from .leases import IN_FLIGHT, Lease, end, renew, taken_over
from .retry import retrying

T = TypeVar("T")


async def ask_provider(ctx: RequestContext, call: Callable[[], Awaitable[T]]) -> tuple[bool, Any]:
    """(True, its answer or refusal), or (False, None) when the provider gave no answer in
    time. The time is half the lease, so the lease outlives every call made under it."""
    try:
        async with asyncio.timeout(ctx.settings.write_lease_seconds / 2):
            return True, await call()
    except (Declined, Refused) as refusal:
        return True, refusal
    except (ProviderUnavailable, TimeoutError):
        return False, None


async def keep(ctx: RequestContext, lease: Lease, what: str) -> None:
    """Renew the lease before a call; IN_PROGRESS if another party has taken the row."""
    async with ctx.transaction() as db:
        if not await renew(db, lease):
            raise taken_over(what)


async def let_go(ctx: RequestContext, lease: Lease) -> None:
    async with ctx.transaction() as db:
        await end(db, lease)


async def ask_under_lease(
    ctx: RequestContext,
    lease: Lease,
    what: str,
    call: Callable[[], Awaitable[Any]],
    lookup: Callable[[], Awaitable[Any]],
) -> tuple[bool, Any]:
    """`call`, or failing an answer `lookup`, each under a freshly renewed lease."""
    try:
        await keep(ctx, lease, what)
        answered, outcome = await ask_provider(ctx, call)
        if not answered:
            await keep(ctx, lease, what)
            answered, outcome = await ask_provider(ctx, lookup)
    except asyncio.CancelledError:
        await let_go(ctx, lease)
        raise
    return answered, outcome


async def outcome_for(
    ctx: RequestContext,
    lease: Lease,
    what: str,
    claim: Claim,
    call: Callable[[], Awaitable[Any]],
    lookup: Callable[[], Awaitable[Any]],
) -> Any:
    """What the provider did for a booked write, asked under its lease.

    Not known, or not done while a retry under the caller's key may go on with it: the row
    stays in flight, its lease ended, and the caller is told to retry with its key, rather
    than failing a write the provider may yet make.
    """
    answered, outcome = await ask_under_lease(ctx, lease, what, call, lookup)
    if not answered or (outcome is None and claim.key is not None):
        await let_go(ctx, lease)
        raise ProviderUnavailableError(
            "The payment provider did not answer; retry with the same idempotency key."
        )
    return outcome


async def settled(
    ctx: RequestContext,
    claim: Claim,
    what: str,
    settle: Callable[[AsyncConnection], Awaitable[Any]],
    error_of: Callable[[Any], ShopgraphError | None],
    resource_of: Callable[[AsyncConnection, Any], Awaitable[dict[str, Any]]],
) -> Any:
    """Settle a row and complete the caller's key with the answer, in one transaction;
    raise the answer's error, or return the row."""

    async def attempt() -> tuple[Any, ShopgraphError | None]:
        async with ctx.transaction() as db:
            row = await settle(db)
            if row.status in IN_FLIGHT:
                raise taken_over(what)  # another party holds it now and will settle it
            error = error_of(row)
            if error is None:
                await claim.complete(db, await resource_of(db, row))
            elif not isinstance(error, ProviderUnavailableError):
                await claim.complete(db, error=error)
            return row, error

    row, error = await retrying(attempt)
    if error is not None:
        raise error
    return row

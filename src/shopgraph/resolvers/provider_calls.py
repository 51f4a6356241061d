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

from ..context import RequestContext
from ..payments import Declined, ProviderUnavailable, Refused
from .leases import Lease, end, renew, taken_over

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

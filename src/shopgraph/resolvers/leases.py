"""Leases on payments and refunds in flight: who may ask the provider about a row, now.

Whoever asks the payment provider about a row in flight (`processing`, `capturing`) holds
its lease: a token and an expiry written on the row by a transaction that has it locked.
The request that booked the row holds it first; after its expiry a retry with the same
idempotency key, or reconciliation, may take it. The holder renews the lease right before
each provider call and gives up if the lease was taken meanwhile; each call times out at
half the lease, so a lease never runs out while its holder is still asking. Only the
holder settles the row (`settlement.py`). So no two parties ever ask about one row at
once, and "the provider has no record of it" can never race a charge still in flight.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db.models import utcnow
from ..errors import InProgress

IN_FLIGHT = ("processing", "capturing")


@dataclass(frozen=True, slots=True)
class Lease:
    """A lease held on one row of `table` (payments or refunds)."""

    table: Table
    pk: int
    token: str
    seconds: float


def lease_values(seconds: float) -> tuple[str, dict[str, Any]]:
    """A new lease token, and the column values that take the lease from now (written by a
    transaction that has the row locked, or is inserting it)."""
    token = uuid.uuid4().hex
    return token, {
        "lease_token": token,
        "lease_expires_at": utcnow() + timedelta(seconds=seconds),
    }


def held_by_someone(row: Any, now: datetime | None = None) -> bool:
    """Whether a row in flight is under a live lease (someone may be asking the provider)."""
    expires = row.lease_expires_at
    return row.status in IN_FLIGHT and expires is not None and expires > (now or utcnow())


async def renew(db: AsyncConnection, lease: Lease) -> bool:
    """Extend the lease from now; False if it is no longer ours."""
    table = lease.table
    result = await db.execute(
        update(table)
        .where(
            table.c.id == lease.pk,
            table.c.lease_token == lease.token,
            table.c.status.in_(IN_FLIGHT),
        )
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease.seconds))
    )
    return result.rowcount == 1


async def end(db: AsyncConnection, lease: Lease) -> None:
    """Let the lease run out now: the next retry or reconciliation round may take the row."""
    table = lease.table
    await db.execute(
        update(table)
        .where(table.c.id == lease.pk, table.c.lease_token == lease.token)
        .values(lease_expires_at=utcnow())
    )


def taken_over(what: str) -> InProgress:
    return InProgress(f"This {what} is being processed by another request; retry shortly.")

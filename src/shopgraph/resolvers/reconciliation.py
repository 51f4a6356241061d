"""Settle payments and refunds whose request stopped before the provider's answer was booked.

A process killed mid-payment, a request cancelled by its client, a database that went
away between the provider's answer and the booking: each leaves a row in flight
(`processing`, or `capturing`) whose lease runs out. Every server process runs
`reconcile` at start-up and then every `SHOPGRAPH_RECONCILE_EVERY_SECONDS`: it claims
such rows (`FOR UPDATE SKIP LOCKED`, so processes never pick the same row) under a lease
of its own (`leases.py`), renews that lease as it reaches each row, asks the provider what
it did under the row's idempotency key, and settles the row with that answer
(`settlement.py`). A provider that cannot tell yet is asked again next round.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids
from ..context import Services
from ..db.models import audit_events, payments, refunds, utcnow
from ..payments import Outcome, ProviderUnavailable
from .leases import Lease, renew
from .settlement import (
    PAYMENT_STATE,
    REFUND_STATE,
    capture_key,
    settle_capture,
    settle_charge,
    settle_refund,
)

log = structlog.get_logger("shopgraph.reconciliation")
ACTOR = "system:reconciliation"
BATCH = 100


@dataclass(frozen=True, slots=True)
class Reconciled:
    """How many rows a round settled, and how many the provider could not tell about."""

    payments: int = 0
    refunds: int = 0
    unknown: int = 0


async def _claim(
    services: Services, table: Any, columns: Any, statuses: tuple[str, ...], now: datetime
) -> tuple[list[Any], str]:
    """Rows in flight whose lease ran out, leased to this round (its token)."""
    lease = timedelta(seconds=services.settings.write_lease_seconds)
    token = uuid.uuid4().hex
    async with services.database.transaction() as db:
        due = (
            select(table.c.id)
            .where(
                table.c.status.in_(statuses),
                # No lease at all: booked before leases existed (migration 0005).
                or_(table.c.lease_expires_at < now, table.c.lease_expires_at.is_(None)),
            )
            .order_by(table.c.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
        pks = [row[0] for row in await db.execute(due)]
        if not pks:
            return [], token
        result = await db.execute(
            update(table)
            .where(table.c.id.in_(pks))
            .values(lease_expires_at=now + lease, lease_token=token)
            .returning(*columns)
        )
        return list(result.all()), token


async def _audit(db: AsyncConnection, kind: str, pk: int, status: str) -> None:
    await db.execute(
        insert(audit_events).values(
            occurred_at=utcnow(),
            principal_kind="system",
            principal_id="reconciliation",
            action=f"{kind.lower()}.reconcile",
            resource_type=kind,
            resource_ids=ids.encode(kind, pk),
            request_id=f"reconcile:{status}",
            client_ip=None,
        )
    )


async def _lookup(services: Services, key: str | None) -> tuple[bool, Outcome | None]:
    """(True, what the provider did under `key`), or (False, None) if it cannot tell now."""
    if key is None:
        return False, None
    try:
        async with asyncio.timeout(services.settings.write_lease_seconds / 2):
            return True, await services.payment_provider.lookup(key)
    except (ProviderUnavailable, TimeoutError):
        return False, None


async def _kept(services: Services, lease: Lease) -> bool:
    """Renew this round's lease on a row right before asking about it."""
    async with services.database.transaction() as db:
        return await renew(db, lease)


async def _unaskable(services: Services, table: Any, pk: int) -> None:
    """A row booked before provider keys existed: only a person can settle it."""
    async with services.database.transaction() as db:
        await db.execute(
            update(table)
            .where(table.c.id == pk)
            .values(status="needs_review", failure_code="no_provider_key", updated_at=utcnow())
        )


async def reconcile(services: Services, *, now: datetime | None = None) -> Reconciled:
    """One round: settle what the provider can tell about; safe in any number of processes."""
    now = now or utcnow()
    settled_payments = settled_refunds = unknown = 0
    seconds = services.settings.write_lease_seconds
    claimed, token = await _claim(
        services, payments, PAYMENT_STATE, ("processing", "capturing"), now
    )
    for payment in claimed:
        capturing = payment.status == "capturing"
        if payment.provider_key is None:
            await _unaskable(services, payments, payment.id)
            continue
        if not await _kept(services, Lease(payments, payment.id, token, seconds)):
            continue  # a slow round: a retry took the row meanwhile
        known, outcome = await _lookup(
            services, capture_key(payment) if capturing else payment.provider_key
        )
        if not known:
            unknown += 1
            continue
        async with services.database.transaction() as db:
            settle = settle_capture if capturing else settle_charge
            row = await settle(db, payment, outcome, token, request_id=None)
            await _audit(db, "Payment", row.id, row.status)
        log.warning("reconciliation.payment_settled", payment=row.id, status=row.status)
        settled_payments += 1
    claimed, token = await _claim(services, refunds, REFUND_STATE, ("processing",), now)
    for refund in claimed:
        if refund.provider_key is None:
            await _unaskable(services, refunds, refund.id)
            continue
        if not await _kept(services, Lease(refunds, refund.id, token, seconds)):
            continue
        known, outcome = await _lookup(services, refund.provider_key)
        if not known:
            unknown += 1
            continue
        async with services.database.transaction() as db:
            row = await settle_refund(db, refund, outcome, token, ACTOR, request_id=None)
            await _audit(db, "Refund", row.id, row.status)
        log.warning("reconciliation.refund_settled", refund=row.id, status=row.status)
        settled_refunds += 1
    return Reconciled(settled_payments, settled_refunds, unknown)

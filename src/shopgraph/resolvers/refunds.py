"""Refunding captured payments: never more than was captured, however many at once.

The same three steps as a charge (`payments.py`): book the refund `processing` under a
lock on the payment, its amount counted at once in the payment's `refunded_amount`; ask
the provider; settle. A refund the provider did not make gives its amount back.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry, representations
from ..auth.principal import authorize_staff
from ..context import RequestContext
from ..db.models import payments, refunds, utcnow
from ..errors import Conflict, FieldError, ValidationFailed
from ..records import Refund
from .audit_trail import record as audit
from .common import key_of
from .emitting import refund_event
from .idempotency import Claim, run_once
from .inputs import MAX_AMOUNT, Input, parse
from .inventory import actor_of
from .leases import Lease, held_by_someone, lease_values, taken_over
from .outcome import Written
from .provider_calls import outcome_for, settled
from .retry import retrying
from .settlement import (
    NOT_REFUNDED,
    REFUND_STATE,
    lock_payment,
    lock_refund,
    refund_error,
    set_payment,
    set_refund,
    settle_refund,
)


class RefundInput(Input):
    amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)
    reason: str | None = Field(default=None, max_length=200)


async def refund_payment(
    ctx: RequestContext, payment_id: str, data: dict[str, Any], *, key: str | None = None
) -> Written[Refund]:
    """Refund part or all of what a payment captured (default: all that is left)."""
    authorize_staff(ctx.principal, "payments:write")
    request = parse(RefundInput, data)
    pk = key_of("Payment", payment_id)
    params = {"payment_id": payment_id, **request.model_dump()}

    async def work(claim: Claim) -> Refund:
        resumed = await _resume(ctx, claim)
        if resumed is None:
            resumed = await retrying(lambda: _book(ctx, payment_id, pk, request, claim))
        return await _refund(ctx, *resumed, claim)

    return await run_once(ctx, key, "refund_payment", params, work)


async def _resume(ctx: RequestContext, claim: Claim) -> tuple[Any, Lease | None] | None:
    """The refund an earlier attempt under this key booked, with its lease if it is to be
    asked about again; None if there is none."""
    if claim.recovery_point is None:
        return None
    pk = int(claim.recovery_point.removeprefix("refund:"))
    seconds = ctx.settings.write_lease_seconds
    async with ctx.transaction() as db:
        owner = select(refunds.c.payment_id).where(refunds.c.id == pk)
        payment = await lock_payment(db, (await db.execute(owner)).scalar_one())
        row = await lock_refund(db, pk)
        if row.status == "processing":
            if held_by_someone(row):
                raise taken_over("refund")
            token, values = lease_values(seconds)
            return await set_refund(db, pk, **values), Lease(refunds, pk, token, seconds)
        if row.status == "failed" and row.failure_code == NOT_REFUNDED:
            # Never refunded: go on with this refund and its provider key, so a refund the
            # provider made after all is found under the key, never made a second time.
            if payment.captured_amount - payment.refunded_amount < row.amount:
                raise Conflict("What this payment captured is now refunded by other refunds.")
            await set_payment(
                db, payment.id, refunded_amount=payments.c.refunded_amount + row.amount
            )
            token, values = lease_values(seconds)
            row = await set_refund(db, pk, status="processing", failure_code=None, **values)
            return row, Lease(refunds, pk, token, seconds)
        return row, None


async def _book(
    ctx: RequestContext, payment_id: str, pk: int, request: RefundInput, claim: Claim
) -> tuple[Any, Lease]:
    seconds = ctx.settings.write_lease_seconds
    async with ctx.transaction() as db:
        payment = await lock_payment(db, pk)
        if payment.status != "succeeded":
            raise Conflict(
                f"Payment `{payment_id}` is {payment.status}; only captured money refunds.",
                extra={"current_status": payment.status},
            )
        refundable = payment.captured_amount - payment.refunded_amount
        if refundable <= 0:
            raise Conflict("Everything this payment captured is refunded or being refunded.")
        amount = refundable if request.amount is None else request.amount
        if amount > refundable:
            raise ValidationFailed(
                f"At most {refundable} can still be refunded from this payment.",
                errors=[FieldError("amount", "OUT_OF_RANGE", f"At most {refundable}.")],
            )
        await set_payment(db, pk, refunded_amount=payments.c.refunded_amount + amount)
        now = utcnow()
        token, lease = lease_values(seconds)
        refund = (
            await db.execute(
                insert(refunds)
                .values(
                    payment_id=pk,
                    status="processing",
                    amount=amount,
                    currency=payment.currency,
                    reason=request.reason,
                    provider_key=f"refund:{amount}{payment.currency}:{uuid.uuid4().hex}",
                    **lease,
                    created_at=now,
                    updated_at=now,
                )
                .returning(*REFUND_STATE)
            )
        ).one()
        await claim.checkpoint(db, f"refund:{refund.id}")
        await audit(db, ctx, "refund.create", "Refund", [ids.encode("Refund", refund.id)])
        await refund_event(db, "refund.created", refund, ctx.request_id)
        return refund, Lease(refunds, refund.id, token, seconds)


async def _refund(ctx: RequestContext, refund: Any, lease: Lease | None, claim: Claim) -> Refund:
    """Ask the provider for a booked refund (unless it is settled), then settle it."""
    provider = ctx.services.payment_provider
    outcome: Any = None
    if lease is not None:
        async with ctx.transaction() as db:
            charge = (
                await db.execute(
                    select(payments.c.provider_reference).where(payments.c.id == refund.payment_id)
                )
            ).scalar_one()
        outcome = await outcome_for(
            ctx,
            lease,
            "refund",
            claim,
            lambda: provider.refund(
                reference=charge,
                amount=refund.amount,
                currency=refund.currency,
                key=refund.provider_key,
            ),
            lambda: provider.lookup(refund.provider_key),
        )
    actor = actor_of(ctx)
    row = await settled(
        ctx,
        claim,
        "refund",
        lambda db: settle_refund(
            db, refund, outcome, lease.token if lease else None, actor, request_id=ctx.request_id
        ),
        refund_error,
        _resource,
    )
    return registry.REFUND.from_row(row)


async def _resource(_db: AsyncConnection, row: Any) -> dict[str, Any]:
    return representations.refund(registry.REFUND.from_row(row))

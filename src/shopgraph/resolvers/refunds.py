"""Refunding captured payments: never more than was captured, however many at once.

The same three steps as a charge (`payments.py`): book the refund `processing` under a
lock on the payment, its amount counted at once in the payment's `refunded_amount`; ask
the provider; settle. A refund the provider did not make gives its amount back.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from pydantic import Field
from sqlalchemy import insert

from .. import ids, records, representations
from ..auth.principal import authorize_staff
from ..context import RequestContext
from ..db.models import payments, refunds, utcnow
from ..errors import Conflict, FieldError, InProgress, ProviderUnavailableError, ValidationFailed
from ..records import Refund
from .audit_trail import record as audit
from .common import key_of
from .idempotency import Claim, Written, run_once
from .inputs import MAX_AMOUNT, Input, parse
from .inventory import actor_of
from .payments import ask_provider, end_lease, handed_on_if_abandoned
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
        refund = await _resume(ctx, claim)
        if refund is None:
            refund = await retrying(lambda: _book(ctx, payment_id, pk, request, claim))
        return await _refund(ctx, refund, claim)

    return await run_once(ctx, key, "refund_payment", params, work)


async def _resume(ctx: RequestContext, claim: Claim) -> Any:
    """The refund an earlier attempt under this key booked, if it is to go on."""
    if claim.recovery_point is None:
        return None
    pk = int(claim.recovery_point.removeprefix("refund:"))
    now = utcnow()
    async with ctx.transaction() as db:
        row = await lock_refund(db, pk)
        if row.status == "failed" and row.failure_code == NOT_REFUNDED:
            return None
        if row.status == "processing":
            if row.lease_expires_at is not None and row.lease_expires_at > now:
                raise InProgress("This refund is being processed; retry shortly.")
            lease = timedelta(seconds=ctx.settings.write_lease_seconds)
            row = await set_refund(db, pk, lease_expires_at=now + lease)
        return row


async def _book(
    ctx: RequestContext, payment_id: str, pk: int, request: RefundInput, claim: Claim
) -> Any:
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
                    lease_expires_at=now + timedelta(seconds=ctx.settings.write_lease_seconds),
                    created_at=now,
                    updated_at=now,
                )
                .returning(*REFUND_STATE)
            )
        ).one()
        await claim.checkpoint(db, f"refund:{refund.id}")
        await audit(db, ctx, "refund.create", "Refund", [ids.encode("Refund", refund.id)])
        return refund


async def _refund(ctx: RequestContext, refund: Any, claim: Claim) -> Refund:
    """Ask the provider for a booked refund (unless it is settled), then settle it."""
    provider = ctx.services.payment_provider
    outcome: Any = None
    if refund.status == "processing":
        async with ctx.transaction() as db:
            payment = await lock_payment(db, refund.payment_id)
        async with handed_on_if_abandoned(ctx, refunds, refund.id):
            answered, outcome = await ask_provider(
                ctx,
                lambda: provider.refund(
                    reference=payment.provider_reference,
                    amount=refund.amount,
                    currency=refund.currency,
                    key=refund.provider_key,
                ),
            )
            if not answered:
                answered, outcome = await ask_provider(
                    ctx, lambda: provider.lookup(refund.provider_key)
                )
        if not answered or (outcome is None and claim.key is not None):
            await end_lease(ctx, refunds, refund.id)
            raise ProviderUnavailableError(
                "The payment provider did not answer; retry with the same idempotency key."
            )
    actor = actor_of(ctx)

    async def settle() -> tuple[Any, Exception | None]:
        async with ctx.transaction() as db:
            row = await settle_refund(db, refund, outcome, actor)
            error = refund_error(row)
            if error is None:
                made = representations.refund(records.refund_from_row(row))
                await claim.complete(db, made)
            elif not isinstance(error, ProviderUnavailableError):
                await claim.complete(db, error=error)
            return row, error

    row, error = await retrying(settle)
    if error is not None:
        raise error
    return records.refund_from_row(row)

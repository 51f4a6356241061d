"""Paying for orders and capturing authorizations, through the configured payment provider.

A charge takes three steps, and no database transaction is held while the provider is
asked:
1. Book: under a lock on the order, check the balance and insert the payment
   `processing`, with the idempotency key the provider will see (`provider_key`) and a
   lease. A payment in progress counts against the balance, so concurrent requests can
   never charge an order twice.
2. Ask the provider, within half the lease.
3. Settle (`settlement.py`): record what the provider did, in the same transaction that
   completes the caller's idempotency key.

If the provider does not answer, it is asked what it did under the payment's key. Where
it cannot tell, the payment stays `processing` with its lease ended: a retry with the
same idempotency key resumes that very payment (same provider key, so never a second
charge), and reconciliation settles it if no retry comes (`reconciliation.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import Field
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry
from ..auth.principal import authorize, authorize_staff, may_see_order_of
from ..context import RequestContext
from ..db.models import payments, utcnow
from ..errors import (
    Conflict,
    FieldError,
    InProgress,
    NotFound,
    PaymentProviderError,
    ProviderUnavailableError,
    ValidationFailed,
)
from ..payments import InvalidSource, Outcome, Refused
from ..records import Order, Payment, Refund
from .audit_trail import record as audit
from .common import key_of
from .emitting import payment_resource
from .idempotency import Claim, run_once
from .inputs import MAX_AMOUNT, Input, parse
from .leases import Lease, held_by_someone, lease_values, taken_over
from .order_states import require_transition
from .ordering import HOLDING
from .outcome import Written
from .provider_calls import ask_under_lease, let_go, outcome_for, settled
from .retry import retrying
from .settlement import (
    NOT_CHARGED,
    PAYMENT_STATE,
    capture_key,
    charge_error,
    lock_order,
    lock_payment,
    set_payment,
    settle_capture,
    settle_charge,
)

T = TypeVar("T")
Answer = Outcome | Refused | None


class PaymentInput(Input):
    source: str = Field(min_length=1, max_length=100, description="A card token, e.g. tok_visa.")
    amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)
    capture: bool = True


async def pay_order(
    ctx: RequestContext, order_id: str, data: dict[str, Any], *, key: str | None = None
) -> Written[Payment]:
    """Charge (or authorize) the order's balance, or part of it; paid once fully captured."""
    authorize(ctx.principal, "payments:write")
    request = parse(PaymentInput, data)
    try:
        ctx.services.payment_provider.check_source(request.source)
    except InvalidSource:
        raise ValidationFailed(
            f"`{request.source}` is not a payment source the provider accepts.",
            errors=[FieldError("source", "INVALID", "Unknown payment source.")],
        ) from None
    order_pk = key_of("Order", order_id)
    params = {"order_id": order_id, **request.model_dump()}

    async def work(claim: Claim) -> Payment:
        resumed = await _resume(ctx, claim)
        if resumed is None:
            resumed = await retrying(lambda: _book(ctx, order_id, order_pk, request, claim))
        return await _charge(ctx, *resumed, claim)

    return await run_once(ctx, key, "pay_order", params, work)


async def _resume(ctx: RequestContext, claim: Claim) -> tuple[Any, Lease | None] | None:
    """The payment an earlier attempt under this key booked, with its lease if it is to be
    asked about again; None if there is none."""
    if claim.recovery_point is None:
        return None
    pk = int(claim.recovery_point.removeprefix("payment:"))
    seconds = ctx.settings.write_lease_seconds
    async with ctx.transaction() as db:
        order_pk = (
            await db.execute(select(payments.c.order_id).where(payments.c.id == pk))
        ).scalar_one()
        order = await lock_order(db, order_pk)  # the order first, as settling locks them
        row = await lock_payment(db, pk)
        if row.status == "processing":
            if held_by_someone(row):
                raise taken_over("payment")
            token, values = lease_values(seconds)
            return await set_payment(db, pk, **values), Lease(payments, pk, token, seconds)
        if row.status == "failed" and row.failure_code == NOT_CHARGED:
            # Never charged: go on with this payment and its provider key, so a charge the
            # provider made after all is found under the key, never made a second time.
            require_transition(ids.encode("Order", order.id), order.status, "paid")
            if await _balance(db, order) < row.amount:
                raise Conflict(
                    "The order's balance is now covered by other payments.",
                    extra={"current_status": order.status},
                )
            token, values = lease_values(seconds)
            row = await set_payment(db, pk, status="processing", failure_code=None, **values)
            return row, Lease(payments, pk, token, seconds)
        return row, None


async def _balance(db: AsyncConnection, order: Any) -> int:
    """What the order still owes, counting every payment that holds money against it."""
    held = (
        await db.execute(
            select(func.coalesce(func.sum(payments.c.amount), 0)).where(
                payments.c.order_id == order.id, payments.c.status.in_(HOLDING)
            )
        )
    ).scalar_one()
    return int(order.total_amount) - int(held)  # SUM is NUMERIC on PostgreSQL


async def _book(
    ctx: RequestContext, order_id: str, order_pk: int, request: PaymentInput, claim: Claim
) -> tuple[Any, Lease]:
    provider = ctx.services.payment_provider
    seconds = ctx.settings.write_lease_seconds
    async with ctx.transaction() as db:
        order = await lock_order(db, order_pk)
        if ctx.principal.is_customer and ctx.principal.customer_pk != order.customer_id:
            raise NotFound(f"No order with id `{order_id}`.")  # someone else's order
        require_transition(order_id, order.status, "paid")
        balance = await _balance(db, order)
        if balance <= 0:
            raise Conflict(
                "The order's balance is already covered by payments made or in progress.",
                extra={"current_status": order.status, "balance": balance},
            )
        amount = balance if request.amount is None else request.amount
        if amount > balance:
            raise ValidationFailed(
                f"The order's balance is {balance}; a payment cannot exceed it.",
                errors=[FieldError("amount", "OUT_OF_RANGE", f"At most {balance}.")],
            )
        now = utcnow()
        token, lease = lease_values(seconds)
        booked = (
            await db.execute(
                insert(payments)
                .values(
                    order_id=order_pk,
                    status="processing",
                    amount=amount,
                    captured_amount=0,
                    refunded_amount=0,
                    currency=order.currency,
                    provider=provider.name,
                    # Names the operation and its parameters; unique per payment.
                    provider_key=f"charge:{amount}{order.currency}:{uuid.uuid4().hex}",
                    **lease,
                    source=request.source,
                    capture=request.capture,
                    created_at=now,
                    updated_at=now,
                )
                .returning(*PAYMENT_STATE)
            )
        ).one()
        await claim.checkpoint(db, f"payment:{booked.id}")
        await audit(db, ctx, "payment.create", "Payment", [ids.encode("Payment", booked.id)])
        return booked, Lease(payments, booked.id, token, seconds)


async def _charge(ctx: RequestContext, payment: Any, lease: Lease | None, claim: Claim) -> Payment:
    """Ask the provider to charge a booked payment (unless it is settled), then settle it."""
    provider = ctx.services.payment_provider
    outcome: Answer = None
    if lease is not None:
        outcome = await outcome_for(
            ctx,
            lease,
            "payment",
            claim,
            lambda: provider.charge(
                amount=payment.amount,
                currency=payment.currency,
                source=payment.source,
                capture=payment.capture,
                key=payment.provider_key,
            ),
            lambda: provider.lookup(payment.provider_key),
        )
    row = await settled(
        ctx,
        claim,
        "payment",
        lambda db: settle_charge(
            db, payment, outcome, lease.token if lease else None, request_id=ctx.request_id
        ),
        charge_error,
        payment_resource,
    )
    return registry.PAYMENT.from_row(row)


async def capture_payment(ctx: RequestContext, payment_id: str) -> Payment:
    """Capture an authorized payment in full; a capture that lost its answer is resumed."""
    authorize_staff(ctx.principal, "payments:write")
    pk = key_of("Payment", payment_id)
    provider = ctx.services.payment_provider
    seconds = ctx.settings.write_lease_seconds

    async def claim() -> tuple[Any, Lease]:
        async with ctx.transaction() as db:
            row = await lock_payment(db, pk)
            if held_by_someone(row):
                raise InProgress(f"Payment `{payment_id}` is being processed; retry shortly.")
            if row.status not in ("authorized", "capturing"):  # capturing: a stranded capture
                raise Conflict(
                    f"Payment `{payment_id}` is {row.status}; only authorized ones are captured.",
                    extra={"current_status": row.status},
                )
            token, lease = lease_values(seconds)
            row = await set_payment(db, pk, status="capturing", **lease)
            await audit(db, ctx, "payment.capture", "Payment", [payment_id])
            return row, Lease(payments, pk, token, seconds)

    payment, lease = await retrying(claim)
    answered, outcome = await ask_under_lease(
        ctx,
        lease,
        "payment",
        lambda: provider.capture(
            reference=payment.provider_reference,
            amount=payment.amount,
            currency=payment.currency,
            key=capture_key(payment),
        ),
        lambda: provider.lookup(capture_key(payment)),
    )
    if not answered:
        await let_go(ctx, lease)
        raise ProviderUnavailableError("The payment provider did not answer; retry the capture.")

    async def settle() -> Any:
        async with ctx.transaction() as db:
            return await settle_capture(
                db, payment, outcome, lease.token, request_id=ctx.request_id
            )

    row = await retrying(settle)
    if row.status == "succeeded":
        return registry.PAYMENT.from_row(row)
    if row.status == "capturing":
        raise taken_over("payment")
    if row.status == "authorized" and not isinstance(outcome, Refused):
        raise ProviderUnavailableError("The payment provider could not capture; retry the capture.")
    raise PaymentProviderError(
        "The payment provider did not capture as asked; nothing was recorded as captured.",
        extra={"payment_id": payment_id, "current_status": row.status},
    )


async def payments_of(ctx: RequestContext, items: Sequence[Order]) -> list[list[Payment]]:
    return await ctx.loaders.follow(registry.ORDER_PAYMENTS).load_all([item.pk for item in items])


async def refunds_of(ctx: RequestContext, items: Sequence[Payment]) -> list[list[Refund]]:
    return await ctx.loaders.follow(registry.PAYMENT_REFUNDS).load_all([item.pk for item in items])


async def refunds_of_ids(ctx: RequestContext, payment_ids: Sequence[str]) -> list[list[Refund]]:
    """The refunds of payments the caller was already shown, by public id (an older API
    version's payment embeds them)."""
    keys = [key_of("Payment", payment_id) for payment_id in payment_ids]
    return await ctx.loaders.follow(registry.PAYMENT_REFUNDS).load_all(keys)


async def get_payment(ctx: RequestContext, payment_id: str) -> Payment:
    authorize(ctx.principal, "orders:read")
    payment = await ctx.loaders.by_id(registry.PAYMENT).load(key_of("Payment", payment_id))
    if payment is None:
        raise NotFound(f"No payment with id `{payment_id}`.")
    if ctx.principal.is_customer:
        order = await ctx.loaders.by_id(registry.ORDER).load(payment.order_pk)
        if order is None or not may_see_order_of(ctx.principal, order.customer_pk):
            raise NotFound(f"No payment with id `{payment_id}`.")
    return payment


async def get_refund(ctx: RequestContext, refund_id: str) -> Refund:
    """A refund, seen by whoever may see its payment's order."""
    authorize(ctx.principal, "orders:read")
    refund = await ctx.loaders.by_id(registry.REFUND).load(key_of("Refund", refund_id))
    if refund is None:
        raise NotFound(f"No refund with id `{refund_id}`.")
    if ctx.principal.is_customer:
        try:
            await get_payment(ctx, refund.payment_id)
        except NotFound:
            raise NotFound(f"No refund with id `{refund_id}`.") from None
    return refund

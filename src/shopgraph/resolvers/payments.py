"""Paying for orders and refunding them, through the configured payment provider.

No database transaction is held while the provider is asked. Instead each call is
bracketed by two short transactions: the first checks and books the money under a lock
on the order (or payment) row, so concurrent requests see it taken; the second records
the provider's answer. A payment being processed counts against the order's balance,
and a refund being processed against the payment's refundable amount: two concurrent
requests can never charge twice or refund more than was captured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, records
from ..auth.principal import authorize, authorize_staff, may_see_order_of
from ..context import RequestContext
from ..db.models import orders, payments, refunds, utcnow
from ..errors import (
    Conflict,
    FieldError,
    NotFound,
    PaymentDeclined,
    ServiceUnavailable,
    ValidationFailed,
)
from ..payments import Declined, InvalidSource, ProviderUnavailable
from ..records import Order, Payment, Refund
from .audit_trail import record as audit
from .common import key_of
from .inputs import MAX_AMOUNT, Input, parse
from .inventory import actor_of, release
from .order_states import require_transition
from .ordering import HOLDING, held_stock, was_shipped
from .retry import retrying


class PaymentInput(Input):
    source: str = Field(min_length=1, max_length=100, description="A card token, e.g. tok_visa.")
    amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)
    capture: bool = True


class RefundInput(Input):
    amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)
    reason: str | None = Field(default=None, max_length=200)


def _provider_key(kind: str, client_key: str | None, fallback: str, ctx: RequestContext) -> str:
    """The provider's idempotency key: the caller's, if given, so its retries dedupe."""
    if client_key is None:
        return f"{kind}:{fallback}"
    return f"{kind}:{ctx.principal.kind}:{ctx.principal.id or ''}:{client_key}"


async def _lock_order(db: AsyncConnection, pk: int) -> Any:
    """The order's row, locked until the transaction ends (PostgreSQL; SQLite has one writer)."""
    row = (
        await db.execute(select(*records.ORDER_COLUMNS).where(orders.c.id == pk).with_for_update())
    ).first()
    if row is None:
        raise NotFound(f"No order with id `{ids.encode('Order', pk)}`.")
    return row


async def _locked_payment(db: AsyncConnection, pk: int, payment_id: str) -> Any:
    """The payment's row with its provider reference, locked until the transaction ends."""
    row = (
        await db.execute(
            select(*records.PAYMENT_COLUMNS, payments.c.provider_reference)
            .where(payments.c.id == pk)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound(f"No payment with id `{payment_id}`.")
    return row


async def _set_payment(db: AsyncConnection, pk: int, **values: Any) -> Any:
    return (
        await db.execute(
            update(payments)
            .where(payments.c.id == pk)
            .values(**values, updated_at=utcnow())
            .returning(*records.PAYMENT_COLUMNS)
        )
    ).one()


async def _mark_paid_if_covered(db: AsyncConnection, order: Any) -> None:
    captured = (
        await db.execute(
            select(func.coalesce(func.sum(payments.c.captured_amount), 0)).where(
                payments.c.order_id == order.id, payments.c.status == "succeeded"
            )
        )
    ).scalar_one()
    if int(captured) >= order.total_amount and order.status == "pending":
        await db.execute(
            update(orders)
            .where(orders.c.id == order.id)
            .values(status="paid", updated_at=utcnow(), version=orders.c.version + 1)
        )


async def pay_order(
    ctx: RequestContext, order_id: str, data: dict[str, Any], *, key: str | None = None
) -> Payment:
    """Charge (or authorize) the order's balance, or part of it; paid once fully captured."""
    authorize(ctx.principal, "payments:write")
    request = parse(PaymentInput, data)
    provider = ctx.services.payment_provider
    try:
        provider.check_source(request.source)
    except InvalidSource:
        raise ValidationFailed(
            f"`{request.source}` is not a payment source the provider accepts.",
            errors=[FieldError("source", "INVALID", "Unknown payment source.")],
        ) from None
    order_pk = key_of("Order", order_id)

    async def book() -> Any:
        async with ctx.transaction() as db:
            order = await _lock_order(db, order_pk)
            if ctx.principal.is_customer and ctx.principal.customer_pk != order.customer_id:
                raise NotFound(f"No order with id `{order_id}`.")  # someone else's order
            require_transition(order_id, order.status, "paid")
            held = (
                await db.execute(
                    select(func.coalesce(func.sum(payments.c.amount), 0)).where(
                        payments.c.order_id == order_pk, payments.c.status.in_(HOLDING)
                    )
                )
            ).scalar_one()
            balance = order.total_amount - int(held)  # SUM is NUMERIC on PostgreSQL
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
                        source=request.source,
                        created_at=now,
                        updated_at=now,
                    )
                    .returning(*records.PAYMENT_COLUMNS)
                )
            ).one()
            payment_id = ids.encode("Payment", booked.id)
            await audit(db, ctx, "payment.create", "Payment", [payment_id])
            return booked

    booked = await retrying(book)
    payment_key = _provider_key("charge", key, str(booked.id), ctx)
    try:
        charge = await provider.charge(
            amount=booked.amount,
            currency=booked.currency,
            source=request.source,
            capture=request.capture,
            key=payment_key,
        )
    except Declined as declined:
        await _fail_payment(ctx, booked.id, declined.code)
        raise PaymentDeclined(
            f"The payment was declined ({declined.code}); the order is still payable.",
            extra={
                "payment_id": records.payment_from_row(booked).id,
                "decline_code": declined.code,
            },
        ) from None
    except ProviderUnavailable:
        await _fail_payment(ctx, booked.id, "provider_unavailable")
        raise ServiceUnavailable(
            "The payment provider is unavailable; retry with the same idempotency key."
        ) from None

    async def record() -> Any:
        async with ctx.transaction() as db:
            order = await _lock_order(db, order_pk)
            row = await _set_payment(
                db,
                booked.id,
                status=charge.status,
                provider_reference=charge.reference,
                captured_amount=booked.amount if charge.status == "succeeded" else 0,
            )
            await _mark_paid_if_covered(db, order)
            return row

    return records.payment_from_row(await retrying(record))


async def _fail_payment(ctx: RequestContext, payment_pk: int, code: str) -> None:
    async with ctx.transaction() as db:
        await _set_payment(db, payment_pk, status="failed", failure_code=code)


async def capture_payment(ctx: RequestContext, payment_id: str) -> Payment:
    """Capture an authorized payment in full."""
    authorize_staff(ctx.principal, "payments:write")
    pk = key_of("Payment", payment_id)
    provider = ctx.services.payment_provider

    async def claim() -> Any:
        async with ctx.transaction() as db:
            row = await _locked_payment(db, pk, payment_id)
            if row.status != "authorized":
                raise Conflict(
                    f"Payment `{payment_id}` is {row.status}; only authorized ones are captured.",
                    extra={"current_status": row.status},
                )
            await _set_payment(db, pk, status="processing")
            return row

    payment = await retrying(claim)
    try:
        await provider.capture(
            reference=payment.provider_reference, amount=payment.amount, key=f"capture:{pk}"
        )
    except ProviderUnavailable:
        async with ctx.transaction() as db:
            await _set_payment(db, pk, status="authorized")
        raise ServiceUnavailable(
            "The payment provider is unavailable; retry the capture."
        ) from None

    async def record() -> Any:
        async with ctx.transaction() as db:
            order = await _lock_order(db, payment.order_id)
            row = await _set_payment(db, pk, status="succeeded", captured_amount=payment.amount)
            await audit(db, ctx, "payment.capture", "Payment", [payment_id])
            await _mark_paid_if_covered(db, order)
            return row

    return records.payment_from_row(await retrying(record))


async def refund_payment(
    ctx: RequestContext, payment_id: str, data: dict[str, Any], *, key: str | None = None
) -> Refund:
    """Refund part or all of what a payment captured; never more, however many at once."""
    authorize_staff(ctx.principal, "payments:write")
    request = parse(RefundInput, data)
    pk = key_of("Payment", payment_id)
    provider = ctx.services.payment_provider

    async def book() -> tuple[Any, Any]:
        async with ctx.transaction() as db:
            payment = await _locked_payment(db, pk, payment_id)
            if payment.status != "succeeded":
                raise Conflict(
                    f"Payment `{payment_id}` is {payment.status}; only captured money refunds.",
                    extra={"current_status": payment.status},
                )
            refundable = payment.captured_amount - payment.refunded_amount
            amount = refundable if request.amount is None else request.amount
            if refundable <= 0:
                raise Conflict("Everything this payment captured is refunded or being refunded.")
            if amount > refundable:
                raise ValidationFailed(
                    f"At most {refundable} can still be refunded from this payment.",
                    errors=[FieldError("amount", "OUT_OF_RANGE", f"At most {refundable}.")],
                )
            await _set_payment(db, pk, refunded_amount=payments.c.refunded_amount + amount)
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
                        created_at=now,
                        updated_at=now,
                    )
                    .returning(*records.REFUND_COLUMNS)
                )
            ).one()
            await audit(db, ctx, "refund.create", "Refund", [ids.encode("Refund", refund.id)])
            return payment, refund

    payment, refund = await retrying(book)
    try:
        reference = await provider.refund(
            reference=payment.provider_reference,
            amount=refund.amount,
            key=_provider_key("refund", key, str(refund.id), ctx),
        )
    except ProviderUnavailable:
        async with ctx.transaction() as db:
            await _set_payment(db, pk, refunded_amount=payments.c.refunded_amount - refund.amount)
            await db.execute(
                update(refunds)
                .where(refunds.c.id == refund.id)
                .values(status="failed", failure_code="provider_unavailable", updated_at=utcnow())
            )
        raise ServiceUnavailable(
            "The payment provider is unavailable; retry with the same idempotency key."
        ) from None

    async def record() -> Any:
        async with ctx.transaction() as db:
            order = await _lock_order(db, payment.order_id)
            row = (
                await db.execute(
                    update(refunds)
                    .where(refunds.c.id == refund.id)
                    .values(status="succeeded", provider_reference=reference, updated_at=utcnow())
                    .returning(*records.REFUND_COLUMNS)
                )
            ).one()
            await _set_order_refund_status(db, order, actor_of(ctx))
            return row

    return records.refund_from_row(await retrying(record))


async def _set_order_refund_status(db: AsyncConnection, order: Any, actor: str) -> None:
    """Partially or fully refunded; fully refunded before shipping also frees the stock."""
    captured, refunded = (
        await db.execute(
            select(
                func.coalesce(func.sum(payments.c.captured_amount), 0),
                func.coalesce(
                    select(func.sum(refunds.c.amount))
                    .join(payments, payments.c.id == refunds.c.payment_id)
                    .where(payments.c.order_id == order.id, refunds.c.status == "succeeded")
                    .scalar_subquery(),
                    0,
                ),
            ).where(payments.c.order_id == order.id, payments.c.status == "succeeded")
        )
    ).one()
    target = "refunded" if int(refunded) >= int(captured) else "partially_refunded"
    public_id = records.order_from_row(order).id
    require_transition(public_id, order.status, target)
    if target == "refunded" and not await was_shipped(db, order.id):
        await release(db, await held_stock(db, order.id), actor, order.id, ship=False)
    await db.execute(
        update(orders)
        .where(orders.c.id == order.id)
        .values(status=target, updated_at=utcnow(), version=orders.c.version + 1)
    )


async def payments_of(ctx: RequestContext, items: Sequence[Order]) -> list[list[Payment]]:
    return await ctx.loaders.payments_by_order.load_all([item.pk for item in items])


async def refunds_of(ctx: RequestContext, items: Sequence[Payment]) -> list[list[Refund]]:
    return await ctx.loaders.refunds_by_payment.load_all([item.pk for item in items])


async def get_payment(ctx: RequestContext, payment_id: str) -> Payment:
    authorize(ctx.principal, "orders:read")
    payment = await ctx.loaders.payment_by_id.load(key_of("Payment", payment_id))
    if payment is None:
        raise NotFound(f"No payment with id `{payment_id}`.")
    if ctx.principal.is_customer:
        order = await ctx.loaders.order_by_id.load(payment.order_pk)
        if order is None or not may_see_order_of(ctx.principal, order.customer_pk):
            raise NotFound(f"No payment with id `{payment_id}`.")
    return payment


async def get_refund(ctx: RequestContext, refund_id: str) -> Refund:
    authorize(ctx.principal, "orders:read")
    rows = await ctx.reader.all(
        select(*records.REFUND_COLUMNS).where(refunds.c.id == key_of("Refund", refund_id))
    )
    if not rows:
        raise NotFound(f"No refund with id `{refund_id}`.")
    return records.refund_from_row(rows[0])

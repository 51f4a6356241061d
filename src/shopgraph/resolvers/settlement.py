"""What a payment provider did, written to the books: one place for requests and reconciliation.

A payment or refund in flight (`processing`, or `capturing` for a capture) is settled by
the holder of its lease (`leases.py`): the request that asked, a retry with the same
idempotency key, or reconciliation. Every settle function locks the rows and moves a row
only while it is in flight under the caller's lease token, so a party whose lease was
taken over never books anything, and no row is booked twice.

An outcome that does not match what was asked (another amount, another currency, a
charge where a capture was expected) is never recorded as a success: the row goes to
`needs_review`, which keeps holding the money (no second payment, no cancellation) until
an operator has looked at the provider's books.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids, registry
from ..db.models import orders, payments, refunds, utcnow
from ..errors import (
    NotFound,
    PaymentDeclined,
    PaymentProviderError,
    ProviderUnavailableError,
    ShopgraphError,
)
from ..payments import Capture, Charge, Declined, Outcome, ProviderRefund, Refused
from .emitting import order_event, payment_event, refund_event
from .inventory import release
from .order_states import require_transition
from .ordering import held_stock, was_shipped

log = structlog.get_logger("shopgraph.payments")

NOT_CHARGED = "not_charged"  # the provider has no record of the charge: nothing moved
NOT_REFUNDED = "not_refunded"
PROVIDER_REFUSED = "provider_refused"
PROVIDER_MISMATCH = "provider_mismatch"
# A payment's or refund's row with what settling it needs.
PAYMENT_STATE = (
    *registry.PAYMENT.columns,
    payments.c.provider_key,
    payments.c.provider_reference,
    payments.c.capture,
    payments.c.lease_expires_at,
    payments.c.lease_token,
)
REFUND_STATE = (
    *registry.REFUND.columns,
    refunds.c.provider_key,
    refunds.c.lease_expires_at,
    refunds.c.lease_token,
)


def capture_key(payment: Any) -> str:
    """The provider's idempotency key for capturing `payment`: one capture per payment."""
    return f"{payment.provider_key or f'payment:{payment.id}'}:capture"


async def lock_order(db: AsyncConnection, pk: int) -> Any:
    """The order's row, locked until the transaction ends (PostgreSQL; SQLite has one writer)."""
    row = (
        await db.execute(select(*registry.ORDER.columns).where(orders.c.id == pk).with_for_update())
    ).first()
    if row is None:
        raise NotFound(f"No order with id `{ids.encode('Order', pk)}`.")
    return row


async def lock_payment(db: AsyncConnection, pk: int) -> Any:
    """The payment's row, locked; NOT_FOUND if there is none."""
    row = (
        await db.execute(select(*PAYMENT_STATE).where(payments.c.id == pk).with_for_update())
    ).first()
    if row is None:
        raise NotFound(f"No payment with id `{ids.encode('Payment', pk)}`.")
    return row


async def lock_refund(db: AsyncConnection, pk: int) -> Any:
    row = (
        await db.execute(select(*REFUND_STATE).where(refunds.c.id == pk).with_for_update())
    ).first()
    if row is None:
        raise NotFound(f"No refund with id `{ids.encode('Refund', pk)}`.")
    return row


async def set_payment(db: AsyncConnection, pk: int, **values: Any) -> Any:
    return (
        await db.execute(
            update(payments)
            .where(payments.c.id == pk)
            .values(**values, updated_at=utcnow())
            .returning(*PAYMENT_STATE)
        )
    ).one()


async def set_refund(db: AsyncConnection, pk: int, **values: Any) -> Any:
    return (
        await db.execute(
            update(refunds)
            .where(refunds.c.id == pk)
            .values(**values, updated_at=utcnow())
            .returning(*REFUND_STATE)
        )
    ).one()


def _mismatch(kind: str, row: Any, outcome: object) -> dict[str, Any]:
    log.error(
        "payments.provider_mismatch",
        kind=kind,
        id=row.id,
        asked={"amount": row.amount, "currency": row.currency},
        answered=repr(outcome),
    )
    return {"status": "needs_review", "failure_code": PROVIDER_MISMATCH, "lease_expires_at": None}


def _charge_values(payment: Any, outcome: Outcome | Refused | None) -> dict[str, Any]:
    if isinstance(outcome, Charge):
        expected = "succeeded" if payment.capture else "authorized"
        if (outcome.amount, outcome.currency, outcome.status) != (
            payment.amount,
            payment.currency,
            expected,
        ):
            return {
                **_mismatch("charge", payment, outcome),
                "provider_reference": outcome.reference,
            }
        return {
            "status": outcome.status,
            "provider_reference": outcome.reference,
            "captured_amount": payment.amount if outcome.status == "succeeded" else 0,
            "lease_expires_at": None,
        }
    if isinstance(outcome, Declined):
        return {"status": "failed", "failure_code": outcome.code, "lease_expires_at": None}
    if isinstance(outcome, Refused):
        log.error("payments.provider_refused", kind="charge", id=payment.id, code=outcome.code)
        return {"status": "failed", "failure_code": PROVIDER_REFUSED, "lease_expires_at": None}
    if outcome is None:
        return {"status": "failed", "failure_code": NOT_CHARGED, "lease_expires_at": None}
    return _mismatch("charge", payment, outcome)


async def settle_charge(
    db: AsyncConnection,
    payment: Any,
    outcome: Outcome | Refused | None,
    token: str | None,
    *,
    request_id: str | None,
) -> Any:
    """Record the provider's answer to a charge on a payment still `processing` under the
    lease `token`; any other row is returned as it is. `request_id`: the request settling
    it, for its events (None: reconciliation)."""
    order = await lock_order(db, payment.order_id)
    row = await lock_payment(db, payment.id)
    if row.status != "processing" or row.lease_token != token:
        return row
    row = await set_payment(db, row.id, **_charge_values(row, outcome))
    await payment_event(db, row, request_id)
    await mark_paid_if_covered(db, order, request_id)
    return row


async def settle_capture(
    db: AsyncConnection,
    payment: Any,
    outcome: Outcome | Refused | None,
    token: str | None,
    *,
    request_id: str | None,
) -> Any:
    """Record the provider's answer to a capture on a payment still `capturing` under the
    lease `token`; any other row is returned as it is."""
    order = await lock_order(db, payment.order_id)
    row = await lock_payment(db, payment.id)
    if row.status != "capturing" or row.lease_token != token:
        return row
    if isinstance(outcome, Capture) and outcome.amount == row.amount:
        row = await set_payment(
            db, row.id, status="succeeded", captured_amount=row.amount, lease_expires_at=None
        )
        await payment_event(db, row, request_id)
        await mark_paid_if_covered(db, order, request_id)
        return row
    if outcome is None or isinstance(outcome, Refused):  # nothing captured: still authorized
        return await set_payment(db, row.id, status="authorized", lease_expires_at=None)
    return await set_payment(db, row.id, **_mismatch("capture", row, outcome))


async def settle_refund(
    db: AsyncConnection,
    refund: Any,
    outcome: Outcome | Refused | None,
    token: str | None,
    actor: str,
    *,
    request_id: str | None,
) -> Any:
    """Record the provider's answer on a refund still `processing` under the lease
    `token`; a refund that did not happen gives its amount back to the payment."""
    payment = (
        await db.execute(select(payments.c.order_id).where(payments.c.id == refund.payment_id))
    ).one()
    order = await lock_order(db, payment.order_id)
    row = await lock_refund(db, refund.id)
    if row.status != "processing" or row.lease_token != token:
        return row
    if isinstance(outcome, ProviderRefund):
        if (outcome.amount, outcome.currency) != (row.amount, row.currency):
            return await set_refund(
                db,
                row.id,
                provider_reference=outcome.reference,
                **_mismatch("refund", row, outcome),
            )
        row = await set_refund(
            db,
            row.id,
            status="succeeded",
            provider_reference=outcome.reference,
            lease_expires_at=None,
        )
        await refund_event(db, "refund.succeeded", row, request_id)
        await set_order_refund_status(db, order, actor)
        return row
    if outcome is not None and not isinstance(outcome, Refused):
        return await set_refund(db, row.id, **_mismatch("refund", row, outcome))
    if isinstance(outcome, Refused):
        log.error("payments.provider_refused", kind="refund", id=row.id, code=outcome.code)
    await set_payment(db, row.payment_id, refunded_amount=payments.c.refunded_amount - row.amount)
    code = PROVIDER_REFUSED if outcome is not None else NOT_REFUNDED
    row = await set_refund(db, row.id, status="failed", failure_code=code, lease_expires_at=None)
    await refund_event(db, "refund.failed", row, request_id)
    return row


def charge_error(payment: Any) -> ShopgraphError | None:
    """What a request answers for a settled payment: nothing (success) or the error."""
    payment_id = ids.encode("Payment", payment.id)
    if payment.status in ("succeeded", "authorized"):
        return None
    if payment.status == "needs_review" or payment.failure_code == PROVIDER_REFUSED:
        return PaymentProviderError(
            "The payment provider did not do what was asked; nothing was recorded as paid "
            "and the payment awaits review.",
            extra={"payment_id": payment_id},
        )
    if payment.failure_code == NOT_CHARGED:
        return ProviderUnavailableError(
            "The payment provider could not be reached; nothing was charged."
        )
    return PaymentDeclined(
        f"The payment was declined ({payment.failure_code}); the order is still payable.",
        extra={"payment_id": payment_id, "decline_code": payment.failure_code},
    )


def refund_error(refund: Any) -> ShopgraphError | None:
    if refund.status == "succeeded":
        return None
    if refund.status == "needs_review" or refund.failure_code == PROVIDER_REFUSED:
        return PaymentProviderError(
            "The payment provider did not do what was asked; the refund awaits review.",
            extra={"refund_id": ids.encode("Refund", refund.id)},
        )
    return ProviderUnavailableError(
        "The payment provider could not be reached; nothing was refunded."
    )


async def mark_paid_if_covered(db: AsyncConnection, order: Any, request_id: str | None) -> None:
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
        await order_event(db, "order.paid", order.id, request_id)


async def set_order_refund_status(db: AsyncConnection, order: Any, actor: str) -> None:
    """Partially or fully refunded; fully refunded before shipping also frees the stock.

    A pending order (paid in part) keeps its status: what it still owes is unchanged.
    """
    if order.status == "pending":
        return
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
    public_id = registry.ORDER.from_row(order).id
    require_transition(public_id, order.status, target)
    if target == "refunded" and not await was_shipped(db, order.id):
        await release(db, await held_stock(db, order.id), actor, order.id, ship=False)
    await db.execute(
        update(orders)
        .where(orders.c.id == order.id)
        .values(status=target, updated_at=utcnow(), version=orders.c.version + 1)
    )

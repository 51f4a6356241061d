"""`/orders/{id}/payments` and `/payments/{id}`: charging, capturing and refunding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import Response

from ..context import RequestContext
from ..formats import timestamp
from ..records import Payment, Refund
from ..resolvers import orders as order_reads
from ..resolvers import payments as service
from . import render
from .endpoint import Call
from .idempotent import HEADER, idempotent
from .queries import Query


def refund(value: Refund) -> dict[str, Any]:
    return {
        "id": value.id,
        "payment_id": value.payment_id,
        "status": value.status,
        "amount": render.money(value.amount),
        "reason": value.reason,
        "failure_code": value.failure_code,
        "created_at": timestamp(value.created_at),
    }


def payment(value: Payment, its_refunds: Sequence[Refund]) -> dict[str, Any]:
    return {
        "id": value.id,
        "order_id": value.order_id,
        "status": value.status,
        "amount": render.money(value.amount),
        "captured": render.money(value.captured),
        "refunded": render.money(value.refunded),
        "source": value.source,
        "failure_code": value.failure_code,
        "refunds": [refund(item) for item in its_refunds],
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


async def _render(ctx: RequestContext, items: Sequence[Payment]) -> list[dict[str, Any]]:
    """Payments with their refunds, fetched for all of them in one statement."""
    all_refunds = await service.refunds_of(ctx, items)
    return [payment(item, found) for item, found in zip(items, all_refunds, strict=True)]


async def pay_order(call: Call[Query]) -> Response:
    key = call.request.headers.get(HEADER)

    async def create() -> Response:
        made = await service.pay_order(call.ctx, call.id, call.body, key=key)
        return render.json_response((await _render(call.ctx, [made]))[0], 201)

    return await idempotent(call, f"payOrder:{call.id}", create, location="/v1/payments")


async def list_order_payments(call: Call[Query]) -> Response:
    order = await order_reads.get_order(call.ctx, call.id)
    (items,) = await service.payments_of(call.ctx, [order])
    return render.json_response({"data": await _render(call.ctx, items)})


async def get_payment(call: Call[Query]) -> Response:
    found = await service.get_payment(call.ctx, call.id)
    return render.json_response((await _render(call.ctx, [found]))[0])


async def capture_payment(call: Call[Query]) -> Response:
    captured = await service.capture_payment(call.ctx, call.id)
    return render.json_response((await _render(call.ctx, [captured]))[0])


async def refund_payment(call: Call[Query]) -> Response:
    key = call.request.headers.get(HEADER)

    async def create() -> Response:
        made = await service.refund_payment(call.ctx, call.id, call.body, key=key)
        return render.json_response(refund(made), 201)

    return await idempotent(call, f"refundPayment:{call.id}", create, location="/v1/refunds")

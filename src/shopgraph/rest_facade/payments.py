"""`/orders/{id}/payments` and `/payments/{id}`: charging, capturing and refunding."""

from __future__ import annotations

from starlette.responses import Response

from .. import representations
from ..records import Payment, Refund
from ..resolvers import orders as order_reads
from ..resolvers import payments as service
from ..resolvers import refunds as refund_service
from . import render
from .endpoint import Call
from .idempotent import answer, idempotency_key
from .queries import Query


async def pay_order(call: Call[Query]) -> Response:
    written = await service.pay_order(
        call.ctx, call.id, call.body, key=idempotency_key(call.request)
    )

    async def fresh(made: Payment) -> Response:
        return render.json_response(representations.payment(made), 201, _location(made))

    return await answer(written, "/v1/payments", fresh)


def _location(made: Payment | Refund) -> dict[str, str]:
    collection = "/v1/payments" if isinstance(made, Payment) else "/v1/refunds"
    return {"Location": f"{collection}/{made.id}"}


async def list_order_payments(call: Call[Query]) -> Response:
    order = await order_reads.get_order(call.ctx, call.id)
    (items,) = await service.payments_of(call.ctx, [order])
    return render.json_response({"data": [representations.payment(item) for item in items]})


async def get_payment(call: Call[Query]) -> Response:
    found = await service.get_payment(call.ctx, call.id)
    return render.json_response(representations.payment(found))


async def list_payment_refunds(call: Call[Query]) -> Response:
    payment = await service.get_payment(call.ctx, call.id)
    (found,) = await service.refunds_of(call.ctx, [payment])
    return render.json_response({"data": [representations.refund(item) for item in found]})


async def get_refund(call: Call[Query]) -> Response:
    return render.json_response(representations.refund(await service.get_refund(call.ctx, call.id)))


async def capture_payment(call: Call[Query]) -> Response:
    captured = await service.capture_payment(call.ctx, call.id)
    return render.json_response(representations.payment(captured))


async def refund_payment(call: Call[Query]) -> Response:
    written = await refund_service.refund_payment(
        call.ctx, call.id, call.body, key=idempotency_key(call.request)
    )

    async def fresh(made: Refund) -> Response:
        return render.json_response(representations.refund(made), 201, _location(made))

    return await answer(written, "/v1/refunds", fresh)

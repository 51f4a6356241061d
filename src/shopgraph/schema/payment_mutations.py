"""Mutations that move money: pay an order, capture an authorization, refund."""

from __future__ import annotations

from typing import Annotated

import strawberry

from .. import registry
from ..resolvers import payments, refunds
from .context import Info
from .idempotent import WRITE_EXPECTED, payload_of
from .inputs import to_dict
from .mutation import UserError, user_errors
from .scalars import Long
from .types import Payment, Refund

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="Send the same key again: the same result, never twice."),
]


@strawberry.input
class PaymentInput:
    source: str = strawberry.field(description="A card token; see the sandbox's test tokens.")
    amount: Long | None = strawberry.field(default=None, description="Default: the balance.")
    capture: bool = strawberry.field(default=True, description="False: authorize only.")


@strawberry.input
class RefundInput:
    amount: Long | None = strawberry.field(default=None, description="Default: all that's left.")
    reason: str | None = None


@strawberry.type
class PaymentPayload:
    payment: Payment | None
    user_errors: list[UserError]


@strawberry.type
class RefundPayload:
    refund: Refund | None
    user_errors: list[UserError]


@strawberry.type
class PaymentMutation:
    @strawberry.mutation(description="Charge an order (its balance by default).")
    async def pay_order(
        self,
        info: Info,
        order_id: strawberry.ID,
        input: PaymentInput,
        idempotency_key: IdempotencyKey = None,
    ) -> PaymentPayload:
        ctx = info.context
        payment, errors = await payload_of(
            info,
            lambda: payments.pay_order(ctx, order_id, to_dict(input), key=idempotency_key),
            ctx.loaders.by_id(registry.PAYMENT).load,
        )
        return PaymentPayload(payment=payment, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation(description="Capture an authorized payment; retry one that failed.")
    async def capture_payment(self, info: Info, id: strawberry.ID) -> PaymentPayload:
        try:
            payment = await payments.capture_payment(info.context, id)
        except WRITE_EXPECTED as error:
            return PaymentPayload(payment=None, user_errors=user_errors(error))
        return PaymentPayload(payment=payment, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Refund part or all of a captured payment.")
    async def refund_payment(
        self,
        info: Info,
        payment_id: strawberry.ID,
        input: RefundInput,
        idempotency_key: IdempotencyKey = None,
    ) -> RefundPayload:
        ctx = info.context
        refund, errors = await payload_of(
            info,
            lambda: refunds.refund_payment(ctx, payment_id, to_dict(input), key=idempotency_key),
            ctx.loaders.by_id(registry.REFUND).load,
        )
        return RefundPayload(refund=refund, user_errors=errors)  # type: ignore[arg-type]

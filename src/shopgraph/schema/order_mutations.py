"""Mutations of the write path: placing and moving orders, and adjusting stock."""

from __future__ import annotations

from typing import Annotated

import strawberry

from .. import registry
from ..resolvers import inventory, ordering
from .context import Info
from .idempotent import WRITE_EXPECTED, payload_of
from .inputs import to_dict
from .mutation import UserError, user_errors
from .types import Inventory, Order


@strawberry.input
class OrderLineInput:
    product_id: strawberry.ID
    quantity: int


@strawberry.input
class PlaceOrderInput:
    customer_id: strawberry.ID
    lines: list[OrderLineInput]


@strawberry.input
class StockAdjustmentInput:
    delta: int
    reason: str
    kind: str = strawberry.field(default="adjustment", description="`receipt` or `adjustment`.")


@strawberry.input
class InventorySettingsInput:
    low_stock_threshold: int | None = None


@strawberry.type
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]


@strawberry.type
class InventoryPayload:
    inventory: Inventory | None
    user_errors: list[UserError]


@strawberry.type
class OrderMutation:
    @strawberry.mutation(description="Place an order: prices from the catalog, stock reserved.")
    async def place_order(
        self,
        info: Info,
        input: PlaceOrderInput,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(
                description="Send the same key again to get the same result, never a second order."
            ),
        ] = None,
    ) -> OrderPayload:
        ctx = info.context
        order, errors = await payload_of(
            info,
            lambda: ordering.place_order(ctx, to_dict(input), key=idempotency_key),
            ctx.loaders.by_id(registry.ORDER).load,
        )
        return OrderPayload(order=order, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation(description="Cancel a pending order; its stock is released.")
    async def cancel_order(self, info: Info, id: strawberry.ID) -> OrderPayload:
        try:
            order = await ordering.cancel_order(info.context, id)
        except WRITE_EXPECTED as error:
            return OrderPayload(order=None, user_errors=user_errors(error))
        return OrderPayload(order=order, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Fulfil a paid order; its reserved stock is shipped.")
    async def fulfill_order(self, info: Info, id: strawberry.ID) -> OrderPayload:
        try:
            order = await ordering.fulfill_order(info.context, id)
        except WRITE_EXPECTED as error:
            return OrderPayload(order=None, user_errors=user_errors(error))
        return OrderPayload(order=order, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Receive or correct stock; recorded in the ledger.")
    async def adjust_inventory(
        self, info: Info, product_id: strawberry.ID, input: StockAdjustmentInput
    ) -> InventoryPayload:
        try:
            level = await inventory.adjust_stock(info.context, product_id, to_dict(input))
        except WRITE_EXPECTED as error:
            return InventoryPayload(inventory=None, user_errors=user_errors(error))
        return InventoryPayload(inventory=level, user_errors=[])  # type: ignore[arg-type]

    @strawberry.mutation(description="Change a product's inventory settings.")
    async def update_inventory(
        self, info: Info, product_id: strawberry.ID, input: InventorySettingsInput
    ) -> InventoryPayload:
        try:
            level = await inventory.update_inventory(info.context, product_id, to_dict(input))
        except WRITE_EXPECTED as error:
            return InventoryPayload(inventory=None, user_errors=user_errors(error))
        return InventoryPayload(inventory=level, user_errors=[])  # type: ignore[arg-type]

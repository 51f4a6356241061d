"""Mutations of the write path: placing and moving orders, and adjusting stock."""

from __future__ import annotations

import strawberry

from ..errors import InsufficientInventory
from ..resolvers import inventory, ordering
from .context import Info
from .inputs import to_dict
from .mutation import EXPECTED, UserError, user_errors
from .types import Inventory, Order

# Stock running out is an expected outcome of placing an order, not a failure.
WRITE_EXPECTED = (*EXPECTED, InsufficientInventory)


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
    async def place_order(self, info: Info, input: PlaceOrderInput) -> OrderPayload:
        try:
            order = await ordering.place_order(info.context, to_dict(input))
        except WRITE_EXPECTED as error:
            return OrderPayload(order=None, user_errors=user_errors(error))
        return OrderPayload(order=order, user_errors=[])  # type: ignore[arg-type]

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

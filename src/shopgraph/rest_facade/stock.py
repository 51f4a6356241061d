"""`/products/{id}/inventory`: a product's stock level, its settings, and its ledger."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from .. import representations
from ..formats import timestamp
from ..records import Inventory, InventoryMovement
from ..resolvers import inventory as service
from . import render
from .endpoint import Call
from .paging import list_response, page_input
from .queries import ListQuery, Query


def level(value: Inventory) -> dict[str, Any]:
    return {
        **(representations.inventory(value) or {}),
        "low_stock_threshold": value.low_stock_threshold,
        "low_stock": value.low_stock,
        "updated_at": timestamp(value.updated_at),
    }


def movement(value: InventoryMovement) -> dict[str, Any]:
    return {
        "id": value.id,
        "product_id": value.product_id,
        "kind": value.kind,
        "on_hand_delta": value.on_hand_delta,
        "reserved_delta": value.reserved_delta,
        "reason": value.reason,
        "actor": value.actor,
        "order_id": value.order_id,
        "created_at": timestamp(value.created_at),
    }


async def get_inventory(call: Call[Query]) -> Response:
    return render.json_response(level(await service.get_inventory(call.ctx, call.id)))


async def update_inventory(call: Call[Query]) -> Response:
    return render.json_response(level(await service.update_inventory(call.ctx, call.id, call.body)))


async def adjust_inventory(call: Call[Query]) -> Response:
    updated = await service.adjust_stock(call.ctx, call.id, call.body)
    return render.json_response(level(updated), 201)


async def list_movements(call: Call[ListQuery]) -> Response:
    page = await service.list_movements(call.ctx, call.id, page_input(call.query))
    return list_response(call.request, call.query, page, [movement(item) for item in page.items])

"""Records to JSON-ready dicts: plain functions, the shapes `models.py` documents."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from ..formats import timestamp
from ..records import Category, Customer, Inventory, Money, Order, OrderLine, Product

JSON = "application/json"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers=headers, media_type=JSON)


def created(path: str, body: dict[str, Any]) -> Response:
    """201 with the new resource and its `Location` (`path` is the collection's path)."""
    return json_response(body, 201, {"Location": f"{path.rstrip('/')}/{body['id']}"})


def no_content() -> Response:
    return Response(status_code=204)


def money(value: Money) -> dict[str, Any]:
    return {"amount": value.amount, "currency": value.currency}


def inventory(value: Inventory | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"on_hand": value.on_hand, "reserved": value.reserved, "available": value.available}


def category(value: Category) -> dict[str, Any]:
    return {
        "id": value.id,
        "name": value.name,
        "description": value.description,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def product(value: Product, stock: Inventory | None) -> dict[str, Any]:
    return {
        "id": value.id,
        "sku": value.sku,
        "name": value.name,
        "description": value.description,
        "price": money(value.price),
        "category_id": value.category_id,
        "inventory": inventory(stock),
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def customer(value: Customer) -> dict[str, Any]:
    return {
        "id": value.id,
        "email": value.email,
        "name": value.name,
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }


def order_line(value: OrderLine) -> dict[str, Any]:
    return {
        "product_id": value.product_id,
        "quantity": value.quantity,
        "unit_price": money(value.unit_price),
        "line_total": money(value.line_total),
    }


def order(value: Order, lines: list[OrderLine]) -> dict[str, Any]:
    return {
        "id": value.id,
        "number": value.number,
        "status": value.status,
        "customer_id": value.customer_id,
        "currency": value.currency,
        "subtotal": money(value.subtotal),
        "total": money(value.total),
        "lines": [order_line(line) for line in lines],
        "created_at": timestamp(value.created_at),
        "updated_at": timestamp(value.updated_at),
    }

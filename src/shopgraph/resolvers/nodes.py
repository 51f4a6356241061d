"""Global object identification: any public id back to its record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import ids
from ..auth.principal import Principal, may_see_customer, may_see_order_of
from ..context import RequestContext
from ..loaders.base import BatchLoader
from ..records import Category, Customer, Order, Payment, Product
from .audit_trail import record_read

Node = Category | Product | Customer | Order | Payment


def _loader(ctx: RequestContext, kind: str) -> BatchLoader[int, Any] | None:
    loaders = ctx.loaders
    by_kind: dict[str, BatchLoader[int, Any]] = {
        "Category": loaders.category_by_id,
        "Product": loaders.product_by_id,
        "Customer": loaders.customer_by_id,
        "Order": loaders.order_by_id,
        "Payment": loaders.payment_by_id,
    }
    return by_kind.get(kind)


async def get_nodes(ctx: RequestContext, public_ids: Sequence[str]) -> list[Node | None]:
    """The record behind each id, or None where the id is unknown or malformed.

    Ids of one type are fetched together, so `nodes(ids: [...])` costs one statement per type.
    """
    decoded = [ids.decode_any(public_id) for public_id in public_ids]
    by_kind: dict[str, list[int]] = {}
    for item in decoded:
        if item is not None:
            by_kind.setdefault(item[0], []).append(item[1])
    found: dict[tuple[str, int], Node | None] = {}
    for kind, keys in by_kind.items():
        loader = _loader(ctx, kind)
        if loader is None:
            continue
        for key, record in zip(keys, await loader.load_all(keys), strict=True):
            found[(kind, key)] = record
    principal = ctx.principal
    visible = [
        record if record is not None and _visible(principal, record) else None
        for record in (None if item is None else found.get(item) for item in decoded)
    ]
    record_read(ctx, [record.id for record in visible if isinstance(record, Customer)])
    return visible


def _visible(principal: Principal, record: Node) -> bool:
    """What a caller may not see is as absent as what does not exist."""
    if isinstance(record, Customer):
        return may_see_customer(principal, record.pk)
    if isinstance(record, Order):
        return may_see_order_of(principal, record.customer_pk)
    if isinstance(record, Payment):
        return principal.can("orders:read") and not principal.is_customer
    return True

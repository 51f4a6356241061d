"""Global object identification: any public id back to its record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import ids, registry
from ..auth.principal import Principal, may_see_customer, may_see_order_of
from ..context import RequestContext
from ..loaders.base import BatchLoader
from ..records import Category, Customer, Order, Payment, Product, Refund
from .audit_trail import record_read

Node = Category | Product | Customer | Order | Payment | Refund


def _loader(ctx: RequestContext, kind: str) -> BatchLoader[int, Any] | None:
    entity = registry.ENTITIES.get(kind)
    if entity is None or not entity.identified:
        return None
    return ctx.loaders.by_id(entity)


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
    records = [None if item is None else found.get(item) for item in decoded]
    owners = await _owners(ctx, [r for r in records if isinstance(r, Payment | Refund)])
    principal = ctx.principal
    visible = [
        record if record is not None and _visible(principal, record, owners) else None
        for record in records
    ]
    record_read(ctx, [record.id for record in visible if isinstance(record, Customer)])
    return visible


async def _owners(ctx: RequestContext, money: list[Payment | Refund]) -> dict[int, int]:
    """The customer behind each payment's and refund's order: payment pk -> customer pk."""
    refunded = [item.payment_pk for item in money if isinstance(item, Refund)]
    payments = [item for item in money if isinstance(item, Payment)]
    payments += [
        p for p in await ctx.loaders.by_id(registry.PAYMENT).load_all(refunded) if p is not None
    ]
    orders = await ctx.loaders.by_id(registry.ORDER).load_all([p.order_pk for p in payments])
    return {
        payment.pk: order.customer_pk
        for payment, order in zip(payments, orders, strict=True)
        if order is not None
    }


def _visible(principal: Principal, record: Node, owners: dict[int, int]) -> bool:
    """What a caller may not see is as absent as what does not exist: an order's payments
    and refunds follow the order, as `GET /v1/payments/{id}` does."""
    if isinstance(record, Customer):
        return may_see_customer(principal, record.pk)
    if isinstance(record, Order):
        return may_see_order_of(principal, record.customer_pk)
    if isinstance(record, Payment | Refund):
        payment_pk = record.pk if isinstance(record, Payment) else record.payment_pk
        owner = owners.get(payment_pk)
        return owner is not None and may_see_order_of(principal, owner)
    return True

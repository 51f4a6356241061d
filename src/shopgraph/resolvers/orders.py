"""Orders and their lines: reads. Placing and changing orders is the write path's job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import registry
from ..auth.principal import authorize, may_see_order_of
from ..context import RequestContext
from ..db.models import orders
from ..errors import FieldError, NotFound, ValidationFailed
from ..pagination import Page
from ..records import Order, OrderLine
from ..sort_keys import ORDER_SORTS
from .common import (
    Filter,
    PageInput,
    check_filter,
    fetch_page,
    filter_key,
    get_one,
    resolve_page_args,
)

ORDER_STATUSES = ("pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded")


@dataclass(frozen=True, slots=True)
class OrderFilter:
    status: str | None = None
    customer_id: str | None = None
    created_from: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive
    created_after: datetime | None = None  # created_from's deprecated name (inclusive too)

    @property
    def since(self) -> datetime | None:
        """The inclusive lower bound, by either name; VALIDATION_FAILED if given twice."""
        if self.created_from is not None and self.created_after is not None:
            message = "Give `created_from` only: `created_after` is its deprecated name."
            raise ValidationFailed(
                message, errors=[FieldError("created_after", "INVALID", message)]
            )
        return self.created_from if self.created_from is not None else self.created_after


async def list_orders(
    ctx: RequestContext, page: PageInput, where: OrderFilter = OrderFilter()
) -> Page[Order]:
    check_filter(where)
    authorize(ctx.principal, "orders:read")
    own = ctx.principal.customer_pk
    args = resolve_page_args(ctx, ORDER_SORTS, page)
    filters = []
    if where.status is not None:
        if where.status not in ORDER_STATUSES:
            raise ValidationFailed(
                f"Unknown order status `{where.status}`.",
                errors=[FieldError("status", "INVALID", f"One of: {', '.join(ORDER_STATUSES)}.")],
            )
        filters.append(Filter("status", orders.c.status.__eq__, where.status))
    customer_pk = filter_key("Customer", where.customer_id, "customer_id")
    if customer_pk is not None:
        filters.append(Filter("customer", orders.c.customer_id.__eq__, customer_pk))
    if own is not None:  # a customer token sees its own orders only
        filters.append(Filter("own", orders.c.customer_id.__eq__, own))
    if where.since is not None:
        filters.append(Filter("created_from", orders.c.created_at.__ge__, where.since))
    if where.created_before is not None:
        filters.append(Filter("created_before", orders.c.created_at.__lt__, where.created_before))
    return await fetch_page(ctx, registry.ORDER, args, filters)


async def get_order(ctx: RequestContext, order_id: str) -> Order:
    authorize(ctx.principal, "orders:read")
    order: Order = await get_one("Order", ctx.loaders.by_id(registry.ORDER), order_id)
    if not may_see_order_of(ctx.principal, order.customer_pk):
        raise NotFound(f"No order with id `{order_id}`.")
    return order


_LINED: dict[str, Any] = {}  # what `with_lines` makes of the reads, worked out once


def with_lines(ctx: RequestContext) -> None:
    """Orders this request reads from now on come with their lines, read in the same
    statement (`lines_of` then finds them loaded): a request that reads orders and their
    lines and nothing else reads once, and needs no snapshot transaction."""
    ctx.loaders.prepare([registry.ORDER_LINES], {}, _LINED)
    ctx.reader.reads_once()


async def lines_of(ctx: RequestContext, items: Sequence[Order]) -> list[list[OrderLine]]:
    """The lines of many orders in one statement."""
    return await ctx.loaders.follow(registry.ORDER_LINES).load_all([item.pk for item in items])

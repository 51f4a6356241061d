"""Sales figures for both surfaces: per-record aggregates and the shop's reports.

Every figure needs `reports:read`; figures about customers are customer data and need
`customers:read` as well (a customer's own `stats` excepted: see `registry.CUSTOMER_STATS`).
What counts as a sale, and when, is `analytics.statements`' business; docs/analytics.md
says it for users.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import literal_column
from sqlalchemy.engine import Dialect

from ..analytics import statements
from ..analytics.figures import (
    EMPTY,
    SalesRow,
    StockValue,
    Tally,
    TopProduct,
    exact,
    tally,
)
from ..analytics.periods import Grain, local_midnight, next_day, periods, time_zone
from ..analytics.statements import Range
from ..auth.principal import authorize
from ..context import RequestContext
from ..errors import FieldError, ValidationFailed, ValueTooLarge
from ..pagination import Page, SortKey, page_args
from ..records import Money, Product
from ..registry import PRODUCT
from ..registry.aggregate import Aggregate
from ..sort_keys import PRODUCT_SORTS
from .common import Filter, PageInput, fetch_page, resolve_page_args
from .inputs import CURRENCY_PATTERN

V = TypeVar("V")
GROUPINGS = ("day", "week", "month", "product", "category", "customer")
RANKINGS = ("revenue", "units")
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
MAX_TOP = 100
FIRST_PAGE = PageInput()
# Report rows are paged by their group: a period's first day, or a record's key.
_SORTS = {
    group: SortKey(
        group,
        literal_column(f"'sales_report_{group}'"),
        "str" if group in ("day", "week", "month") else "int",
        attrgetter("period") if group in ("day", "week", "month") else attrgetter(f"{group}_pk"),
    )
    for group in GROUPINGS
}


def time_range(
    start: datetime | None, end: datetime | None, names: tuple[str, str] = ("from", "to")
) -> Range:
    """The half-open range [start, end); VALIDATION_FAILED if it runs backwards or leaves
    the years 1900 to 8999."""
    for name, value in zip(names, (start, end), strict=True):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ValidationFailed(
                f"`{name}` must lie between 1900 and 9000.",
                errors=[FieldError(name, "OUT_OF_RANGE", "Between 1900-01-01 and 9000-01-01.")],
            )
    if start is not None and end is not None and end < start:
        raise ValidationFailed(
            f"`{names[1]}` is before `{names[0]}`.",
            errors=[FieldError(names[1], "INVALID", f"Must not be before `{names[0]}`.")],
        )
    return Range(start, end)


def figures_of(ctx: RequestContext, aggregate: Aggregate[V], owner: Any, span: Range) -> Any:
    """`aggregate`'s figures for `owner` (or the loader's future), batched with every other
    owner asking in the same tick; its guard decides first."""
    if aggregate.access is not None:
        aggregate.access(ctx.principal, owner)
    value = ctx.loaders.aggregate(aggregate, span).get(aggregate.key(owner))
    if isinstance(value, ValueTooLarge):
        raise value
    return value


async def figures_for(
    ctx: RequestContext, aggregate: Aggregate[V], owners: Sequence[Any], span: Range
) -> list[V]:
    """`aggregate`'s figures for each of `owners`, in one statement."""
    if aggregate.access is not None:
        for owner in owners:
            aggregate.access(ctx.principal, owner)
    key = aggregate.key
    found = await ctx.loaders.aggregate(aggregate, span).load_all([key(o) for o in owners])
    for value in found:
        if isinstance(value, ValueTooLarge):
            raise value
    return found  # type: ignore[return-value]  # no error among them


async def _rows(
    ctx: RequestContext,
    key: tuple[Any, ...],
    build: Callable[[Dialect], Any],
    values: Mapping[str, Any],
) -> list[Any]:
    """The rows of a report statement (compiled once under `key`), counted as read."""
    reader = ctx.reader
    rows = await reader.rows(reader.reads.get(key, build), values)
    reader.rows_read += len(rows)
    return rows


def _authorize(ctx: RequestContext, group: str = "") -> None:
    authorize(ctx.principal, "reports:read")
    if group == "customer":
        authorize(ctx.principal, "customers:read")


def _choice(value: str, options: Sequence[str], name: str) -> str:
    chosen = value.lower()
    if chosen not in options:
        raise ValidationFailed(
            f"`{name}` must be one of {', '.join(options)}.",
            errors=[FieldError(name, "INVALID", f"One of: {', '.join(options)}.")],
        )
    return chosen


async def sales_report(
    ctx: RequestContext,
    start: datetime,
    end: datetime,
    group_by: str,
    zone_name: str = "UTC",
    page: PageInput = FIRST_PAGE,
    names: tuple[str, str, str, str] = ("from", "to", "groupBy", "timeZone"),
) -> Page[SalesRow]:
    """Sales per period of a time zone's calendar (every period of the range, empty ones
    too) or per product, category or customer (those with sales or refunds), in order."""
    group = _choice(group_by, GROUPINGS, names[2])
    _authorize(ctx, group)
    span = time_range(start, end, names[:2])
    zone = time_zone(zone_name, names[3])
    sort = _SORTS[group]
    args = page_args(
        ctx.cursors,
        sort,
        first=page.first,
        after=page.after,
        default_size=ctx.settings.default_page_size,
        max_size=ctx.settings.max_page_size,
        names=page.names,
    )
    if group in ("day", "week", "month"):
        return await _by_period(ctx, span, Grain(group), zone, args.limit, args.after, sort)
    return await _by_record(ctx, span, group, args.limit, args.after, sort)


async def _by_period(
    ctx: RequestContext,
    span: Range,
    grain: Grain,
    zone: Any,
    limit: int,
    after: tuple[Any, int] | None,
    sort: SortKey,
) -> Page[SalesRow]:
    assert span.start is not None
    assert span.end is not None
    begin = span.start
    if after is not None:
        begin = max(begin, local_midnight(next_day(date.fromisoformat(after[0]), grain), zone))
    chosen = list(islice(periods(begin, span.end, grain, zone), limit + 1))
    more, chosen = len(chosen) > limit, chosen[:limit]
    found: dict[Any, Tally] = {}
    if chosen:
        bounds = statements.periods_bound(ctx.reader.dialect, [(p.start, p.end) for p in chosen])
        found = tally(await _rows(ctx, ("sales_by_period",), statements.sales_by_period, bounds))
    items = [_row(found.get(n, EMPTY), period=p) for n, p in enumerate(chosen, start=1)]
    cursors = [ctx.cursors.encode(sort, False, p.label.isoformat(), 0) for p in chosen]
    return Page(items, cursors, has_next=more, has_previous=after is not None)


async def _by_record(
    ctx: RequestContext,
    span: Range,
    group: str,
    limit: int,
    after: tuple[Any, int] | None,
    sort: SortKey,
) -> Page[SalesRow]:
    values = {**span.values(), "after": None if after is None else after[1]}
    rows = await _rows(
        ctx,
        ("sales_by", group, span.shape, after is not None, limit + 1),
        lambda dialect: statements.sales_by_entity(
            dialect, group, span.shape, after is not None, limit + 1
        ),
        values,
    )
    found = tally(rows)
    keys = list(found)
    more, keys = len(keys) > limit, keys[:limit]
    items = [_row(found[key], **{f"{group}_pk": int(key)}) for key in keys]
    if group != "customer":  # refunds name payments, not lines: not told apart per product
        items = [item._replace(refunds=None, net_sales=item.gross_sales) for item in items]
    cursors = [ctx.cursors.encode(sort, False, "", int(key)) for key in keys]
    return Page(items, cursors, has_next=more, has_previous=after is not None)


def _row(figures: Tally, **group: Any) -> SalesRow:
    fields: dict[str, Any] = dict.fromkeys(("period", "product_pk", "category_pk", "customer_pk"))
    fields.update(group)
    return SalesRow(
        **fields,
        order_count=figures.orders,
        units_sold=figures.units,
        gross_sales=figures.gross_sales(),
        refunds=figures.refunds(),
        net_sales=figures.net_sales(),
        average_order_value=figures.average_order_value(),
    )


async def top_products(
    ctx: RequestContext,
    by: str = "revenue",
    start: datetime | None = None,
    end: datetime | None = None,
    currency: str | None = None,
    first: int = 10,
    names: tuple[str, str, str, str] = ("by", "from", "to", "first"),
) -> list[TopProduct]:
    """The best-selling products by revenue or units, per currency (`currency` ranks one)."""
    _authorize(ctx)
    ranking = _choice(by, RANKINGS, names[0])
    span = time_range(start, end, (names[1], names[2]))
    if not 0 <= first <= MAX_TOP:
        raise ValidationFailed(
            f"`{names[3]}` must be between 0 and {MAX_TOP}.",
            errors=[FieldError(names[3], "OUT_OF_RANGE", f"Between 0 and {MAX_TOP}.")],
        )
    if currency is not None and not re.fullmatch(CURRENCY_PATTERN, currency):
        raise ValidationFailed(
            "`currency` must be an ISO 4217 code, such as USD.",
            errors=[FieldError("currency", "INVALID", "Three capital letters, such as USD.")],
        )
    if first == 0:
        return []
    chosen = currency is not None
    rows = await _rows(
        ctx,
        ("top_products", ranking, span.shape, chosen, first),
        lambda dialect: statements.top_products(dialect, ranking, span.shape, chosen, first),
        {**span.values(), "currency": currency},
    )
    return [
        TopProduct(
            rank,
            int(row[0]),
            row[1],
            int(row[3]),
            int(row[2]),
            Money(exact(row[4]), row[1]),
        )
        for rank, row in enumerate(rows, start=1)
    ]


async def inventory_valuation(ctx: RequestContext) -> list[StockValue]:
    """Stock on hand at current prices, per category and currency."""
    _authorize(ctx)
    rows = await _rows(ctx, ("inventory_valuation",), statements.inventory_valuation, {})
    return [
        StockValue(
            int(key) or None, currency, int(count), int(units), Money(exact(value), currency)
        )
        for key, currency, count, units, value in rows
    ]


async def low_stock_products(ctx: RequestContext, page: PageInput) -> Page[Product]:
    """Products at or below their low-stock threshold, as a keyset page."""
    _authorize(ctx)
    args = resolve_page_args(ctx, PRODUCT_SORTS, page)
    low = Filter("low_stock", lambda _unused: statements.low_stock(), True)
    return await fetch_page(ctx, PRODUCT, args, [low])

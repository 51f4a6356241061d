"""`/reports`: the sales report and the best sellers, over `resolvers.reports`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from .. import ids, representations
from ..analytics.figures import SalesRow, TopProduct
from ..formats import timestamp
from ..records import Money
from ..resolvers import reports as service
from ..resolvers.common import PageInput
from .endpoint import Call
from .paging import NAMES, link
from .queries import SalesReportQuery, TopProductsQuery
from .render import json_response


def _money(amounts: list[Money] | None) -> list[dict[str, Any]] | None:
    return None if amounts is None else [representations.money(m) for m in amounts]


def _id(kind: str, pk: int | None) -> str | None:
    return None if not pk else ids.encode(kind, pk)


def sales_row(row: SalesRow) -> dict[str, Any]:
    period = row.period
    return {
        "period": None
        if period is None
        else {
            "label": period.label.isoformat(),
            "start": timestamp(period.start),
            "end": timestamp(period.end),
        },
        "product_id": _id("Product", row.product_pk),
        "category_id": _id("Category", row.category_pk),
        "customer_id": _id("Customer", row.customer_pk),
        "order_count": row.order_count,
        "units_sold": row.units_sold,
        "gross_sales": _money(row.gross_sales),
        "refunds": _money(row.refunds),
        "net_sales": _money(row.net_sales),
        "average_order_value": _money(row.average_order_value),
    }


def top_product(row: TopProduct) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "product_id": ids.encode("Product", row.product_pk),
        "currency": row.currency,
        "units_sold": row.units_sold,
        "order_count": row.order_count,
        "revenue": representations.money(row.revenue),
    }


async def sales_report(call: Call[SalesReportQuery]) -> Response:
    query = call.query
    page = await service.sales_report(
        call.ctx,
        query.from_,
        query.to,
        query.group_by,
        query.time_zone,
        PageInput(first=query.limit, after=query.starting_after or None, names=NAMES),
        names=("from", "to", "group_by", "time_zone"),
    )
    next_cursor = page.end_cursor if page.has_next else None
    headers = None
    if next_cursor is not None:
        headers = {"Link": link(call.request, "starting_after", next_cursor, "next")}
    body = {
        "data": [sales_row(row) for row in page.items],
        "has_more": page.has_next,
        "next_cursor": next_cursor,
    }
    return json_response(body, headers=headers)


async def top_products(call: Call[TopProductsQuery]) -> Response:
    query = call.query
    found = await service.top_products(
        call.ctx,
        query.by,
        query.from_,
        query.to,
        query.currency,
        query.limit,
        names=("by", "from", "to", "limit"),
    )
    return json_response({"data": [top_product(row) for row in found]})

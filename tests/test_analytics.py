"""Aggregates and reports equal a plain-Python computation over the raw rows.

The shop of `analytics_data.plant` sells in two currencies around the 2026 clock changes
of Paris and New York, with orders of every status and refunds at their own times; each
answer of the API is compared with `analytics_data`'s computation from every row the
database holds. Hypothesis picks the ranges, zones and groupings.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopgraph import ids
from shopgraph.analytics.periods import Grain, periods
from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.settings import Settings

from . import analytics_data as data
from .conftest import GraphQL, bearer, client_of

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
REPORTER = Principal(
    kind="api_key", id="key_reporter", scopes=frozenset({"reports:read"}), tier="enterprise"
)


@pytest.fixture(scope="module")
async def shop(services: Services) -> data.Planted:
    import uuid

    return await data.plant(services, uuid.uuid4().hex[:8])


def instants() -> st.SearchStrategy[datetime]:
    span = int((data.END - data.START).total_seconds())
    return st.one_of(
        st.integers(0, span).map(lambda s: data.START + timedelta(seconds=s)),
        st.sampled_from(data.EDGES).flatmap(
            lambda edge: st.integers(-1440, 1440).map(lambda m: edge + timedelta(minutes=m))
        ),
    )


REPORT = """
query Report($from: DateTime!, $to: DateTime!, $group: ReportGrouping!, $zone: String!,
             $first: Int, $after: String) {
  salesReport(from: $from, to: $to, groupBy: $group, timeZone: $zone, first: $first,
              after: $after) {
    edges { cursor node {
      period { label start end } product { id } category { id } customer { id }
      orderCount unitsSold grossSales { amount currency } refunds { amount currency }
      netSales { amount currency } averageOrderValue { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _report(
    gql: GraphQL, start: datetime, end: datetime, group: str, zone: str, first: int = 100
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        body = await gql(
            REPORT,
            **{"from": start.isoformat(), "to": end.isoformat()},
            group=group.upper(),
            zone=zone,
            first=first,
            after=after,
        )
        assert "errors" not in body, body
        found = body["data"]["salesReport"]
        rows += [edge["node"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            return rows
        after = found["pageInfo"]["endCursor"]


def _figures(row: dict[str, Any], expected: data.Figures, *, refunds: bool) -> None:
    assert row["orderCount"] == len(expected.orders)
    assert row["unitsSold"] == expected.units
    assert row["grossSales"] == data.money(expected.gross)
    assert row["averageOrderValue"] == data.money(expected.aov())
    if refunds:
        assert row["refunds"] == data.money(expected.refunded)
        assert row["netSales"] == data.money(expected.net())
    else:
        assert row["refunds"] is None
        assert row["netSales"] == data.money(expected.gross)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    start=instants(),
    length=st.integers(0, 60 * 86_400),
    grain=st.sampled_from(["day", "week", "month"]),
    zone=st.sampled_from(ZONES),
    first=st.sampled_from([1, 7, 100]),
)
async def test_sales_by_period_equals_the_raw_rows(
    gql: GraphQL,
    services: Services,
    shop: data.Planted,
    start: datetime,
    length: int,
    grain: str,
    zone: str,
    first: int,
) -> None:
    end = start + timedelta(seconds=length)
    raw = await data.raw(services)
    expected = data.expected_by_period(raw, start, end, grain, ZoneInfo(zone))
    rows = await _report(gql, start, end, grain, zone, first=first if length < 20 * 86_400 else 100)
    # Every period of the range, in order, clipped to it, with nothing between them.
    if start == end:
        assert rows == []
        return
    assert rows[0]["period"]["start"] == _stamp(start)
    assert rows[-1]["period"]["end"] == _stamp(end)
    for before, after in itertools.pairwise(rows):
        assert before["period"]["end"] == after["period"]["start"]
        assert before["period"]["label"] < after["period"]["label"]
    labels = [date.fromisoformat(row["period"]["label"]) for row in rows]
    assert set(expected) <= set(labels)
    for row, label in zip(rows, labels, strict=True):
        _figures(row, expected.get(label, data.Figures()), refunds=True)
        period = row["period"]
        # The period holds exactly the instants whose local date falls in it.
        for moment in (_parse(period["start"]), _parse(period["end"]) - timedelta(microseconds=1)):
            assert data.label_of(moment, ZoneInfo(zone), grain) == label


@pytest.mark.parametrize("group", ["product", "category", "customer"])
@pytest.mark.parametrize("first", [2, 100])
async def test_sales_by_record_equals_the_raw_rows(
    gql: GraphQL, services: Services, shop: data.Planted, group: str, first: int
) -> None:
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)
    raw = await data.raw(services)
    expected = data.expected_by_record(raw, start, end, group)
    rows = await _report(gql, start, end, group, "UTC", first=first)
    kind = group.capitalize()
    found = {}
    for row in rows:
        node = row[group]
        key = 0 if node is None else ids.decode(kind, node["id"])
        assert key is not None
        found[key] = row
    assert list(found) == sorted(expected)
    for key, row in found.items():
        _figures(row, expected[key], refunds=group == "customer")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Paris", date(2026, 3, 29), 23),
        ("Europe/Paris", date(2026, 10, 25), 25),
        ("America/New_York", date(2026, 3, 8), 23),
        ("America/New_York", date(2026, 11, 1), 25),
        ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
        ("America/Santiago", date(2026, 9, 6), 23),  # the clocks skip midnight there
    ],
)
def test_days_are_as_long_as_the_calendar_says(zone: str, day: date, hours: float) -> None:
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, 12, tzinfo=tz) - timedelta(days=1)
    found = list(periods(start, start + timedelta(days=3), Grain.DAY, tz))
    (period,) = [p for p in found if p.label == day]
    assert (period.end - period.start) == timedelta(hours=hours)
    assert period.start.astimezone(tz).date() == day


AGGREGATES = """
query Aggregates($ids: [ID!]!, $categories: [ID!]!, $customers: [ID!]!,
                 $from: DateTime, $to: DateTime) {
  products: nodes(ids: $ids) { ... on Product { id
      sales(from: $from, to: $to) { unitsSold orderCount revenue { amount currency } } } }
  categories: nodes(ids: $categories) { ... on Category { id
      stats(from: $from, to: $to) { unitsSold orderCount productCount
                                     revenue { amount currency } } } }
  customers: nodes(ids: $customers) { ... on Customer { id
      stats { orderCount lifetimeValue { amount currency }
              averageOrderValue { amount currency } firstOrderAt lastOrderAt } } }
}
"""


@pytest.mark.parametrize(
    "span",
    [
        (None, None),
        ("2026-03-29T00:00:00Z", "2026-10-25T01:00:00Z"),
        ("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z"),  # empty
    ],
)
async def test_aggregates_equal_the_raw_rows(
    gql: GraphQL, services: Services, shop: data.Planted, span: tuple[str | None, str | None]
) -> None:
    start, end = (None if s is None else _parse(s) for s in span)
    body = await gql(
        AGGREGATES,
        ids=[data.public("Product", pk) for pk in shop.product_pks],
        categories=[data.public("Category", pk) for pk in shop.category_pks],
        customers=[data.public("Customer", pk) for pk in shop.customer_pks],
        **{"from": span[0], "to": span[1]},
    )
    assert "errors" not in body, body
    raw = await data.raw(services)
    lines = data.sales_lines(raw, start, end)
    for pk, node in zip(shop.product_pks, body["data"]["products"], strict=True):
        sold = data.Figures()
        for line in lines:
            if line.product_id == pk:
                sold.sale(line)
        assert node["sales"] == {
            "unitsSold": sold.units,
            "orderCount": len(sold.orders),
            "revenue": data.money(sold.gross),
        }
    for pk, node in zip(shop.category_pks, body["data"]["categories"], strict=True):
        sold = data.Figures()
        for line in lines:
            if raw.products[line.product_id].category_id == pk:
                sold.sale(line)
        held = sum(1 for p in raw.products.values() if p.category_id == pk)
        assert node["stats"] == {
            "unitsSold": sold.units,
            "orderCount": len(sold.orders),
            "productCount": held,
            "revenue": data.money(sold.gross),
        }
    for pk, node in zip(shop.customer_pks, body["data"]["customers"], strict=True):
        bought = [o for o in raw.orders.values() if o.customer_id == pk and o.status in data.SOLD]
        figures = data.Figures()
        for line in data.sales_lines(raw, None, None):
            if raw.orders[line.order_id].customer_id == pk:
                figures.sale(line)
        for refund in data.succeeded_refunds(raw, None, None):
            if raw.orders[refund.order_id].customer_id == pk:
                figures.refunded[refund.currency] += refund.amount
        times = sorted(o.created_at for o in bought)
        assert node["stats"] == {
            "orderCount": len(bought),
            "lifetimeValue": data.money(figures.net()),
            "averageOrderValue": data.money(figures.aov()),
            "firstOrderAt": _stamp(times[0]) if times else None,
            "lastOrderAt": _stamp(times[-1]) if times else None,
        }


TOP = """
query Top($by: TopProductsBy!, $currency: String, $first: Int!) {
  topProducts(by: $by, from: "2026-03-01T00:00:00Z", to: "2026-09-01T00:00:00Z",
              currency: $currency, first: $first) {
    rank currency unitsSold orderCount revenue { amount currency } product { id }
  }
}
"""


@pytest.mark.parametrize("by", ["REVENUE", "UNITS"])
@pytest.mark.parametrize("currency", [None, "EUR"])
async def test_top_products_rank_the_raw_rows(
    gql: GraphQL, services: Services, shop: data.Planted, by: str, currency: str | None
) -> None:
    body = await gql(TOP, by=by, currency=currency, first=5)
    assert "errors" not in body, body
    raw = await data.raw(services)
    totals: dict[tuple[int, str], data.Figures] = {}
    for line in data.sales_lines(
        raw, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC)
    ):
        if currency is None or line.currency == currency:
            totals.setdefault((line.product_id, line.currency), data.Figures()).sale(line)

    def measure(item: tuple[tuple[int, str], data.Figures]) -> tuple[Any, ...]:
        (pk, cur), figures = item
        value = figures.gross[cur] if by == "REVENUE" else figures.units
        return (-value, pk, cur)

    ranked = sorted(totals.items(), key=measure)[:5]
    assert body["data"]["topProducts"] == [
        {
            "rank": rank,
            "currency": cur,
            "unitsSold": figures.units,
            "orderCount": len(figures.orders),
            "revenue": {"amount": figures.gross[cur], "currency": cur},
            "product": {"id": data.public("Product", pk)},
        }
        for rank, ((pk, cur), figures) in enumerate(ranked, start=1)
    ]


async def test_inventory_valuation_and_low_stock_equal_the_raw_rows(
    gql: GraphQL, services: Services, shop: data.Planted
) -> None:
    body = await gql(
        """{ inventoryValuation { category { id } currency productCount unitsOnHand
                                  value { amount currency } }
             lowStockProducts(first: 100) { nodes { id } } }"""
    )
    assert "errors" not in body, body
    raw = await data.raw(services)
    expected: dict[tuple[int, str], list[int]] = {}
    for pk, stock in raw.stock.items():
        product = raw.products[pk]
        totals = expected.setdefault((product.category_id or 0, product.currency), [0, 0, 0])
        totals[0] += 1
        totals[1] += stock.on_hand
        totals[2] += stock.on_hand * product.price_amount
    assert body["data"]["inventoryValuation"] == [
        {
            "category": None if key == 0 else {"id": data.public("Category", key)},
            "currency": currency,
            "productCount": count,
            "unitsOnHand": units,
            "value": {"amount": value, "currency": currency},
        }
        for (key, currency), (count, units, value) in sorted(expected.items())
    ]
    low = sorted(
        (p.created_at, pk)
        for pk, p in raw.products.items()
        if pk in raw.stock
        and raw.stock[pk].low_stock_threshold is not None
        and raw.stock[pk].on_hand - raw.stock[pk].reserved <= raw.stock[pk].low_stock_threshold
    )
    found = [n["id"] for n in body["data"]["lowStockProducts"]["nodes"]]
    assert found == [data.public("Product", pk) for _, pk in low][:100]


# --- access -----------------------------------------------------------------------------------


async def _as(
    settings: Settings, services: Services, principal: Principal | None, query: str
) -> dict[str, Any]:
    headers = None if principal is None else bearer(settings, principal)
    async with client_of(settings, services, headers) as http:
        response = await http.post("/graphql", json={"query": query})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


async def test_figures_need_reports_read_and_customer_figures_customers_read(
    settings: Settings, services: Services, shop: data.Planted
) -> None:
    product = data.public("Product", shop.product_pks[0])
    customer = data.public("Customer", shop.customer_pks[0])
    query = f"""{{ product(id: "{product}") {{ sku sales {{ unitsSold }} }}
                   node(id: "{customer}") {{ ... on Customer {{ stats {{ orderCount }} }} }} }}"""
    anonymous = await _as(settings, services, None, query)
    assert anonymous["data"]["product"]["sales"] is None
    assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["UNAUTHENTICATED"]
    reporter = await _as(settings, services, REPORTER, query)
    assert reporter["data"]["product"]["sales"]["unitsSold"] >= 0
    # A customer's figures are customer data: reached through an order, without
    # customers:read, they are refused where the customer's name is not.
    orders_reader = Principal(
        kind="api_key", id="key_orders", scopes=frozenset({"orders:read"}), tier="enterprise"
    )
    through_orders = await _as(
        settings,
        services,
        orders_reader,
        "{ orders(first: 2, sort: NUMBER, direction: DESC) { nodes { customer { name "
        "stats { orderCount } } } } }",
    )
    nodes = through_orders["data"]["orders"]["nodes"]
    assert all(node["customer"]["name"] and node["customer"]["stats"] is None for node in nodes)
    assert [e["extensions"]["code"] for e in through_orders["errors"]] == ["FORBIDDEN"] * 2
    own = Principal(
        kind="customer",
        id=customer,
        scopes=frozenset({"orders:read"}),
        customer_pk=shop.customer_pks[0],
    )
    mine = await _as(
        settings,
        services,
        own,
        f'{{ node(id: "{customer}") {{ ... on Customer {{ stats {{ orderCount }} }} }} }}',
    )
    assert "errors" not in mine, mine
    assert mine["data"]["node"]["stats"]["orderCount"] >= 0
    by_customer = await _as(
        settings,
        services,
        REPORTER,
        '{ salesReport(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", '
        "groupBy: CUSTOMER) { nodes { orderCount } } }",
    )
    assert [e["extensions"]["code"] for e in by_customer["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ('from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z"', "to"),
        (
            'from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", timeZone: "Mars/Olympus"',
            "timeZone",
        ),
        ('from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", first: 1000', "first"),
        ('from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", after: "forged"', "after"),
    ],
)
async def test_bad_report_arguments_are_validation_errors(
    gql: GraphQL, arguments: str, field: str
) -> None:
    body = await gql(f"{{ salesReport({arguments}) {{ nodes {{ orderCount }} }} }}")
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED", body
    assert [e["field"] for e in error["extensions"]["errors"]] == [field]


async def test_a_currency_that_is_no_iso_code_is_refused_on_both_surfaces(
    gql: GraphQL, client: httpx.AsyncClient
) -> None:
    body = await gql('{ topProducts(currency: "usd") { rank } }')
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in error["extensions"]["errors"]] == ["currency"]
    rest = await client.get("/v1/reports/top-products", params={"currency": "usd"})
    assert rest.status_code == 422, rest.text
    assert [e["field"] for e in rest.json()["errors"]] == ["currency"]


async def test_rest_reports_answer_what_graphql_answers(
    client: httpx.AsyncClient, gql: GraphQL, shop: data.Planted
) -> None:
    start, end = "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"
    rest = await client.get(
        "/v1/reports/sales",
        params={
            "from": start,
            "to": end,
            "group_by": "week",
            "time_zone": "Europe/Paris",
            "limit": 100,
        },
    )
    assert rest.status_code == 200, rest.text
    rows = await _report(gql, _parse(start), _parse(end), "week", "Europe/Paris")
    assert [
        (r["period"]["label"], r["order_count"], r["units_sold"], r["net_sales"])
        for r in rest.json()["data"]
    ] == [(r["period"]["label"], r["orderCount"], r["unitsSold"], r["netSales"]) for r in rows]
    top = await client.get("/v1/reports/top-products", params={"by": "units", "limit": 3})
    assert top.status_code == 200, top.text
    graph = await gql("{ topProducts(by: UNITS, first: 3) { rank unitsSold product { id } } }")
    assert [(r["rank"], r["units_sold"], r["product_id"]) for r in top.json()["data"]] == [
        (r["rank"], r["unitsSold"], r["product"]["id"]) for r in graph["data"]["topProducts"]
    ]
    refused = await client.get("/v1/reports/sales", params={"from": end, "to": start})
    assert refused.status_code == 422
    assert refused.json()["code"] == "VALIDATION_FAILED"

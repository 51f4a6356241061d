"""The analytics dashboard on a large shop: shopgraph's answer against one hand-written SQL.

    .venv/bin/python bench/dashboard.py                 # 420,000 orders, ~1,050,000 lines
    .venv/bin/python bench/dashboard.py --requests 50

Seeds (once, with `shopgraph seed`, timed) a PostgreSQL database of at least a million
order lines, starts one `shopgraph serve`, and sends the dashboard query (a sales report by
day for 90 days in New York time, the top 10 products with their stock, 20 customers with
their stats) one request at a time, so the load generator costs nothing worth counting:
p50 and p99 of its latency. The floor is the same dashboard computed by one hand-written
SQL statement that builds its JSON in PostgreSQL, run the same number of times over
asyncpg. It prints the query plans of shopgraph's report statements (generic plans, as
the server runs them) and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import benchdb
import httpx
from http_bench import _default_shopgraph, access_token, console
from peers import libpq_url, shopgraph_env
from serverproc import Server
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

from shopgraph.analytics import statements
from shopgraph.analytics.periods import Grain, periods
from shopgraph.db.reads import compile_read

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_dashboard"
ZONE = "America/New_York"
COUNTS = benchdb.Counts(customers=20_000, products=2_000, orders=420_000)

DASHBOARD = """
query Dashboard($from: DateTime!, $to: DateTime!) {
  salesReport(from: $from, to: $to, groupBy: DAY, timeZone: "America/New_York", first: 90) {
    nodes { period { label start } orderCount unitsSold grossSales { amount currency }
            refunds { amount currency } netSales { amount currency } }
  }
  topProducts(by: REVENUE, from: $from, to: $to, first: 10) {
    rank unitsSold revenue { amount currency } product { sku name inventory { available } }
  }
  customers(first: 20) {
    nodes { name stats { orderCount lifetimeValue { amount currency }
                         averageOrderValue { amount currency } lastOrderAt } }
  }
}
"""

SOLD = "('paid', 'fulfilled', 'partially_refunded', 'refunded')"
FLOOR = f"""
WITH days AS (
  SELECT (o.created_at AT TIME ZONE $3)::date AS day, l.currency,
         count(DISTINCT o.id) AS orders, sum(l.quantity) AS units,
         sum(l.line_total_amount) AS gross
  FROM orders o JOIN order_lines l ON l.order_id = o.id
  WHERE o.status IN {SOLD} AND o.created_at >= $1 AND o.created_at < $2
  GROUP BY 1, 2),
returned AS (
  SELECT (r.created_at AT TIME ZONE $3)::date AS day, r.currency, sum(r.amount) AS amount
  FROM refunds r
  WHERE r.status = 'succeeded' AND r.created_at >= $1 AND r.created_at < $2
  GROUP BY 1, 2),
top AS (
  SELECT l.product_id, l.currency, sum(l.line_total_amount) AS revenue,
         sum(l.quantity) AS units
  FROM orders o JOIN order_lines l ON l.order_id = o.id
  WHERE o.status IN {SOLD} AND o.created_at >= $1 AND o.created_at < $2
  GROUP BY 1, 2 ORDER BY revenue DESC, l.product_id LIMIT 10),
buyers AS (SELECT id, name FROM customers ORDER BY created_at, id LIMIT 20),
bought AS (
  SELECT o.customer_id, o.currency, count(*) AS orders, sum(o.subtotal_amount) AS gross,
         max(o.created_at) AS last
  FROM orders o WHERE o.customer_id IN (SELECT id FROM buyers) AND o.status IN {SOLD}
  GROUP BY 1, 2),
refunded AS (
  SELECT o.customer_id, r.currency, sum(r.amount) AS amount
  FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = p.order_id
  WHERE o.customer_id IN (SELECT id FROM buyers) AND r.status = 'succeeded'
  GROUP BY 1, 2)
SELECT json_build_object(
  'days', (SELECT json_agg(json_build_object('day', d.day, 'currency', d.currency,
            'orders', d.orders, 'units', d.units, 'gross', d.gross,
            'refunds', coalesce(r.amount, 0)) ORDER BY d.day)
           FROM days d LEFT JOIN returned r ON r.day = d.day AND r.currency = d.currency),
  'top', (SELECT json_agg(json_build_object('sku', p.sku, 'name', p.name,
           'revenue', t.revenue, 'units', t.units, 'available', i.on_hand - i.reserved)
           ORDER BY t.revenue DESC, t.product_id)
          FROM top t JOIN products p ON p.id = t.product_id
          LEFT JOIN inventory_levels i ON i.product_id = t.product_id),
  'customers', (SELECT json_agg(json_build_object('name', c.name, 'orders', b.orders,
                 'lifetime', b.gross - coalesce(f.amount, 0),
                 'average', round(b.gross::numeric / b.orders), 'last', b.last))
                FROM buyers c LEFT JOIN bought b ON b.customer_id = c.id
                LEFT JOIN refunded f ON f.customer_id = c.id AND f.currency = b.currency)
)::text
"""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--orders", type=int, default=COUNTS.orders)
    parser.add_argument("--requests", type=int, default=30, help="measured, after 3 unmeasured")
    parser.add_argument("--shopgraph", default=_default_shopgraph())
    return parser.parse_args(argv)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare(url: str, orders: int, shopgraph: list[str], env: dict[str, str]) -> benchdb.Counts:
    """The database, seeded once; prints how long seeding took."""
    asyncio.run(benchdb.create_postgres_database(url))
    benchdb.shopgraph_cli(shopgraph, ["db", "upgrade"], env)
    counts, _ = benchdb.facts(url)
    wanted = benchdb.Counts(COUNTS.customers, COUNTS.products, orders)
    if not counts.matches(wanted):
        if counts.orders:
            asyncio.run(benchdb.drop_postgres_database(url))
            asyncio.run(benchdb.create_postgres_database(url))
            benchdb.shopgraph_cli(shopgraph, ["db", "upgrade"], env)
        started = time.monotonic()
        benchdb.shopgraph_cli(shopgraph, benchdb.seed_args(wanted, 42), env)
        console.print(f"seeded in {time.monotonic() - started:.1f} s (`shopgraph seed`)")
        counts, _ = benchdb.facts(url)
    console.print(
        f"database  {counts.customers:,} customers, {counts.products:,} products, "
        f"{counts.orders:,} orders, {counts.order_lines:,} order lines"
    )
    return counts


async def latest_order(url: str) -> datetime:
    connection = await asyncpg.connect(libpq_url(url))
    try:
        return await connection.fetchval("SELECT max(created_at) FROM orders")  # type: ignore[no-any-return]
    finally:
        await connection.close()


def dashboard_range(latest: datetime) -> tuple[datetime, datetime]:
    """90 whole New York days, ending at the local midnight after the latest order."""
    zone = ZoneInfo(ZONE)
    end_day = latest.astimezone(zone).date() + timedelta(days=1)
    end = datetime.combine(end_day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    start_day = end_day - timedelta(days=90)
    start = datetime.combine(start_day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    return start, end


async def floor_times(url: str, start: datetime, end: datetime, count: int) -> list[float]:
    connection = await asyncpg.connect(libpq_url(url))
    try:
        for _ in range(3):
            await connection.fetchval(FLOOR, start, end, ZONE)
        times = []
        for _ in range(count):
            began = time.perf_counter()
            await connection.fetchval(FLOOR, start, end, ZONE)
            times.append((time.perf_counter() - began) * 1000)
        return times
    finally:
        await connection.close()


async def plans(url: str, start: datetime, end: datetime) -> dict[str, str]:
    """EXPLAIN ANALYZE of the report statements, as generic plans (as the server runs them)."""
    dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
    chosen = list(periods(start, end, Grain.DAY, ZoneInfo(ZONE)))
    by_period = compile_read(statements.sales_by_period(dialect), dialect)
    top = compile_read(
        statements.top_products(dialect, "revenue", (True, True), False, 10), dialect
    )
    stats = compile_read(statements.customer_stats(dialect, (False, False)), dialect)
    connection = await asyncpg.connect(libpq_url(url))
    try:
        await connection.execute("SET plan_cache_mode = force_generic_plan")
        pks = [
            r[0]
            for r in await connection.fetch(
                "SELECT id FROM customers ORDER BY created_at, id LIMIT 20"
            )
        ]
        found = {}
        for name, read, values in (
            (
                "salesReport by day",
                by_period,
                statements.periods_bound(dialect, [(p.start, p.end) for p in chosen]),
            ),
            ("topProducts", top, {"start": start, "end": end, "currency": None}),
            ("Customer.stats", stats, {"keys": pks}),
        ):
            rows = await connection.fetch(
                "EXPLAIN (ANALYZE, COSTS OFF) " + read.sql, *read.parameters(values)
            )
            found[name] = "\n".join(row[0] for row in rows)
        return found
    finally:
        await connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shopgraph = shlex.split(args.shopgraph)
    url = args.database_url
    env = shopgraph_env(url)
    prepare(url, args.orders, shopgraph, env)
    key = benchdb.admin_key(shopgraph, env)
    start, end = dashboard_range(asyncio.run(latest_order(url)))
    console.print(f"range     {start.isoformat()} to {end.isoformat()} (90 days, {ZONE})")
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-dashboard-"))
    variables = {"from": start.isoformat(), "to": end.isoformat()}
    with Server(shopgraph, 1, env, workdir / "server.log", local_postgres=True) as server:
        server.wait_healthy(timeout=120)
        token = asyncio.run(access_token(server.base_url, key))
        times: list[float] = []
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            headers = {"Authorization": f"Bearer {token}"}
            for index in range(3 + args.requests):
                began = time.perf_counter()
                response = client.post(
                    "/graphql", json={"query": DASHBOARD, "variables": variables}, headers=headers
                )
                elapsed = (time.perf_counter() - began) * 1000
                body: dict[str, Any] = response.json()
                if response.status_code != 200 or "errors" in body:
                    console.print(f"[red]dashboard failed: {response.text[:500]}")
                    return 1
                if index >= 3:
                    times.append(elapsed)
        rows = len(body["data"]["salesReport"]["nodes"])
        console.print(f"answer    {len(response.content):,} bytes, {rows} days")
    floor = asyncio.run(floor_times(url, start, end, args.requests))
    for name, plan in asyncio.run(plans(url, start, end)).items():
        console.print(f"\n[bold]plan of {name}[/bold]\n{plan}")
    p50, p99 = statistics.median(times), percentile(times, 0.99)
    f50, f99 = statistics.median(floor), percentile(floor, 0.99)
    console.print(
        f"\n{args.requests} requests each, one at a time\n"
        f"shopgraph  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  (HTTP, GraphQL, 3 reports)\n"
        f"floor      p50 {f50:8.1f} ms  p99 {f99:8.1f} ms  (one SQL statement over asyncpg)\n"
        f"ratio      shopgraph / floor p50 {p50 / f50:.2f}x, p99 {p99 / f99:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

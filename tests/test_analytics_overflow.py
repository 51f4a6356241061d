"""Sums past 2^53 stay exact; past 2^63 - 1 they are refused, never rounded.

A shop of its own (its figures would be refused in every other test's report): one
product whose sales add up beyond 2^53 (where a double stops being exact), and one whose
sales add up beyond 2^63 - 1 (where a 64-bit integer stops, and SQLite refuses to add).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade_async
from shopgraph.db.models import customers, order_lines, orders, products
from shopgraph.settings import Settings

from .conftest import ADMIN, BACKENDS, bearer, private_database

BEYOND_DOUBLES = 2**53 - 1  # each of three lines: 3 x this needs more than a double
BEYOND_INT64 = 2**62  # each of three lines: 3 x this needs more than 63 bits
WHEN = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module", params=BACKENDS)
async def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("overflow")
    with private_database(request.param, folder, "overflow") as url:
        await upgrade_async(url)
        settings = Settings(database_url=url, secret_key="test-secret", rate_limit="off")
        services = Services(settings)
        made = {}
        async with services.database.transaction() as db:
            stamp = {"created_at": WHEN, "updated_at": WHEN, "version": 1}
            for name, amount in (("exact", BEYOND_DOUBLES), ("huge", BEYOND_INT64)):
                product = (
                    await db.execute(
                        insert(products)
                        .values(sku=name, name=name, price_amount=amount, currency="USD", **stamp)
                        .returning(products.c.id)
                    )
                ).scalar_one()
                made[name] = ids.encode("Product", product)
                customer_pk = (
                    await db.execute(
                        insert(customers)
                        .values(email=f"{name}@example.com", name="Big", **stamp)
                        .returning(customers.c.id)
                    )
                ).scalar_one()
                for n in range(3):
                    order = (
                        await db.execute(
                            insert(orders)
                            .values(
                                number=10_000 * (len(made)) + n,
                                status="paid",
                                customer_id=customer_pk,
                                currency="USD",
                                subtotal_amount=amount,
                                total_amount=amount,
                                **stamp,
                            )
                            .returning(orders.c.id)
                        )
                    ).scalar_one()
                    await db.execute(
                        insert(order_lines).values(
                            order_id=order,
                            product_id=product,
                            quantity=1,
                            currency="USD",
                            unit_price_amount=amount,
                            line_total_amount=amount,
                        )
                    )
        application = create_app(settings, migrate=False)
        application.state.services = services
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=application),
                base_url="http://testserver",
                headers=bearer(settings, ADMIN),
            ) as http:
                yield http, made
        finally:
            await services.close()


async def _graphql(http: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_sums_beyond_doubles_are_exact_and_beyond_int64_refused(
    shop: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, made = shop
    exact = (
        f'exact: product(id: "{made["exact"]}") {{ sales {{ unitsSold revenue {{ amount }} }} }}'
    )
    huge = f'huge: product(id: "{made["huge"]}") {{ sku sales {{ revenue {{ amount }} }} }}'
    alone = await _graphql(http, f"{{ {exact} }}")
    assert "errors" not in alone, alone
    assert alone["data"]["exact"]["sales"] == {
        "unitsSold": 3,
        "revenue": [{"amount": 3 * BEYOND_DOUBLES}],
    }
    assert 3 * BEYOND_DOUBLES > 2**53
    refused = await _graphql(http, f"{{ {huge} }}")
    assert refused["data"]["huge"] == {"sku": "huge", "sales": None}
    (error,) = refused["errors"]
    assert error["path"] == ["huge", "sales"]
    assert error["extensions"]["code"] == "VALUE_TOO_LARGE"


async def test_a_refused_sum_is_refused_for_its_owner_alone_on_postgresql(
    shop: tuple[httpx.AsyncClient, dict[str, str]], request: pytest.FixtureRequest
) -> None:
    """One statement adds up both products: PostgreSQL adds into `numeric`, and only the
    huge product's figures are refused; SQLite stops the whole sum (docs/analytics.md)."""
    http, made = shop
    body = await _graphql(
        http,
        f'{{ a: product(id: "{made["exact"]}") {{ sales {{ revenue {{ amount }} }} }}'
        f' b: product(id: "{made["huge"]}") {{ sales {{ revenue {{ amount }} }} }} }}',
    )
    codes = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    if "postgres" in request.node.callspec.id:
        assert body["data"]["a"]["sales"] == {"revenue": [{"amount": 3 * BEYOND_DOUBLES}]}
        assert codes == {("b", "sales"): "VALUE_TOO_LARGE"}
    else:
        assert body["data"] == {"a": {"sales": None}, "b": {"sales": None}}
        assert codes == {("a", "sales"): "VALUE_TOO_LARGE", ("b", "sales"): "VALUE_TOO_LARGE"}


async def test_reports_refuse_what_they_cannot_carry(
    shop: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, _ = shop
    body = await _graphql(
        http,
        '{ salesReport(from: "2026-05-01T00:00:00Z", to: "2026-07-01T00:00:00Z", '
        "groupBy: MONTH) { nodes { grossSales { amount } } } }",
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["VALUE_TOO_LARGE"]
    rest = await http.get(
        "/v1/reports/sales",
        params={
            "from": "2026-05-01T00:00:00Z",
            "to": "2026-07-01T00:00:00Z",
            "group_by": "product",
        },
    )
    assert rest.status_code == 422, rest.text
    assert rest.json()["code"] == "VALUE_TOO_LARGE"

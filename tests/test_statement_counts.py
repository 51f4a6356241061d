"""The number of SQL statements grows with query depth, never with the number of rows.

GraphQL queries are counted through both executors: Strawberry's resolvers (one statement
per relation per level) and the planned executor (one-to-one relations joined into their
owners' statements).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from shopgraph.app import create_app
from shopgraph.context import Services
from shopgraph.settings import Settings

from .conftest import ADMIN, GraphQL, StatementCounter, bearer


@pytest.fixture(params=["strawberry", "planned"])
async def executor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def gql(executor: str, settings: Settings, services: Services) -> AsyncIterator[GraphQL]:
    """An admin's GraphQL client of an app running queries through `executor`."""
    application = create_app(
        settings.model_copy(update={"planned_executor": executor == "planned"}), migrate=False
    )
    application.state.services = services
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=application),
        base_url="http://testserver",
        headers=bearer(settings, ADMIN),
    ) as http:
        yield GraphQL(http)


ORDERS = """
query Orders($first: Int!) {
  orders(first: $first) { edges { cursor node { id number status createdAt
      total { amount currency }
      customer { id name email }
      lines { quantity unitPrice { amount currency }
              product { id sku name price { amount currency }
                        category { id name } inventory { onHand reserved available } } } } }
    pageInfo { hasNextPage endCursor } }
}
"""

CUSTOMERS_WITH_ORDERS = """
query Customers($first: Int!) {
  customers(first: $first) { nodes { id name email
      orders(first: 10) { edges { cursor node { id number total { amount currency }
          lines { quantity product { sku } } } }
        pageInfo { hasNextPage endCursor } } } }
}
"""


def _reads(statements: StatementCounter) -> int:
    return sum(1 for s in statements.statements if s.lstrip().upper().startswith("SELECT"))


async def _count(statements: StatementCounter, gql: GraphQL, query: str, first: int) -> int:
    statements.reset()
    body = await gql(query, first=first)
    assert "errors" not in body, body
    return statements.count


async def test_nested_orders_query_costs_the_same_for_5_and_50_orders(
    gql: GraphQL, statements: StatementCounter, executor: str
) -> None:
    small = await _count(statements, gql, ORDERS, 5)
    large = await _count(statements, gql, ORDERS, 50)
    assert small == large
    if executor == "planned":
        # one statement: orders with their customers, lines, products, categories and stock
        assert _reads(statements) == 1, statements.statements
        # read outside any transaction; then the audit entry of the emails read is written
        assert statements.statements[0].lstrip().startswith("SELECT"), statements.statements
    else:
        # orders, customers, lines, products, categories, inventory
        assert _reads(statements) == 6, statements.statements


async def test_one_product_with_its_stock_is_one_statement_without_a_transaction(
    gql: GraphQL, statements: StatementCounter, executor: str
) -> None:
    page = await gql("{ products(first: 1) { nodes { id } } }")
    product_id = page["data"]["products"]["nodes"][0]["id"]
    query = "query($id: ID!) { product(id: $id) { id sku inventory { available } } }"
    statements.reset()
    body = await gql(query, id=product_id)
    assert body["data"]["product"]["inventory"]["available"] >= 0
    if executor == "planned":
        assert statements.statements == [statements.statements[0]], statements.statements
        assert statements.statements[0].lstrip().upper().startswith("SELECT")
    else:  # the product, then its stock, in one snapshot
        assert _reads(statements) == 2, statements.statements


async def test_nested_orders_query_returns_full_pages(gql: GraphQL) -> None:
    body = await gql(ORDERS, first=50)
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 50
    assert all(edge["node"]["lines"] for edge in edges)
    assert all(line["product"]["inventory"] for edge in edges for line in edge["node"]["lines"])


async def test_customers_with_their_orders_stay_batched(
    gql: GraphQL, statements: StatementCounter
) -> None:
    small = await _count(statements, gql, CUSTOMERS_WITH_ORDERS, 5)
    large = await _count(statements, gql, CUSTOMERS_WITH_ORDERS, 50)
    assert small == large
    body = await gql(CUSTOMERS_WITH_ORDERS, first=50)
    customers = body["data"]["customers"]["nodes"]
    assert len(customers) == 50
    assert any(len(c["orders"]["edges"]) == 10 for c in customers)
    assert all(len(c["orders"]["edges"]) <= 10 for c in customers)


async def test_customer_orders_pages_match_a_per_customer_query(gql: GraphQL) -> None:
    """The batched window query gives each customer the same page as asking alone."""
    body = await gql(CUSTOMERS_WITH_ORDERS, first=20)
    for customer in body["data"]["customers"]["nodes"][:5]:
        alone = await gql(
            "query($id: ID!) { customer(id: $id) { orders(first: 10) { edges { node { id } } "
            "pageInfo { hasNextPage } } } }",
            id=customer["id"],
        )
        expected = alone["data"]["customer"]["orders"]
        assert [e["node"]["id"] for e in customer["orders"]["edges"]] == [
            e["node"]["id"] for e in expected["edges"]
        ]
        assert customer["orders"]["pageInfo"]["hasNextPage"] == expected["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("path", ["/v1/orders", "/v1/products", "/v1/customers"])
async def test_rest_lists_cost_the_same_for_5_and_50_rows(
    client: httpx.AsyncClient, statements: StatementCounter, path: str
) -> None:
    counts = []
    for limit in (5, 50):
        statements.reset()
        response = await client.get(path, params={"limit": limit})
        assert response.status_code == 200, response.text
        assert len(response.json()["data"]) == limit
        counts.append(statements.count)
    assert counts[0] == counts[1]
    # The page, its related rows (lines, stock) joined; a third party's read of customers is
    # also written to the audit trail, which is not a read.
    selects = [s for s in statements.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, statements.statements


WITH_FRAGMENTS = """
query Orders($first: Int!) {
  orders(first: $first) {
    nodes { ...OrderParts }
    edges { node { id buyer: customer { id } } }
  }
}
fragment OrderParts on Order {
  id
  customer { ... on Customer { name } }
  lines { ...LineParts }
}
fragment LineParts on OrderLine {
  quantity
  item: product { sku ... { category { name } } inventory { available } }
}
"""


async def test_fragments_and_aliases_are_prefetched_and_give_the_same_data(
    gql: GraphQL, statements: StatementCounter, settings: Settings
) -> None:
    small = await _count(statements, gql, WITH_FRAGMENTS, 5)
    large = await _count(statements, gql, WITH_FRAGMENTS, 50)
    assert small == large
    assert _reads(statements) <= 6, statements.statements
    plain = (await gql(ORDERS, first=20))["data"]["orders"]["edges"]
    fancy = (await gql(WITH_FRAGMENTS, first=20))["data"]["orders"]
    for edge, node, other in zip(plain, fancy["nodes"], fancy["edges"], strict=True):
        expected = edge["node"]
        assert node["id"] == other["node"]["id"] == expected["id"]
        assert node["customer"]["name"] == expected["customer"]["name"]
        assert other["node"]["buyer"]["id"] == expected["customer"]["id"]
        assert [
            (
                line["quantity"],
                line["item"]["sku"],
                line["item"]["category"]["name"],
                line["item"]["inventory"]["available"],
            )
            for line in node["lines"]
        ] == [
            (
                line["quantity"],
                line["product"]["sku"],
                line["product"]["category"]["name"],
                line["product"]["inventory"]["available"],
            )
            for line in expected["lines"]
        ]


PRODUCTS_WITH_FIGURES = """
query Products($first: Int!) {
  products(first: $first) { nodes { sku
      sales(from: "2020-01-01T00:00:00Z") { unitsSold orderCount revenue { amount currency } }
      category { name stats { unitsSold productCount revenue { amount currency } } } } }
}
"""


async def test_aggregates_are_batched_per_level(
    gql: GraphQL, statements: StatementCounter, executor: str
) -> None:
    body = await gql(PRODUCTS_WITH_FIGURES, first=50)
    assert len(body["data"]["products"]["nodes"]) == 50
    small = await _count(statements, gql, PRODUCTS_WITH_FIGURES, 5)
    large = await _count(statements, gql, PRODUCTS_WITH_FIGURES, 50)
    assert small == large
    if executor == "planned":  # products joined with their categories, sales, stats
        assert _reads(statements) == 3, statements.statements
    else:  # products, their sales, their categories, the categories' stats
        assert _reads(statements) == 4, statements.statements

"""The GraphQL cost model: documented queries cost what the model says; too costly is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query, graphql_sync, parse

from shopgraph.schema import build_schema
from shopgraph.schema.cost import CostCalculator
from shopgraph.settings import Settings

from .conftest import GraphQL, StatementCounter

EXAMPLES = Path(__file__).parent.parent / "examples" / "graphql"


def _cost(query: str, **variables: Any) -> int:
    schema = build_schema(Settings())
    return CostCalculator(schema._schema, default_page_size=20).cost(parse(query), None, variables)


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        # scalars are free; the connection 1, each node 1, pageInfo 1
        ("{ products(first: 3) { nodes { id name } pageInfo { hasNextPage } } }", {}, 1 + 3 + 1),
        # no first/last: the default page size (20)
        ("{ products { nodes { id } } }", {}, 1 + 20),
        # variables count as their values; every object field costs 1
        (
            "query($n: Int) { products(first: $n) { nodes { price { amount } } } }",
            {"n": 4},
            1 + 4 * 2,
        ),
        # edges and nodes both pay per item
        ("{ categories(first: 2) { edges { node { id } } nodes { id } } }", {}, 1 + 2 * 2 + 2 * 1),
        # a connection inside a connection multiplies
        (
            "{ customers(first: 10) { nodes { orders(first: 5) { nodes { id } } } } }",
            {},
            1 + 10 * (1 + (1 + 5 * 1)),
        ),
        # plain lists are paid once; nodes(ids:) once per id
        ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["a", "b", "c"]}, 3),
        ('{ order(id: "x") { lines { product { id } } } }', {}, 1 + 1 + 1),
        # fragments count where they are spread
        (
            '{ product(id: "x") { ...P } } '
            "fragment P on Product { price { amount } category { id } }",
            {},
            1 + 2,
        ),
        # a mutation costs 10 on top of its selection
        ('mutation { deleteProduct(id: "x") { userErrors { code } } }', {}, 1 + 1 + 10),
        ("{ __typename }", {}, 0),
        # arguments are priced as execution coerces them: defaults and float variables too
        (
            "query($n: Int = 100) { customers(first: $n) { nodes { orders(first: $n) "
            "{ nodes { id } } } } }",
            {},
            1 + 100 * (1 + (1 + 100)),
        ),
        ("query($n: Int) { products(first: $n) { nodes { id } } }", {"n": 100.0}, 1 + 100),
        ('query($ids: [ID!]! = ["a", "b", "c", "d"]) { nodes(ids: $ids) { id } }', {}, 4),
        ('query($id: ID = "x") { nodes(ids: [$id, $id]) { id } }', {}, 2),
        # aggregates cost their object plus a surcharge, per parent
        (
            "{ products(first: 10) { nodes { sales { revenue { amount } } } } }",
            {},
            1 + 10 * (1 + (1 + 2 + 1)),
        ),
        # a report row is not free: 10 for the report, then each row and what it holds
        (
            '{ salesReport(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", '
            "first: 31) { nodes { grossSales { amount } product { id } } } }",
            {},
            1 + 10 + 31 * (1 + 1 + 1),
        ),
        # topProducts is paid once per product it can return
        ("{ topProducts(first: 7) { product { id } } }", {}, 10 + 7 * (1 + 1)),
        ("{ topProducts { revenue { amount } } }", {}, 10 + 10 * (1 + 1)),
        # introspection is priced: __type and each object below it cost 1
        ('{ __type(name: "Money") { name } }', {}, 1),
        # `ofType` is priced at the share of references that are wrapped, rounded up
        ('{ __type(name: "Money") { name ofType { name } } }', {}, 2),
    ],
)
def test_documented_costs(query: str, variables: dict[str, Any], expected: int) -> None:
    assert _cost(query, **variables) == expected


def test_the_canonical_nested_query_costs_502() -> None:
    query = (EXAMPLES / "orders.graphql").read_text()
    # orders 1 + 50 x (edges, node, total, customer, lines, unitPrice, product, price,
    # category, inventory) + pageInfo 1
    assert _cost(query, first=50) == 1 + 50 * 10 + 1


async def test_too_costly_is_refused_before_execution(
    client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    statements.reset()
    query = "{ customers(first: 100) { nodes { orders(first: 100) { nodes { id } } } } }"
    response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 10201, "maximum": 5000}
    assert body["extensions"]["cost"]["requestedQueryCost"] == 10201
    assert not [s for s in statements.statements if "customers" in s], statements.statements
    strict = await client.post(
        "/graphql",
        json={"query": query},
        headers={"accept": "application/graphql-response+json"},
    )
    assert strict.status_code == 400


async def test_every_response_reports_the_cost(gql: GraphQL) -> None:
    body = await gql("query($n: Int) { products(first: $n) { nodes { id } } }", n=7)
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 8
    assert cost["maximumQueryCost"] == 5000
    assert cost["actualQueryCost"] == 1 + len(body["data"]["products"]["nodes"])


async def test_an_object_selected_twice_under_one_key_is_charged_once(gql: GraphQL) -> None:
    """The actual cost counts what the response holds, not the selections naming it."""
    query = (
        "query($n: Int) { products(first: $n) { nodes { id price { amount } } } ...More } "
        "fragment More on Query { products(first: $n) { nodes { price { currency } } } }"
    )
    body = await gql(query, n=3)
    nodes = body["data"]["products"]["nodes"]
    assert nodes[0]["price"] == {"amount": nodes[0]["price"]["amount"], "currency": "USD"}
    # the connection, and per product the node and its price
    assert body["extensions"]["cost"]["actualQueryCost"] == 1 + 2 * len(nodes)


def test_introspection_is_priced_as_what_it_returns() -> None:
    """Issue 9.2: the standard introspection query was priced 0."""
    schema = build_schema(Settings())
    calculator = CostCalculator(schema._schema, default_page_size=20)
    document = parse(get_introspection_query(descriptions=True))
    price = calculator.cost(document, None, {})
    result = graphql_sync(schema._schema, get_introspection_query(descriptions=True))
    returned = calculator.actual(document, None, {}, result.data)
    assert returned > 1000
    assert returned <= price <= returned * 1.1


async def test_introspection_entry_points_are_capped(gql: GraphQL) -> None:
    aliases = " ".join(
        f"a{n}: __schema {{ types {{ fields {{ type {{ ofType {{ name }} }} }} }} }}"
        for n in range(30)
    )
    body = await gql(f"{{ {aliases} }}")
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_variables_defaults_cannot_sneak_past_the_limit(
    client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    """Issue 9.1: `$n: Int = 100` was priced as if `first` were absent."""
    query = (
        "query($n: Int = 100) { customers(first: $n) { nodes { orders(first: $n) "
        "{ nodes { id } } } } }"
    )
    statements.reset()
    for variables in ({}, {"n": 100.0}):
        body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", body
        assert body["extensions"]["cost"]["requestedQueryCost"] == 10201
    assert not [s for s in statements.statements if "customers" in s]


async def test_work_that_ran_is_charged_even_when_data_is_nulled(gql: GraphQL) -> None:
    """Issue 9.3: a query that read rows and then failed was refunded everything."""
    query = (
        '{ customers(first: 20) { nodes { id orders(first: 5, after: "not-a-cursor") '
        "{ nodes { id } } } } }"
    )
    body = await gql(query)
    assert body["errors"], body
    cost = body["extensions"]["cost"]
    assert cost["actualQueryCost"] >= 20  # the customers were read before the error

"""REST and GraphQL return the same data for the same resource: ids, money, timestamps."""

from __future__ import annotations

from typing import Any

import httpx

from shopgraph.versioning.changes import LINKS

from .conftest import GraphQL


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _data(object_type: str, resource: dict[str, Any]) -> dict[str, Any]:
    """A REST resource without the URLs it carries, which GraphQL has no use for (the graph
    is its links; tests/test_resource_links.py follows them)."""
    links = LINKS[object_type]
    assert links <= resource.keys(), resource
    return {key: value for key, value in resource.items() if key not in links}


def _as_rest(value: Any) -> Any:
    """A GraphQL object with REST's field names (camelCase to snake_case)."""
    if isinstance(value, dict):
        return {_snake(key): _as_rest(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_rest(item) for item in value]
    return value


async def test_product_reads_the_same_both_ways(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    category = (await client.post("/v1/categories", json={"name": f"Parity {unique}"})).json()
    created = await client.post(
        "/v1/products",
        json={
            "sku": f"P-{unique}",
            "name": "Parity pot",
            "description": "Same both ways",
            "price": {"amount": 123456789012, "currency": "EUR"},
            "category_id": category["id"],
        },
    )
    rest = (await client.get(f"/v1/products/{created.json()['id']}")).json()
    body = await gql(
        """query($id: ID!) { product(id: $id) { id sku name description price { amount currency }
             createdAt updatedAt category { id } inventory { onHand reserved available } } }""",
        id=rest["id"],
    )
    graphql = _as_rest(body["data"]["product"])
    graphql["category_id"] = graphql.pop("category")["id"]
    assert graphql == _data("Product", rest)
    assert rest["price"] == {"amount": 123456789012, "currency": "EUR"}
    assert rest["created_at"].endswith("Z")


async def test_order_reads_the_same_both_ways(client: httpx.AsyncClient, gql: GraphQL) -> None:
    rest = (await client.get("/v1/orders", params={"limit": 3})).json()["data"]
    for order in rest:
        body = await gql(
            """query($id: ID!) { order(id: $id) { id number status currency
                 subtotal { amount currency } total { amount currency }
                 createdAt updatedAt customer { id }
                 lines { quantity unitPrice { amount currency } lineTotal { amount currency }
                         product { id } } } }""",
            id=order["id"],
        )
        graphql = _as_rest(body["data"]["order"])
        graphql["customer_id"] = graphql.pop("customer")["id"]
        # Enum values follow each surface's convention: FULFILLED in GraphQL, fulfilled in REST.
        assert graphql["status"] == order["status"].upper()
        graphql["status"] = order["status"]
        for line in graphql["lines"]:
            line["product_id"] = line.pop("product")["id"]
        assert graphql == _data("Order", order)
        assert (
            sum(line["line_total"]["amount"] for line in order["lines"]) == order["total"]["amount"]
        )


async def test_customer_and_category_read_the_same_both_ways(
    client: httpx.AsyncClient, gql: GraphQL
) -> None:
    customer = (await client.get("/v1/customers", params={"limit": 1})).json()["data"][0]
    body = await gql(
        "query($id: ID!) { node(id: $id) "
        "{ ... on Customer { id email name createdAt updatedAt } } }",
        id=customer["id"],
    )
    assert _as_rest(body["data"]["node"]) == _data("Customer", customer)
    category = (await client.get("/v1/categories", params={"limit": 1})).json()["data"][0]
    body = await gql(
        "query($id: ID!) { category(id: $id) { id name description createdAt updatedAt } }",
        id=category["id"],
    )
    assert _as_rest(body["data"]["category"]) == _data("Category", category)


async def test_lists_agree_on_order_and_cursors_do_not_cross(
    client: httpx.AsyncClient, gql: GraphQL
) -> None:
    rest = (
        await client.get("/v1/orders", params={"limit": 10, "sort": "total", "direction": "desc"})
    ).json()
    body = await gql("{ orders(first: 10, sort: TOTAL, direction: DESC) { nodes { id } } }")
    assert [o["id"] for o in rest["data"]] == [o["id"] for o in body["data"]["orders"]["nodes"]]


async def test_nodes_resolves_mixed_ids_in_order(client: httpx.AsyncClient, gql: GraphQL) -> None:
    order = (await client.get("/v1/orders", params={"limit": 1})).json()["data"][0]
    product = (await client.get("/v1/products", params={"limit": 1})).json()["data"][0]
    ids = [order["id"], "nonsense", product["id"], order["customer_id"]]
    body = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }", ids=ids)
    assert body["data"]["nodes"] == [
        {"id": order["id"], "__typename": "Order"},
        None,
        {"id": product["id"], "__typename": "Product"},
        {"id": order["customer_id"], "__typename": "Customer"},
    ]

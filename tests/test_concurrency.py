"""Concurrent writes through the real app: uniqueness and counters hold under contention."""

from __future__ import annotations

import asyncio

import httpx

from .conftest import GraphQL


async def test_concurrent_creates_with_one_sku_make_one_product(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    body = {"sku": f"RACE-{unique}", "name": "Racer", "price": {"amount": 100, "currency": "USD"}}
    rest = [client.post("/v1/products", json=body) for _ in range(10)]
    graphql = [
        gql(
            "mutation($input: ProductCreateInput!) { createProduct(input: $input) "
            "{ product { id } userErrors { code } } }",
            input={**body, "name": "Racer"},
        )
        for _ in range(10)
    ]
    rest_results, graphql_results = await asyncio.gather(
        asyncio.gather(*rest), asyncio.gather(*graphql)
    )
    rest_statuses = sorted(r.status_code for r in rest_results)
    graphql_ok = [r for r in graphql_results if r["data"]["createProduct"]["product"]]
    created = rest_statuses.count(201) + len(graphql_ok)
    assert created == 1
    assert set(rest_statuses) <= {201, 409}
    assert all(
        r["data"]["createProduct"]["userErrors"] == [{"code": "TAKEN"}]
        for r in graphql_results
        if not r["data"]["createProduct"]["product"]
    )
    listed = await client.get("/v1/products", params={"sku": f"RACE-{unique}"})
    assert len(listed.json()["data"]) == 1


async def test_concurrent_updates_are_all_applied(client: httpx.AsyncClient, unique: str) -> None:
    created = await client.post(
        "/v1/customers", json={"email": f"c.{unique}@example.com", "name": "N0"}
    )
    customer_id = created.json()["id"]
    updates = [
        client.patch(f"/v1/customers/{customer_id}", json={"name": f"N{i}"}) for i in range(1, 16)
    ]
    responses = await asyncio.gather(*updates)
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    final = (await client.get(f"/v1/customers/{customer_id}")).json()
    assert final["name"] in {f"N{i}" for i in range(1, 16)}


async def test_reads_stay_consistent_during_writes(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    """Readers running alongside writers never see a half-written product or an error."""
    query = (
        "{ products(first: 50, sort: CREATED_AT, direction: DESC) "
        "{ nodes { id sku inventory { onHand } } } }"
    )

    async def writer(i: int) -> None:
        response = await client.post(
            "/v1/products",
            json={
                "sku": f"RW-{unique}-{i}",
                "name": "Pair",
                "price": {"amount": 1, "currency": "USD"},
            },
        )
        assert response.status_code == 201, response.text

    async def reader() -> None:
        body = await gql(query)
        assert "errors" not in body, body
        assert all(node["inventory"] is not None for node in body["data"]["products"]["nodes"])

    await asyncio.gather(*(writer(i) for i in range(10)), *(reader() for _ in range(10)))

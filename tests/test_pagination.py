"""Keyset pagination: complete walks under concurrent change, both directions, bad cursors."""

from __future__ import annotations

import base64

import httpx
import pytest

from .conftest import GraphQL

CREATE_PRODUCT = """
mutation($input: ProductCreateInput!) {
  createProduct(input: $input) { product { id } userErrors { field code message } }
}"""
DELETE_PRODUCT = "mutation($id: ID!) { deleteProduct(id: $id) { deletedId userErrors { code } } }"
PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter,
      $sort: ProductSort!, $direction: SortDirection!) {
  products(first: $first, after: $after, last: $last, before: $before, filter: $filter,
           sort: $sort, direction: $direction) {
    edges { cursor node { id name price { amount } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def _category(gql: GraphQL, unique: str) -> str:
    body = await gql(
        "mutation($name: String!) { createCategory(input: {name: $name}) { category { id } } }",
        name=f"Paging {unique}",
    )
    return str(body["data"]["createCategory"]["category"]["id"])


async def _product(gql: GraphQL, category: str, sku: str, name: str, price: int) -> str:
    body = await gql(
        CREATE_PRODUCT,
        input={
            "sku": sku,
            "name": name,
            "price": {"amount": price, "currency": "USD"},
            "categoryId": category,
        },
    )
    payload = body["data"]["createProduct"]
    assert payload["userErrors"] == []
    return str(payload["product"]["id"])


@pytest.mark.parametrize(
    ("sort", "direction"), [("NAME", "ASC"), ("PRICE", "DESC"), ("CREATED_AT", "ASC")]
)
async def test_walk_sees_every_row_once_while_rows_come_and_go(
    gql: GraphQL, unique: str, sort: str, direction: str
) -> None:
    category = await _category(gql, unique)
    stable = set()
    for i in range(12):
        # Duplicate names and prices: the id tie-breaker must keep the order total.
        stable.add(await _product(gql, category, f"S-{unique}-{i}", f"Item {i % 4}", 100 * (i % 3)))
    doomed = [await _product(gql, category, f"D-{unique}-{i}", f"Item {i}", 50) for i in range(6)]

    seen: list[str] = []
    after = None
    added = 0
    for step in range(50):
        body = await gql(
            PAGE,
            first=3,
            after=after,
            filter={"categoryId": category},
            sort=sort,
            direction=direction,
        )
        connection = body["data"]["products"]
        seen.extend(edge["node"]["id"] for edge in connection["edges"])
        # Between pages: delete a row we may or may not have seen, add rows before and after.
        if doomed:
            await gql(DELETE_PRODUCT, id=doomed.pop())
        await _product(gql, category, f"N-{unique}-{step}", "Item 0", 0)
        await _product(gql, category, f"Z-{unique}-{step}", "zzz", 10**9)
        added += 2
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)), "a row was returned twice"
    assert stable <= set(seen), "a row present for the whole walk was missed"


async def test_backward_paging_mirrors_forward(gql: GraphQL, unique: str) -> None:
    category = await _category(gql, unique)
    ids = [await _product(gql, category, f"B-{unique}-{i}", f"Thing {i}", i) for i in range(7)]
    common = {"filter": {"categoryId": category}, "sort": "PRICE", "direction": "ASC"}
    forward: list[str] = []
    after = None
    while True:
        page = (await gql(PAGE, first=3, after=after, **common))["data"]["products"]
        forward += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert forward == ids
    backward: list[str] = []
    before = None
    while True:
        page = (await gql(PAGE, last=3, before=before, **common))["data"]["products"]
        backward = [edge["node"]["id"] for edge in page["edges"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backward == ids


async def _error_code(gql: GraphQL, **variables: object) -> str:
    body = await gql(PAGE, sort="NAME", direction="ASC", **variables)
    assert body["data"] is None
    return str(body["errors"][0]["extensions"]["code"])


async def test_tampered_cursors_are_validation_errors(gql: GraphQL) -> None:
    page = (await gql(PAGE, first=2, sort="NAME", direction="ASC"))["data"]["products"]
    cursor = page["pageInfo"]["endCursor"]
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[5] ^= 0x01
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    for bad in (forged, "not-a-cursor", "", "!!!", cursor[:-2]):
        if bad:
            assert await _error_code(gql, first=2, after=bad) == "VALIDATION_FAILED"
    # A valid cursor for another sort order is refused too, not silently misread.
    other = await gql(PAGE, first=2, after=cursor, sort="PRICE", direction="ASC")
    assert other["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_first_and_last_together_or_out_of_range(gql: GraphQL) -> None:
    assert await _error_code(gql, first=2, last=2) == "VALIDATION_FAILED"
    assert await _error_code(gql, first=-1) == "VALIDATION_FAILED"
    assert await _error_code(gql, first=101) == "VALIDATION_FAILED"


async def test_rest_walk_matches_graphql_walk(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    category = await _category(gql, unique)
    ids = [await _product(gql, category, f"R-{unique}-{i}", f"Rest {i}", 10) for i in range(5)]
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2, "category_id": category, "sort": "price"}
    while True:
        response = await client.get("/v1/products", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [item["id"] for item in body["data"]]
        if not body["has_more"]:
            assert "next" not in response.headers.get("link", "")
            break
        assert 'rel="next"' in response.headers["link"]
        params["starting_after"] = body["next_cursor"]
    assert seen == ids
    tampered = await client.get("/v1/products", params={"starting_after": "garbage"})
    assert tampered.status_code == 422
    assert tampered.json()["code"] == "VALIDATION_FAILED"

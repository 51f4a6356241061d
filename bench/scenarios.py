"""The scenarios: the requests each one sends, and how every response is checked.

GraphQL documents are constants; values travel only in `variables`, as real clients
send them (and as the server's parser and validation caches expect).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import orjson

ORDERS_QUERY = """\
query Orders($first: Int!) { orders(first: $first) { edges { cursor node {
    id number status createdAt
    total { amount currency }
    customer { id name email }
    lines { quantity unitPrice { amount currency }
            product { id sku name price { amount currency }
                      category { id name } inventory { onHand reserved available } } } } }
  pageInfo { hasNextPage endCursor } } }
"""
PRODUCT_QUERY = (
    "query($id: ID!) { product(id: $id) { id sku name price { amount currency } "
    "inventory { available } } }"
)
PRODUCT_IDS_QUERY = (
    "query($first: Int!, $after: String) { products(first: $first, after: $after) "
    "{ edges { node { id } } pageInfo { hasNextPage endCursor } } }"
)
ID_PAGES = 2  # pages of 100 product ids to cycle over: about 200 distinct products
ID_PAGE_SIZE = 100

JSON = "application/json"
GET_HEADERS = {"accept": JSON}
POST_HEADERS = {"accept": JSON, "content-type": JSON}


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    body: bytes | None = None  # already-encoded JSON

    @property
    def headers(self) -> dict[str, str]:
        return POST_HEADERS if self.body is not None else GET_HEADERS


# A check returns None for a good response, or a short reason why it is not.
Check = Callable[[httpx.Response], str | None]
Prepare = Callable[[httpx.AsyncClient], Awaitable[list[Request]]]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    prepare: Prepare
    check: Check
    rest: bool


class SetupFailed(Exception):
    """A scenario could not fetch what it needs before the load starts."""


def _json(response: httpx.Response) -> tuple[Any, str | None]:
    if response.status_code != 200:
        return None, f"HTTP {response.status_code}"
    try:
        return orjson.loads(response.content), None
    except orjson.JSONDecodeError:
        return None, "body is not JSON"


def _graphql_data(response: httpx.Response) -> tuple[Any, str | None]:
    body, problem = _json(response)
    if problem is not None:
        return None, problem
    if not isinstance(body, dict):
        return None, "body is not a JSON object"
    if "errors" in body:
        first = body["errors"][0] if body["errors"] else {}
        code = (first.get("extensions") or {}).get("code", "?")
        return None, f"GraphQL error {code}: {str(first.get('message'))[:80]}"
    if not isinstance(body.get("data"), dict):
        return None, "no `data`"
    return body["data"], None


def _graphql_body(query: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": query, "variables": variables})


# --- checks -------------------------------------------------------------------------


def check_orders_page(response: httpx.Response) -> str | None:
    data, problem = _graphql_data(response)
    if problem is not None:
        return problem
    edges = (data.get("orders") or {}).get("edges")
    if not isinstance(edges, list) or len(edges) != 50:
        return "expected 50 orders"
    return None


def check_graphql_product(response: httpx.Response) -> str | None:
    data, problem = _graphql_data(response)
    if problem is not None:
        return problem
    return None if isinstance(data.get("product"), dict) else "product is null"


def check_rest_product(response: httpx.Response) -> str | None:
    body, problem = _json(response)
    if problem is not None:
        return problem
    return None if isinstance(body, dict) and "id" in body else "no `id` in the product"


def check_rest_orders_page(response: httpx.Response) -> str | None:
    body, problem = _json(response)
    if problem is not None:
        return problem
    items = body.get("data") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) != 50:
        return "expected 50 orders in `data`"
    return None


# --- what to send -------------------------------------------------------------------


async def rest_product_ids(client: httpx.AsyncClient) -> list[str]:
    """Up to 200 real product ids, from the first two pages of `GET /v1/products`."""
    ids: list[str] = []
    params: dict[str, str | int] = {"limit": ID_PAGE_SIZE}
    for _ in range(ID_PAGES):
        response = await client.get("/v1/products", params=params, headers=GET_HEADERS)
        if response.status_code != 200:
            raise SetupFailed(f"GET /v1/products answered {response.status_code}")
        body = response.json()
        ids.extend(item["id"] for item in body["data"])
        if not body.get("has_more") or not body.get("next_cursor"):
            break
        params = {"limit": ID_PAGE_SIZE, "starting_after": body["next_cursor"]}
    if not ids:
        raise SetupFailed("GET /v1/products returned no products")
    return ids


async def graphql_product_ids(client: httpx.AsyncClient) -> list[str]:
    """Up to 200 real product ids, from the first two pages of `products`."""
    ids: list[str] = []
    after: str | None = None
    for _ in range(ID_PAGES):
        body = _graphql_body(PRODUCT_IDS_QUERY, {"first": ID_PAGE_SIZE, "after": after})
        response = await client.post("/graphql", content=body, headers=POST_HEADERS)
        data, problem = _graphql_data(response)
        if problem is not None:
            raise SetupFailed(f"the `products` query failed: {problem}")
        connection = data["products"]
        ids.extend(edge["node"]["id"] for edge in connection["edges"])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    if not ids:
        raise SetupFailed("the `products` query returned no products")
    return ids


async def _orders_graphql(_client: httpx.AsyncClient) -> list[Request]:
    return [Request("POST", "/graphql", _graphql_body(ORDERS_QUERY, {"first": 50}))]


async def _orders_rest(_client: httpx.AsyncClient) -> list[Request]:
    return [Request("GET", "/v1/orders?limit=50")]


async def _product_rest(client: httpx.AsyncClient) -> list[Request]:
    return [
        Request("GET", f"/v1/products/{quote(id_, safe='')}")
        for id_ in await rest_product_ids(client)
    ]


async def _product_graphql(client: httpx.AsyncClient) -> list[Request]:
    return [
        Request("POST", "/graphql", _graphql_body(PRODUCT_QUERY, {"id": id_}))
        for id_ in await graphql_product_ids(client)
    ]


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "graphql_orders_50",
            "POST /graphql: 50 orders with customer, lines, product, category, inventory",
            _orders_graphql,
            check_orders_page,
            rest=False,
        ),
        Scenario(
            "rest_product",
            "GET /v1/products/{id}, cycling over ~200 product ids",
            _product_rest,
            check_rest_product,
            rest=True,
        ),
        Scenario(
            "rest_orders_50",
            "GET /v1/orders?limit=50",
            _orders_rest,
            check_rest_orders_page,
            rest=True,
        ),
        Scenario(
            "graphql_product",
            "POST /graphql: one product with price and inventory, cycling over ~200 ids",
            _product_graphql,
            check_graphql_product,
            rest=False,
        ),
    )
}

"""The workloads of bench/peers.py: what each server is sent, and the check that every
server's answer carries the same data before anything is measured.

The canonical nested query "Q" and the single-product query "S" are bench/scenarios.py's
(`graphql_orders_50`, `graphql_product`); for PostGraphile they are written with its own
field names (amber preset: `allOrders`, `customerByCustomerId`, `orderLinesByOrderId`, ...),
selecting the same columns. Money is an object in shopgraph (`total { amount currency }`)
and two columns in PostGraphile (`totalAmount currency`); `available` is computed by
shopgraph and is `onHand - reserved` in PostGraphile, which has no such column; order lines
are a list in shopgraph and a connection (`nodes`) in PostGraphile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from scenarios import ORDERS_QUERY, PRODUCT_QUERY
from wrkload import HttpRequest

from shopgraph.ids import encode

SHOPGRAPH, POSTGRAPHILE, FLOOR = "shopgraph", "postgraphile", "floor"
# Each workload's targets: shopgraph first, then the peers it is compared with.
TARGETS = {
    "Q": (SHOPGRAPH, POSTGRAPHILE),
    "S": (SHOPGRAPH, POSTGRAPHILE),
    "rest_product": (SHOPGRAPH, FLOOR),
    "rest_orders_50": (SHOPGRAPH,),
}
PAGE = 50  # orders per Q and per REST list
PRODUCTS = 200  # distinct products that S and the REST read cycle over

POSTGRAPHILE_ORDERS_QUERY = """\
query Orders($first: Int!) {
  allOrders(first: $first, orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC]) { edges { cursor node {
    id number status createdAt
    totalAmount currency
    customerByCustomerId { id name email }
    orderLinesByOrderId(orderBy: PRIMARY_KEY_ASC) { nodes { quantity unitPriceAmount currency
      productByProductId { id sku name priceAmount currency
        categoryByCategoryId { id name } inventoryLevelByProductId { onHand reserved } } } } } }
  pageInfo { hasNextPage endCursor } } }
"""
POSTGRAPHILE_PRODUCT_QUERY = (
    "query($id: ID!) { product(id: $id) { id sku name priceAmount currency "
    "inventoryLevelByProductId { onHand reserved } } }"
)
POSTGRAPHILE_PRODUCT_IDS_QUERY = (
    "query($first: Int!) { allProducts(first: $first, orderBy: PRIMARY_KEY_ASC) "
    "{ nodes { id rowId } } }"
)
JSON = "application/json"
GRAPHQL_HEADERS = {"Accept": JSON, "Content-Type": JSON}
REST_HEADERS = {"Accept": JSON}


class CheckFailed(Exception):
    """The servers' answers differ, or one is not what the workload expects."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What one target is sent in one workload: requests in turn, with these headers."""

    requests: list[HttpRequest]
    headers: dict[str, str]


# The data an answer carries, in a form comparable across servers (None: not an answer).
Extract = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    title: str
    plans: dict[str, Plan]  # target -> plan; the first target is shopgraph
    extract: dict[str, Extract]  # target -> the data of one parsed answer
    note: str = ""
    same_bytes: bool = False  # every target must answer the very same bytes and ETag

    @property
    def targets(self) -> list[str]:
        return list(self.plans)

    @property
    def peers(self) -> list[str]:
        return self.targets[1:]


@dataclass(slots=True)
class Answer:
    """What one target answered to the workload's requests, sent once each."""

    target: str
    responses: int = 0
    mean_bytes: float = 0.0
    objects: float = 0.0  # JSON objects per answer, on average
    values: float = 0.0  # leaf values (strings, numbers, booleans, nulls) per answer
    data: list[Any] = field(default_factory=list)
    raw: list[tuple[bytes, str | None]] = field(default_factory=list)  # body and ETag


def _graphql(query: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": query, "variables": variables})


def _count(value: Any) -> tuple[int, int]:
    """(objects, leaf values) in a parsed JSON value."""
    if isinstance(value, dict):
        counts = [_count(item) for item in value.values()]
        return 1 + sum(c[0] for c in counts), sum(c[1] for c in counts)
    if isinstance(value, list):
        counts = [_count(item) for item in value]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)
    return 0, 1


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _data(body: Any) -> Any:
    if not isinstance(body, dict) or "errors" in body or not isinstance(body.get("data"), dict):
        raise CheckFailed(f"not a GraphQL answer with data: {str(body)[:300]}")
    return body["data"]


# --- Q: 50 orders with customer, lines, product, category, stock -----------------------


def _orders_shopgraph(body: Any) -> Any:
    edges = _data(body)["orders"]["edges"]
    return [
        (
            int(node["number"]),
            node["status"].lower(),  # an enum in shopgraph (PAID), text in PostgreSQL (paid)
            _when(node["createdAt"]),
            int(node["total"]["amount"]),
            node["total"]["currency"],
            node["customer"]["name"],
            node["customer"]["email"],
            [
                (
                    line["quantity"],
                    int(line["unitPrice"]["amount"]),
                    line["unitPrice"]["currency"],
                    line["product"]["sku"],
                    line["product"]["name"],
                    int(line["product"]["price"]["amount"]),
                    (line["product"]["category"] or {}).get("name"),
                    line["product"]["inventory"]["onHand"],
                    line["product"]["inventory"]["reserved"],
                    line["product"]["inventory"]["available"],
                )
                for line in node["lines"]
            ],
        )
        for node in (edge["node"] for edge in edges)
    ]


def _orders_postgraphile(body: Any) -> Any:
    edges = _data(body)["allOrders"]["edges"]
    orders = []
    for node in (edge["node"] for edge in edges):
        lines = []
        for line in node["orderLinesByOrderId"]["nodes"]:
            product = line["productByProductId"]
            stock = product["inventoryLevelByProductId"]
            lines.append(
                (
                    line["quantity"],
                    int(line["unitPriceAmount"]),
                    line["currency"],
                    product["sku"],
                    product["name"],
                    int(product["priceAmount"]),
                    (product["categoryByCategoryId"] or {}).get("name"),
                    stock["onHand"],
                    stock["reserved"],
                    stock["onHand"] - stock["reserved"],
                )
            )
        customer = node["customerByCustomerId"]
        orders.append(
            (
                int(node["number"]),
                node["status"],
                _when(node["createdAt"]),
                int(node["totalAmount"]),
                node["currency"],
                customer["name"],
                customer["email"],
                lines,
            )
        )
    return orders


# --- S: one product by id --------------------------------------------------------------


def _product_shopgraph(body: Any) -> Any:
    product = _data(body)["product"]
    if product is None:
        raise CheckFailed("product is null")
    price = product["price"]
    return (product["sku"], product["name"], int(price["amount"]), price["currency"]), product[
        "inventory"
    ]["available"]


def _product_postgraphile(body: Any) -> Any:
    product = _data(body)["product"]
    if product is None:
        raise CheckFailed("product is null")
    stock = product["inventoryLevelByProductId"]
    return (
        (product["sku"], product["name"], int(product["priceAmount"]), product["currency"]),
        stock["onHand"] - stock["reserved"],
    )


# --- REST --------------------------------------------------------------------------------


def _rest_product(body: Any) -> Any:
    if not isinstance(body, dict) or "id" not in body:
        raise CheckFailed(f"not a product: {str(body)[:300]}")
    return body


def _rest_orders(body: Any) -> Any:
    items = body.get("data") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise CheckFailed(f"not a list of orders: {str(body)[:300]}")
    return [(item["number"], len(item["lines"])) for item in items]


def build(
    product_pks: Sequence[int], postgraphile_ids: Mapping[int, str], token: str
) -> list[Workload]:
    """Every workload, for these products (the same on every server) and this access token."""
    bearer = {"Authorization": f"Bearer {token}"}
    shop_ids = [encode("Product", pk) for pk in product_pks]
    return [
        Workload(
            "Q",
            f"GraphQL: {PAGE} orders with customer (email), lines, product, category, stock",
            {
                SHOPGRAPH: Plan(
                    [HttpRequest("POST", "/graphql", _graphql(ORDERS_QUERY, {"first": PAGE}))],
                    {**GRAPHQL_HEADERS, **bearer},
                ),
                POSTGRAPHILE: Plan(
                    [
                        HttpRequest(
                            "POST",
                            "/graphql",
                            _graphql(POSTGRAPHILE_ORDERS_QUERY, {"first": PAGE}),
                        )
                    ],
                    GRAPHQL_HEADERS,
                ),
            },
            {SHOPGRAPH: _orders_shopgraph, POSTGRAPHILE: _orders_postgraphile},
            "shopgraph with an OAuth access token (email needs customers:read)",
        ),
        Workload(
            "S",
            f"GraphQL: one product by id with its stock, cycling over {len(product_pks)} ids",
            {
                SHOPGRAPH: Plan(
                    [
                        HttpRequest("POST", "/graphql", _graphql(PRODUCT_QUERY, {"id": id_}))
                        for id_ in shop_ids
                    ],
                    GRAPHQL_HEADERS,
                ),
                POSTGRAPHILE: Plan(
                    [
                        HttpRequest(
                            "POST",
                            "/graphql",
                            _graphql(POSTGRAPHILE_PRODUCT_QUERY, {"id": postgraphile_ids[pk]}),
                        )
                        for pk in product_pks
                    ],
                    GRAPHQL_HEADERS,
                ),
            },
            {SHOPGRAPH: _product_shopgraph, POSTGRAPHILE: _product_postgraphile},
            "anonymous (the catalog is public)",
        ),
        Workload(
            "rest_product",
            f"REST: GET /v1/products/{{id}}, cycling over {len(product_pks)} ids",
            {
                target: Plan(
                    [HttpRequest("GET", f"/v1/products/{quote(id_, safe='')}") for id_ in shop_ids],
                    REST_HEADERS,
                )
                for target in (SHOPGRAPH, FLOOR)
            },
            {SHOPGRAPH: _rest_product, FLOOR: _rest_product},
            "anonymous (the catalog is public); the floor answers the same bytes and ETag",
            same_bytes=True,
        ),
        Workload(
            "rest_orders_50",
            f"REST: GET /v1/orders?limit={PAGE} (orders with their lines)",
            {
                SHOPGRAPH: Plan(
                    [HttpRequest("GET", f"/v1/orders?limit={PAGE}")], {**REST_HEADERS, **bearer}
                )
            },
            {SHOPGRAPH: _rest_orders},
            "shopgraph alone, for the record; with an OAuth access token",
        ),
    ]


def ask(client: httpx.Client, plan: Plan, target: str, extract: Extract) -> Answer:
    """Send each of the plan's requests once; what came back, in comparable form."""
    answer = Answer(target)
    total_bytes = objects = values = 0
    for request in plan.requests:
        response = client.request(
            request.method, request.path, content=request.body, headers=plan.headers
        )
        if response.status_code != 200:
            raise CheckFailed(
                f"{target}: {request.method} {request.path} answered "
                f"{response.status_code}: {response.text[:300]}"
            )
        body = orjson.loads(response.content)
        try:
            answer.data.append(extract(body))
        except (KeyError, TypeError, ValueError) as error:
            raise CheckFailed(
                f"{target}: unexpected answer ({error!r}): {str(body)[:300]}"
            ) from error
        answer.raw.append((response.content, response.headers.get("etag")))
        total_bytes += len(response.content)
        counted = _count(body)
        objects += counted[0]
        values += counted[1]
    answer.responses = len(plan.requests)
    answer.mean_bytes = total_bytes / answer.responses
    answer.objects = objects / answer.responses
    answer.values = values / answer.responses
    return answer


def compare(workload: Workload, answers: Sequence[Answer]) -> None:
    """CheckFailed unless every target answered the same data as shopgraph."""
    first = answers[0]
    if workload.name == "Q":
        for answer in answers:
            orders = answer.data[0]
            if len(orders) != PAGE:
                raise CheckFailed(f"Q: {answer.target} answered {len(orders)} orders, not {PAGE}")
    if workload.name == "rest_orders_50" and len(first.data[0]) != PAGE:
        raise CheckFailed(f"rest_orders_50: {len(first.data[0])} orders, not {PAGE}")
    for answer in answers[1:]:
        pairs = zip(first.data, answer.data, first.raw, answer.raw, strict=True)
        for index, (mine, theirs, my_raw, their_raw) in enumerate(pairs):
            if mine != theirs or (workload.same_bytes and my_raw != their_raw):
                request = workload.plans[answer.target].requests[index]
                if mine == theirs:  # the same data in other bytes
                    mine, theirs = my_raw, their_raw
                elif isinstance(mine, list) and isinstance(theirs, list):
                    # the first item that differs (an order of Q, say)
                    mine, theirs = next(
                        ((a, b) for a, b in zip(mine, theirs, strict=False) if a != b),
                        (f"{len(mine)} items", f"{len(theirs)} items"),
                    )
                raise CheckFailed(
                    f"{workload.name}: {answer.target} answered other data than shopgraph to "
                    f"{request.method} {request.path}; the first difference:\n"
                    f"  shopgraph: {str(mine)[:600]}\n  {answer.target}: {str(theirs)[:600]}"
                )

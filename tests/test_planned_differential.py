"""The planned executor answers every request byte for byte as Strawberry does.

Two apps share one `Services` over the session's test database (seeded with a fixed
seed; SQLite, and PostgreSQL when SHOPGRAPH_TEST_DATABASE_URL is set): one with plans
(`planned_executor=True`), one without, Strawberry alone, the reference. Each request goes
to both, the same JSON body and headers, and the answers must be equal: status, content
type and body bytes (data, errors with their messages, paths and locations, and
`extensions.cost`, which says what the response holds and the rows read; only the request
id of an INTERNAL error may differ). `GRAPHQL_EXECUTIONS` says which executor answered: a
query the planner supports must be answered by its plan ("planned") or, where only
Strawberry answers exactly (an error), handed over ("bailed"), so no test passes by
everything falling back; the reference app always answers through "strawberry".

Covered: the example documents (`examples/`), the benchmark queries (`bench/scenarios.py`),
the statement-count queries (`test_statement_counts.py`); every list by every sort and
direction, paged forward with `after:` and backward with `before:`; null fields and empty
lists (a product without description or category, a category without products, a
customer without orders, orders with and without payments, refunds); `node`/`nodes` with
ids of every type and unknown or malformed ones; generated documents over the real schema
(`graphql_generation.py`) for an admin, a key with `orders:read` only, and a customer's
token; and requests that must fall back or bail: a guarded field refused, variables that
do not coerce, paging the server refuses, introspection, mutations, documents with several
operations and variables in directives, a query above the cost limit. A few tests pin
one difference each, found by the generated documents, with its smallest request.
"""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import OperationDefinitionNode, parse
from hypothesis import HealthCheck, assume, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.auth.principal import CUSTOMER, Principal
from shopgraph.context import Services
from shopgraph.schema import Schema, build_schema, graphql_schema
from shopgraph.schema.cost_limit import calculator_for
from shopgraph.schema.introspection import is_introspection_only
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer
from .graphql_generation import Generated, Pools, check_limits, documents
from .test_orders import _customer, _product
from .test_statement_counts import CUSTOMERS_WITH_ORDERS, ORDERS, WITH_FRAGMENTS

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "graphql"
EXAMPLE_VARIABLES: dict[str, list[dict[str, Any]]] = {  # as examples/graphql_client.py sends
    "orders.graphql": [{"first": 5}, {"first": 50}, {"first": 5, "after": None}],
    "customers_with_orders.graphql": [{}, {"first": 3}, {"first": 0}],
    "catalog.graphql": [{}],
}
ORDERS_READER = Principal(
    kind="api_key", id="key_test-orders-reader", scopes=frozenset({"orders:read"}), tier="standard"
)
ANONYMOUS: Principal | None = None  # no Authorization header at all
EXECUTIONS = "shopgraph_graphql_executions_total"
LABELS = ("planned", "strawberry", "bailed")
GRAPHQL_RESPONSE = "application/graphql-response+json"

LISTS = {  # root list -> (node type, sort enum values)
    "orders": ("Order", ("CREATED_AT", "NUMBER", "TOTAL")),
    "products": ("Product", ("CREATED_AT", "NAME", "PRICE", "SKU")),
    "customers": ("Customer", ("CREATED_AT", "NAME", "EMAIL")),
    "categories": ("Category", ("CREATED_AT", "NAME")),
}
FIELDS = {  # what a page of each list selects
    "orders": "id number status total { amount currency } createdAt",
    "products": "id sku name description price { amount } category { id name }",
    "customers": "id name email createdAt",
    "categories": "id name description",
}


def _bench_constants() -> dict[str, str]:
    """The string constants of `bench/scenarios.py` (read, not imported: bench is not a
    package on the test path)."""
    tree = ast.parse((ROOT / "bench" / "scenarios.py").read_text())
    found: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
            value = statement.value.value
            for target in statement.targets:
                if isinstance(target, ast.Name) and isinstance(value, str):
                    found[target.id] = value
    return found


_BENCH = _bench_constants()
BENCH_ORDERS_QUERY = _BENCH["ORDERS_QUERY"]
BENCH_PRODUCT_QUERY = _BENCH["PRODUCT_QUERY"]
BENCH_PRODUCT_IDS_QUERY = _BENCH["PRODUCT_IDS_QUERY"]


def _executions() -> dict[str, float]:
    return {
        label: REGISTRY.get_sample_value(EXECUTIONS, {"executor": label}) or 0.0 for label in LABELS
    }


def _answered_by(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {
        label: after[label] - before[label] for label in LABELS if after[label] != before[label]
    }


# An unexpected error names the request it happened in, which differs from request to
# request: the only bytes two answers of the same request may not share.
REQUEST_ID = re.compile(rb'"extensions":\{"code":"INTERNAL","request_id":"[0-9a-f]{32}"\}')


def _comparable(content: bytes) -> bytes:
    return REQUEST_ID.sub(b'"extensions":{"code":"INTERNAL","request_id":"-"}', content)


ACTUAL_COST = re.compile(rb'"actualQueryCost":\d+')


def _without_actual_cost(*contents: bytes) -> tuple[bytes, ...]:
    return tuple(ACTUAL_COST.sub(b'"actualQueryCost":-', content) for content in contents)


def _first_difference(left: Any, right: Any, path: str = "$") -> str:
    """Where two JSON values first differ (or the key order, when only that does)."""
    if type(left) is not type(right):
        return f"{path}: {left!r:.200} != {right!r:.200}"
    if isinstance(left, dict):
        if list(left) != list(right):
            return f"{path}: keys {list(left)} != {list(right)}"
        for key in left:
            if left[key] != right[key]:
                return _first_difference(left[key], right[key], f"{path}.{key}")
        return f"{path}: equal values, different bytes"
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items != {len(right)} items"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
        return f"{path}: equal values, different bytes"
    return f"{path}: {left!r:.200} != {right!r:.200}"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    planned_by: dict[str, float]  # the planned app's GRAPHQL_EXECUTIONS delta

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.body.get("errors", [])
        return errors

    @property
    def codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code", "") for error in self.errors]


class Executors:
    """The same requests to the planned app and to the Strawberry-only app."""

    def __init__(
        self,
        planned: httpx.AsyncClient,
        reference: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        settings: Settings,
    ) -> None:
        self.planned = planned
        self.reference = reference
        self.admin = admin  # the reference app with an admin's credentials, for set-up
        self.settings = settings
        self._headers: dict[Principal | None, dict[str, str]] = {}

    def headers(self, principal: Principal | None) -> dict[str, str]:
        found = self._headers.get(principal)
        if found is None:
            found = self._headers[principal] = (
                {} if principal is None else bearer(self.settings, principal)
            )
        return found

    async def reference_data(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Strawberry's `data` for an admin (setting up: no comparison)."""
        response = await self.reference.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=self.headers(ADMIN),
        )
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def compare(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        principal: Principal | None = ADMIN,
        expect: str | None = "planned",
        operation_name: str | None = None,
        accept: str | None = None,
        method: str = "POST",
    ) -> Answer:
        """Send the request to both apps and assert identical answers; `expect`: the label
        the planned app must count (None: any, checked by the caller)."""
        headers = dict(self.headers(principal))
        if accept is not None:
            headers["accept"] = accept
        payload: dict[str, Any] = {"query": query, "variables": variables}
        if operation_name is not None:
            payload["operationName"] = operation_name
        if method == "GET":
            params = {"query": query, "variables": orjson.dumps(variables or {}).decode()}
            if operation_name is not None:
                params["operationName"] = operation_name
        before = _executions()
        if method == "GET":
            planned = await self.planned.get("/graphql", params=params, headers=headers)
        else:
            planned = await self.planned.post("/graphql", json=payload, headers=headers)
        middle = _executions()
        if method == "GET":
            reference = await self.reference.get("/graphql", params=params, headers=headers)
        else:
            reference = await self.reference.post("/graphql", json=payload, headers=headers)
        after = _executions()
        request = f"query: {query}\nvariables: {variables}\nprincipal: {principal}"
        # Nothing here is an outage: a 503 means an earlier request broke a pooled connection.
        assert 503 not in (planned.status_code, reference.status_code), (
            f"the database became unusable\n{request}\nanswer: {reference.text:.500}"
        )
        planned_by = _answered_by(before, middle)
        left_bytes, right_bytes = _comparable(planned.content), _comparable(reference.content)
        if planned_by == {"bailed": 1.0} and b'"errors"' in left_bytes:
            # Both answers came from Strawberry, and an error cut its execution short: what
            # it had read by then (the actual cost) depends on when graphql-core cancelled
            # the siblings of the failed field, not on the executor.
            left_bytes, right_bytes = _without_actual_cost(left_bytes, right_bytes)
        if left_bytes != right_bytes:
            left, right = orjson.loads(planned.content), orjson.loads(reference.content)
            raise AssertionError(
                f"the executors answered differently at {_first_difference(left, right)}\n"
                f"{request}\nplanned:    {planned.text[:3000]}\nstrawberry: {reference.text[:3000]}"
            )
        assert planned.status_code == reference.status_code, request
        assert planned.headers["content-type"] == reference.headers["content-type"], request
        answered = f"{request}\nanswer: {planned.status_code} {planned.text:.2000}"
        # A request refused before either executor (no operation chosen) counts for neither.
        assert _answered_by(middle, after) == ({"strawberry": 1.0} if planned_by else {}), answered
        if expect is not None:
            assert planned_by == {expect: 1.0}, f"answered by {planned_by}\n{answered}"
        return Answer(planned.status_code, orjson.loads(planned.content), planned_by)


@dataclass(frozen=True, slots=True)
class Shop:
    """Rows made for these tests, on top of the seeded shop, and the generator's pools."""

    bare_product: str  # no description, no category
    empty_category: str  # no products, no description
    idle_customer: str  # no orders
    buyer: str  # a customer whose orders were paid, declined, refunded
    buyer_pk: int
    paid_order: str  # a captured payment, two refunds (one without a reason)
    declined_order: str  # a failed payment (failure code)
    unpaid_order: str  # no payments
    payment: str
    refunds: tuple[str, ...]
    pools: Pools


@pytest.fixture(scope="module")
def schema(settings: Settings) -> Schema:
    return build_schema(settings)


@pytest.fixture(scope="module")
async def services(settings: Settings) -> AsyncIterator[Services]:
    """The database of the session's `settings` (SQLite, and PostgreSQL when configured),
    through services of this module's own: a request that leaves a pooled connection
    unusable (see `test_a_root_field_error_leaves_the_pool_usable`) fails here, not in
    every module after this one."""
    own = Services(settings)
    yield own
    await own.close()


@pytest.fixture(scope="module")
async def executors(settings: Settings, services: Services) -> AsyncIterator[Executors]:
    transports = []
    for planned in (True, False):
        application = create_app(
            settings.model_copy(update={"planned_executor": planned}), migrate=False
        )
        application.state.services = services
        transports.append(httpx.ASGITransport(app=application))
    clients = [
        httpx.AsyncClient(transport=transport, base_url="http://testserver")
        for transport in transports
    ]
    clients.append(
        httpx.AsyncClient(
            transport=transports[1],
            base_url="http://testserver",
            headers=bearer(settings, ADMIN),
        )
    )
    try:
        yield Executors(clients[0], clients[1], clients[2], settings)
    finally:
        for client in clients:
            await client.aclose()


async def _post(http: httpx.AsyncClient, path: str, body: dict[str, Any], status: int) -> Any:
    response = await http.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()


async def _cursors(executors: Executors) -> dict[tuple[str, str, str], tuple[str, ...]]:
    found: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for name, (node_type, sorts) in LISTS.items():
        for sort in sorts:
            for direction in ("ASC", "DESC"):
                data = await executors.reference_data(
                    f"{{ {name}(first: 100, sort: {sort}, direction: {direction}) "
                    "{ edges { cursor } } }"
                )
                cursors = [edge["cursor"] for edge in data[name]["edges"]]
                picked = {
                    cursors[i] for i in (0, 1, 2, 9, 49, len(cursors) - 1) if i < len(cursors)
                }
                found[(node_type, sort, direction)] = tuple(sorted(picked))
    return found


@pytest.fixture(scope="module")
async def shop(executors: Executors) -> Shop:
    unique = uuid.uuid4().hex[:10]
    http = executors.admin
    empty_category = await _post(http, "/v1/categories", {"name": f"Diff {unique}"}, 201)
    bare = await _post(
        http,
        "/v1/products",
        {"sku": f"DIFF-{unique}", "name": "Bare", "price": {"amount": 750, "currency": "USD"}},
        201,
    )
    idle = await _customer(http, f"idle-{unique}")
    buyer = await _customer(http, f"buyer-{unique}")
    stocked = await _product(http, unique, 20, price=1000)
    orders = [
        await _post(
            http,
            "/v1/orders",
            {"customer_id": buyer, "lines": [{"product_id": stocked, "quantity": quantity}]},
            201,
        )
        for quantity in (1, 2, 1)
    ]
    paid, declined, unpaid = (order["id"] for order in orders)
    payment = await _post(http, f"/v1/orders/{paid}/payments", {"source": "tok_visa"}, 201)
    refunds = [
        await _post(
            http,
            f"/v1/payments/{payment['id']}/refunds",
            {"amount": 300, "reason": "scratched"},
            201,
        ),
        await _post(http, f"/v1/payments/{payment['id']}/refunds", {"amount": 200}, 201),
    ]
    await _post(http, f"/v1/orders/{declined}/payments", {"source": "tok_chargeDeclined"}, 402)
    declined_payments = (await http.get(f"/v1/orders/{declined}/payments")).json()["data"]
    assert declined_payments[0]["failure_code"], declined_payments
    pages = await executors.reference_data(
        "{ orders(first: 100, sort: TOTAL) { nodes { id } } products(first: 100) { nodes { id } }"
        " customers(first: 100, sort: NAME) { nodes { id } } categories(first: 100) "
        "{ nodes { id } } }"
    )

    def some(name: str, *extra: str) -> tuple[str, ...]:
        listed = [node["id"] for node in pages[name]["nodes"]]
        return (*extra, *listed[:: max(1, len(listed) // 12)])

    buyer_pk = ids.decode("Customer", buyer)
    assert buyer_pk is not None
    pools = Pools(
        ids={
            "Order": some("orders", paid, declined, unpaid),
            "Product": some("products", bare["id"], stocked),
            "Customer": some("customers", idle, buyer),
            "Category": some("categories", empty_category["id"]),
            "Payment": (payment["id"], declined_payments[0]["id"]),
            "Refund": tuple(refund["id"] for refund in refunds),
        },
        cursors=await _cursors(executors),
        unknown=(
            ids.encode("Order", 2**40),
            ids.encode("Product", 2**40),
            ids.encode("ApiKey", 1),  # a real type that is not a node
            ids.encode("InventoryMovement", 1),
            "ord_tooShort",
            "garbage",
            "",
        ),
    )
    return Shop(
        bare_product=bare["id"],
        empty_category=empty_category["id"],
        idle_customer=idle,
        buyer=buyer,
        buyer_pk=buyer_pk,
        paid_order=paid,
        declined_order=declined,
        unpaid_order=unpaid,
        payment=payment["id"],
        refunds=tuple(refund["id"] for refund in refunds),
        pools=pools,
    )


def _customer_principal(shop: Shop) -> Principal:
    return Principal(
        kind="customer", id=shop.buyer, scopes=CUSTOMER, tier="standard", customer_pk=shop.buyer_pk
    )


# --- the documents the project ships -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLE_VARIABLES))
async def test_example_queries_answer_alike(executors: Executors, name: str) -> None:
    query = (EXAMPLES / name).read_text()
    for variables in EXAMPLE_VARIABLES[name]:
        answer = await executors.compare(query, variables)
        assert answer.status == 200, answer.body
        assert not answer.errors, answer.body


def test_every_example_document_is_covered() -> None:
    queries = {path.name for path in EXAMPLES.glob("*.graphql")}
    assert queries == {*EXAMPLE_VARIABLES, "create_product.graphql"}


async def test_example_mutation_answers_alike(executors: Executors) -> None:
    """A mutation runs through Strawberry in both apps. Sent once first, so both answers
    are the same refusal of a taken sku rather than one success and one refusal."""
    query = (EXAMPLES / "create_product.graphql").read_text()
    await executors.reference.post(
        "/graphql", json={"query": query}, headers=executors.headers(ADMIN)
    )
    answer = await executors.compare(query, expect="strawberry")
    assert answer.body["data"]["createProduct"]["userErrors"], answer.body


async def test_benchmark_queries_answer_alike(executors: Executors, shop: Shop) -> None:
    for first in (5, 50):
        answer = await executors.compare(BENCH_ORDERS_QUERY, {"first": first})
        assert len(answer.body["data"]["orders"]["edges"]) == first
    after: str | None = None
    product_ids: list[str] = []
    for _ in range(2):
        answer = await executors.compare(BENCH_PRODUCT_IDS_QUERY, {"first": 100, "after": after})
        connection = answer.body["data"]["products"]
        product_ids += [edge["node"]["id"] for edge in connection["edges"]]
        after = connection["pageInfo"]["endCursor"]
    assert len(product_ids) == len(set(product_ids)) > 80  # the seeded ones and more
    for product_id in [*product_ids[::17], shop.bare_product]:
        answer = await executors.compare(BENCH_PRODUCT_QUERY, {"id": product_id})
        assert answer.body["data"]["product"]["id"] == product_id


async def test_statement_count_queries_answer_alike(executors: Executors) -> None:
    for query in (ORDERS, CUSTOMERS_WITH_ORDERS, WITH_FRAGMENTS):
        for first in (0, 5, 50):
            answer = await executors.compare(query, {"first": first})
            assert not answer.errors, answer.body
    customers = (await executors.compare(CUSTOMERS_WITH_ORDERS, {"first": 20})).body
    for customer in customers["data"]["customers"]["nodes"][:5]:
        await executors.compare(
            "query($id: ID!) { customer(id: $id) { orders(first: 10) { edges { node { id } } "
            "pageInfo { hasNextPage } } } }",
            {"id": customer["id"]},
        )


# --- lists, pages, sorts ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_every_sort_and_direction_pages_alike(executors: Executors, name: str) -> None:
    """Forward through three pages with `after`, then back with `last`/`before`."""
    node_type, sorts = LISTS[name]
    query = (
        f"query($first: Int, $last: Int, $after: String, $before: String, $sort: "
        f"{node_type}Sort!, "
        f"$direction: SortDirection!) {{ {name}(first: $first, last: $last, after: $after, "
        f"before: $before, sort: $sort, direction: $direction) {{ edges {{ cursor node "
        f"{{ {FIELDS[name]} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor "
        f"endCursor }} }} }}"
    )
    size = 3 if name == "categories" else 7  # ten categories are seeded
    for sort in sorts:
        for direction in ("ASC", "DESC"):
            variables: dict[str, Any] = {"sort": sort, "direction": direction, "first": size}
            seen = []
            for _ in range(3):
                answer = await executors.compare(query, variables)
                page = answer.body["data"][name]
                assert not answer.errors, answer.body
                assert page["edges"], answer.body
                seen += [edge["node"]["id"] for edge in page["edges"]]
                variables = {**variables, "after": page["pageInfo"]["endCursor"]}
            assert len(set(seen)) == len(seen) == 3 * size
            backward = {
                "sort": sort,
                "direction": direction,
                "last": 2,
                "before": page["pageInfo"]["startCursor"],
            }
            answer = await executors.compare(query, backward)
            edges = answer.body["data"][name]["edges"]
            assert [edge["node"]["id"] for edge in edges] == seen[2 * size - 2 : 2 * size]


async def test_literal_page_sizes_answer_alike(executors: Executors) -> None:
    for size in (0, 1, 2, 19, 20, 21, 99, 100):
        for name in LISTS:
            await executors.compare(
                f"{{ {name}(first: {size}) {{ nodes {{ id }} pageInfo {{ hasNextPage "
                f"startCursor endCursor }} }} }}"
            )
        await executors.compare(
            f"{{ orders(last: {size}, sort: TOTAL, direction: DESC) {{ edges {{ cursor }} "
            f"pageInfo {{ hasPreviousPage hasNextPage }} }} }}"
        )


async def test_one_plan_many_variables(executors: Executors) -> None:
    """The plan (and the price it keeps per variables) is reused: every size still answers
    as Strawberry does."""
    query = (
        "query($first: Int!, $nested: Int = 2) { customers(first: $first, sort: EMAIL) { "
        "nodes { id orders(first: $nested, sort: TOTAL) { nodes { id total { amount } } "
        "pageInfo { hasNextPage } } } } }"
    )
    for variables in (
        {"first": 0},
        {"first": 1},
        {"first": 50, "nested": 0},
        {"first": 100},
        {"first": 3, "nested": 40},
        {"first": 1},
        {"first": 100, "nested": 5.0},
        {"first": 0},
    ):
        answer = await executors.compare(query, variables)
        assert not answer.errors, answer.body


async def test_nested_connections_sort_and_page_alike(executors: Executors, shop: Shop) -> None:
    for sort in ("CREATED_AT", "NUMBER", "TOTAL"):
        for direction in ("ASC", "DESC"):
            query = (
                "query($first: Int!, $after: String) { customers(first: 10, sort: NAME) { nodes "
                f"{{ name orders(first: $first, after: $after, sort: {sort}, direction: "
                f"{direction}) {{ edges {{ cursor node {{ number total {{ amount }} }} }} "
                "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }"
            )
            first = await executors.compare(query, {"first": 2})
            customers = first.body["data"]["customers"]["nodes"]
            cursor = next(
                c["orders"]["pageInfo"]["endCursor"]
                for c in customers
                if c["orders"]["pageInfo"]["hasNextPage"]
            )
            await executors.compare(query, {"first": 3, "after": cursor})
    for sort in ("CREATED_AT", "NAME", "PRICE", "SKU"):
        for direction in ("ASC", "DESC"):
            await executors.compare(
                f"{{ categories(first: 20) {{ nodes {{ name products(first: 3, sort: {sort}, "
                f"direction: {direction}) {{ nodes {{ sku price {{ amount }} }} "
                "pageInfo { hasNextPage endCursor } } } } }"
            )
    await executors.compare(
        "{ categories(first: 20, sort: NAME) { nodes { products(last: 2) { edges { cursor } } } } }"
    )


# --- nulls, empty lists, relations, node ids ------------------------------------------------

ORDER_WITH_EVERYTHING = """
query($id: ID!) { order(id: $id) { __typename id number status currency version
  subtotal { amount currency } total { amount currency } createdAt updatedAt
  customer { id name email orders(first: 0) { edges { cursor } nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
  lines { quantity unitPrice { amount } lineTotal { amount currency }
    product { id description category { id name description } inventory { onHand reserved
      available lowStockThreshold lowStock updatedAt } } }
  payments { __typename id status amount { amount } captured { amount } refunded { amount }
    source failureCode createdAt updatedAt order { id status }
    refunds { id status amount { amount currency } reason failureCode createdAt
      payment { id refunds { id } order { number } } } } } }
"""


async def test_orders_with_and_without_payments_answer_alike(
    executors: Executors, shop: Shop
) -> None:
    for order in (shop.paid_order, shop.declined_order, shop.unpaid_order):
        answer = await executors.compare(ORDER_WITH_EVERYTHING, {"id": order})
        assert not answer.errors, answer.body
    paid = (await executors.compare(ORDER_WITH_EVERYTHING, {"id": shop.paid_order})).body
    refunds = paid["data"]["order"]["payments"][0]["refunds"]
    assert [refund["reason"] for refund in refunds] == ["scratched", None]
    unpaid = (await executors.compare(ORDER_WITH_EVERYTHING, {"id": shop.unpaid_order})).body
    assert unpaid["data"]["order"]["payments"] == []
    seeded = (await executors.reference_data("{ orders(first: 3) { nodes { id } } }"))["orders"]
    for node in seeded["nodes"]:
        await executors.compare(ORDER_WITH_EVERYTHING, {"id": node["id"]})


async def test_nulls_and_empty_lists_answer_alike(executors: Executors, shop: Shop) -> None:
    bare = await executors.compare(
        "query($id: ID!) { product(id: $id) { id description category { id } "
        "inventory { onHand lowStockThreshold lowStock } } }",
        {"id": shop.bare_product},
    )
    assert bare.body["data"]["product"]["description"] is None
    assert bare.body["data"]["product"]["category"] is None
    empty = await executors.compare(
        "query($id: ID!) { category(id: $id) { id description products(first: 5) { edges "
        "{ cursor } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
        "} } }",
        {"id": shop.empty_category},
    )
    assert empty.body["data"]["category"]["products"]["nodes"] == []
    idle = await executors.compare(
        "query($id: ID!) { customer(id: $id) { id email all: orders { nodes { id } } "
        "none: orders(first: 0) { nodes { id } pageInfo { hasNextPage endCursor } } } }",
        {"id": shop.idle_customer},
    )
    assert idle.body["data"]["customer"]["all"]["nodes"] == []
    await executors.compare(
        "{ products(first: 100, sort: CREATED_AT, direction: DESC) { nodes { id description "
        "category { id name } inventory { lowStockThreshold } } } }"
    )
    for kind, value in (("order", shop.bare_product), ("product", "garbage")):
        unknown = await executors.compare(f'{{ {kind}(id: "{value}") {{ id }} }}')
        assert unknown.body["data"] == {kind: None}


async def test_node_and_nodes_answer_alike(executors: Executors, shop: Shop) -> None:
    known = [
        shop.paid_order,
        shop.bare_product,
        shop.idle_customer,
        shop.empty_category,
        shop.payment,
        *shop.refunds,
    ]
    everything = (
        "id __typename ... on Order { number orderStatus: status customer { name } } "
        "... on Product { sku category { name } } ... on Customer { name email } "
        "... on Category { name products(first: 2) { nodes { sku } } } "
        "... on Payment { status amount { amount } order { number } refunds { id } } "
        "... on Refund { status reason payment { id status } }"
    )
    for principal in (ADMIN, ORDERS_READER, _customer_principal(shop)):
        for node_id in [*known, *shop.pools.unknown]:
            one = f"query($id: ID!) {{ node(id: $id) {{ {everything} }} }}"
            answer = await executors.compare(one, {"id": node_id}, principal=principal, expect=None)
            _check_label(answer, one)
        many = f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {everything} }} }}"
        answer = await executors.compare(
            many,
            {"ids": [*known, *shop.pools.unknown, shop.paid_order]},
            principal=principal,
            expect=None,
        )
        _check_label(answer, many)
    answer = await executors.compare(f"{{ nodes(ids: []) {{ {everything} }} }}")
    assert answer.body["data"] == {"nodes": []}


# --- generated documents ----------------------------------------------------------------------


def _check_label(answer: Answer, query: str) -> None:
    """A supported document is answered by its plan exactly when the answer has no error
    (a refusal of its price aside, which the plan answers itself); else handed over. An
    introspection-only operation (`{ t: __typename }`) is Strawberry's: its answer is kept."""
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    if is_introspection_only(operation):
        assert answer.planned_by == {"strawberry": 1.0}, answer
    elif not answer.errors or set(answer.codes) == {"QUERY_TOO_COMPLEX"}:
        assert answer.planned_by == {"planned": 1.0}, answer
    else:
        assert answer.planned_by == {"bailed": 1.0}, answer


PRINCIPALS = ("admin", "admin", "admin", "admin", "orders reader", "customer")
# Fixed: the same documents every run (derandomized); about 15 s per backend here.
EXAMPLES_PER_BACKEND = 300


@hypothesis_settings(
    max_examples=EXAMPLES_PER_BACKEND,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_generated_queries_answer_alike(
    executors: Executors, shop: Shop, schema: Schema, data: st.DataObject
) -> None:
    """Documents over the real schema (`graphql_generation.py`), each sent by an admin, by
    a key with only `orders:read`, or by a customer's token, over POST or GET, accepting
    JSON or `application/graphql-response+json`. For an admin, a document without a
    deliberately refused argument answers data without errors, through its plan."""
    generated: Generated = data.draw(documents(graphql_schema(schema), shop.pools))
    refused = check_limits(schema, generated)
    assert not refused, (refused, generated.query)  # the generator keeps to the limits
    calculator = calculator_for(graphql_schema(schema), executors.settings.default_page_size)
    cost = calculator.cost(parse(generated.query), None, generated.variables)
    if cost > executors.settings.max_query_cost:
        event("filtered: above the cost limit")
    assume(cost <= executors.settings.max_query_cost)
    who = data.draw(st.sampled_from(PRINCIPALS))
    principal = {
        "admin": ADMIN,
        "orders reader": ORDERS_READER,
        "customer": _customer_principal(shop),
    }[who]
    method = data.draw(st.sampled_from(("POST", "POST", "POST", "GET")))
    accept = data.draw(st.sampled_from((None, None, GRAPHQL_RESPONSE)))
    answer = await executors.compare(
        generated.query,
        generated.variables,
        principal=principal,
        expect=None,
        method=method,
        accept=accept,
    )
    event(f"{who}: {'errors' if answer.errors else 'data'}")
    if who == "admin" and not generated.deliberate:
        assert answer.status == 200, (generated, answer.body)
        assert not answer.errors, (generated, answer.body)
    _check_label(answer, generated.query)


# --- requests that fall back or bail --------------------------------------------------------

EMAILS = "{ orders(first: 3, sort: NUMBER) { nodes { number customer { name email } } } }"


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
async def test_refused_guarded_field_bails_to_the_same_error(
    executors: Executors, accept: str | None
) -> None:
    answer = await executors.compare(
        EMAILS, principal=ORDERS_READER, expect="bailed", accept=accept
    )
    assert answer.codes == ["FORBIDDEN"] * 3, answer.body
    assert [error["path"] for error in answer.errors] == [
        ["orders", "nodes", index, "customer", "email"] for index in range(3)
    ]
    assert all(node["customer"]["email"] is None for node in answer.body["data"]["orders"]["nodes"])
    # Without the email the same key is answered by the plan.
    await executors.compare(EMAILS.replace(" email", ""), principal=ORDERS_READER)


async def test_root_field_errors_bail_to_the_same_errors(executors: Executors) -> None:
    anonymous = await executors.compare(
        "{ orders(first: 2) { nodes { id } } }", principal=ANONYMOUS, expect="bailed"
    )
    assert anonymous.codes == ["UNAUTHENTICATED"]
    forbidden = await executors.compare(
        "{ customers(first: 2) { nodes { id } } products(first: 1) { nodes { id } } }",
        principal=ORDERS_READER,
        expect="bailed",
    )
    assert forbidden.codes == ["FORBIDDEN"]
    # The public catalog needs no credentials at all: the plan answers.
    await executors.compare(
        "{ products(first: 3) { nodes { sku category { name } } } }", principal=ANONYMOUS
    )


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ("first: 101", "VALIDATION_FAILED"),
        ("first: -1", "VALIDATION_FAILED"),
        ("first: 2, last: 2", "VALIDATION_FAILED"),
        ('first: 2, after: "garbage"', "VALIDATION_FAILED"),
    ],
)
async def test_refused_paging_bails_to_the_same_error(
    executors: Executors, arguments: str, code: str
) -> None:
    for query in (
        f"{{ orders({arguments}) {{ nodes {{ id }} }} }}",
        f"{{ customers(first: 2) {{ nodes {{ id orders({arguments}) {{ nodes {{ id }} }} }} }} }}",
    ):
        answer = await executors.compare(query, expect="bailed")
        assert set(answer.codes) == {code}, answer.body


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
@pytest.mark.parametrize(
    "variables",
    [
        {"first": "ten", "id": "x"},
        {"first": 2.5, "id": "x"},
        {"first": 2},
        {"first": 2, "id": None},
        {"first": 2, "id": ["a"]},
        {"first": 2**31, "id": "x"},
        {"first": 2, "id": "x", "sort": "SIDEWAYS"},
    ],
)
async def test_variables_that_do_not_coerce_give_the_same_errors(
    executors: Executors, variables: dict[str, Any], accept: str | None
) -> None:
    query = (
        "query($first: Int!, $id: ID!, $sort: OrderSort = NUMBER) { orders(first: $first, "
        "sort: $sort) { nodes { id } } order(id: $id) { id } }"
    )
    answer = await executors.compare(query, variables, expect="bailed", accept=accept)
    assert answer.codes, answer.body
    assert set(answer.codes) == {"VALIDATION_FAILED"}, answer.body
    assert answer.body["data"] is None


async def test_a_null_for_a_non_null_argument_bails_alike(executors: Executors) -> None:
    """`sort: $sort` with `$sort: OrderSort` sent as null fails when the field runs; left
    out, the argument's default applies. One plan serves both: each is priced alike."""
    query = "query($sort: OrderSort) { orders(first: 2, sort: $sort) { nodes { id } } }"
    answer = await executors.compare(query, {"sort": None}, expect="bailed")
    assert [error["path"] for error in answer.errors] == [["orders"]], answer.body
    answer = await executors.compare(query, {})
    assert len(answer.body["data"]["orders"]["nodes"]) == 2


async def test_a_root_field_error_leaves_the_pool_usable(executors: Executors, shop: Shop) -> None:
    """A root field refused while another root field reads: the request's read connection
    goes back to the pool clean, so the requests after it (a customer token is checked
    against the database) are served, not 503."""
    refused = "{ products(first: 2) { nodes { id } } a: orders(first: 101) { __typename } }"
    answer = await executors.compare(refused, expect="bailed")
    assert answer.codes == ["VALIDATION_FAILED"], answer.body
    customer = _customer_principal(shop)
    for _ in range(executors.settings.db_pool_size + 1):  # every pooled connection in turn
        await executors.compare("{ orders(first: 2) { nodes { id } } }", principal=customer)


async def test_sorting_by_a_field_not_selected_is_planned(executors: Executors) -> None:
    """A page sorted by a column the selection does not show still answers through its
    plan (the cursor is made from the sort value)."""
    handed_over = []
    for name, (_, sorts) in LISTS.items():
        for sort in sorts:
            for selection in ("nodes { id }", "edges { cursor node { id } }"):
                query = f"{{ {name}(first: 3, sort: {sort}) {{ {selection} }} }}"
                answer = await executors.compare(query, expect=None)
                assert not answer.errors, answer.body
                if answer.planned_by != {"planned": 1.0}:
                    handed_over.append(query)
    assert not handed_over, "answered by Strawberry, not by their plans:\n" + "\n".join(handed_over)


async def test_joined_relations_leave_the_cost_alike(executors: Executors) -> None:
    """`extensions.cost.actualQueryCost` is the larger of the objects returned and the rows
    read: a plan that reads a relation joined into its owner's statement must not read it
    for owners whose selection does not follow it (here: the categories' products)."""
    await executors.compare(
        "{ categories(first: 20) { nodes { products(first: 3) { nodes { id } } } } "
        "products(first: 1) { nodes { inventory { available } } } }"
    )


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
async def test_a_query_above_the_cost_limit_is_refused_alike(
    executors: Executors, accept: str | None
) -> None:
    answer = await executors.compare(
        "{ customers(first: 100) { nodes { orders(first: 100) { nodes { id } } } } }",
        accept=accept,
    )
    assert answer.codes == ["QUERY_TOO_COMPLEX"], answer.body


INTROSPECTION = '{ __schema { queryType { name } } __type(name: "Order") { name fields { name } } }'


async def test_introspection_is_answered_alike(executors: Executors) -> None:
    for _ in range(2):  # the second answer is the one kept
        answer = await executors.compare(INTROSPECTION, expect="strawberry")
        assert answer.body["data"]["__type"]["name"] == "Order"
    await executors.compare(
        '{ orders(first: 1) { nodes { id } } __type(name: "Money") { name } }',
        expect="strawberry",
    )


async def test_root_typename_is_answered_alike(executors: Executors) -> None:
    """`{ __typename }` is an introspection-only operation: Strawberry keeps its answer and
    answers it again at cost 1. The planner leaves it to Strawberry, so both say the same."""
    for _ in range(2):
        await executors.compare("{ __typename }", expect="strawberry")
    await executors.compare("query Named { t: __typename orders(first: 1) { __typename } }")


async def test_mutations_are_answered_alike(executors: Executors, shop: Shop) -> None:
    refused = (
        'mutation { createProduct(input: {sku: "", name: "", price: {amount: -1, currency: '
        '"usd"}}) { product { id } userErrors { field code message } } }'
    )
    answer = await executors.compare(refused, expect="strawberry")
    assert answer.body["data"]["createProduct"]["userErrors"], answer.body
    forbidden = await executors.compare(
        'mutation { createCategory(input: {name: "x"}) { category { id } } }',
        principal=ORDERS_READER,
        expect="strawberry",
    )
    assert forbidden.codes == ["FORBIDDEN"], forbidden.body
    assert forbidden.errors[0]["path"] == ["createCategory"]
    # Mutations are never sent over GET: 405 from both.
    answer = await executors.compare(refused, method="GET", expect="strawberry")
    assert answer.status == 405


async def test_documents_the_planner_leaves_to_strawberry_answer_alike(
    executors: Executors,
) -> None:
    # A condition on a variable cannot be planned ahead of a request.
    for include in (True, False):
        await executors.compare(
            "query($yes: Boolean!) { orders(first: 2) { nodes { id number @include(if: $yes) } } }",
            {"yes": include},
            expect="strawberry",
        )
    several = (
        "query A { orders(first: 2) { nodes { id } } } "
        "query B { products(first: 2, sort: SKU) { nodes { sku } } }"
    )
    named = await executors.compare(several, operation_name="B")
    assert list(named.body["data"]) == ["products"]
    await executors.compare(several, operation_name="A", method="GET")
    # Which one? A request error, as the GraphQL-over-HTTP spec says, before either executor.
    answer = await executors.compare(several, expect=None)
    assert answer.status == 400, answer.body
    assert answer.planned_by == {}, answer
    answer = await executors.compare(several, operation_name="C", expect="strawberry")
    assert answer.status == 400, answer.body
    # Invalid documents are left to Strawberry, which says why.
    for invalid in ("{ orders(first: 2) { nodes { nope } } }", "{ orders(first: 2) { nodes "):
        answer = await executors.compare(invalid, expect="strawberry")
        assert answer.codes == ["VALIDATION_FAILED"], answer.body


async def test_get_requests_answer_alike(executors: Executors, shop: Shop) -> None:
    await executors.compare(BENCH_ORDERS_QUERY, {"first": 5}, method="GET")
    await executors.compare(BENCH_PRODUCT_QUERY, {"id": shop.bare_product}, method="GET")
    await executors.compare(
        EMAILS, principal=ORDERS_READER, expect="bailed", method="GET", accept=GRAPHQL_RESPONSE
    )


# --- aggregates -----------------------------------------------------------------------------

FIGURES = """
query Figures($from: DateTime, $first: Int!) {
  products(first: $first, sort: SKU) { nodes { sku
      sales(from: $from) { unitsSold orderCount revenue { amount currency } }
      allTime: sales { unitsSold }
      category { name stats(from: $from) { unitsSold productCount revenue { currency } } } } }
  orders(first: 5, sort: NUMBER, direction: DESC) { nodes { number
      customer { name stats { orderCount lifetimeValue { amount currency }
                              averageOrderValue { amount } firstOrderAt lastOrderAt } } } }
}
"""


@pytest.mark.parametrize("since", [None, "2026-01-01T00:00:00Z", "2100-01-01T00:00:00Z"])
async def test_aggregates_are_planned_and_equal_strawberrys(
    executors: Executors, since: str | None
) -> None:
    answer = await executors.compare(FIGURES, {"from": since, "first": 30})
    assert len(answer.body["data"]["products"]["nodes"]) == 30


async def test_refused_aggregates_bail_to_the_same_errors(executors: Executors) -> None:
    answer = await executors.compare(
        "{ orders(first: 2, sort: NUMBER) { nodes { customer { name stats { orderCount } } } } }",
        principal=ORDERS_READER,
        expect="bailed",
    )
    assert answer.codes == ["FORBIDDEN"] * 2
    assert [error["path"] for error in answer.errors] == [
        ["orders", "nodes", index, "customer", "stats"] for index in range(2)
    ]
    backwards = await executors.compare(
        '{ products(first: 2) { nodes { sales(from: "2026-02-01T00:00:00Z", '
        'to: "2026-01-01T00:00:00Z") { unitsSold } } } }',
        expect="bailed",
    )
    assert backwards.codes == ["VALIDATION_FAILED"] * 2

"""The typed Python clients in `clients/`: current with the contract, and working.

`clients/generate.py` generates both: `shopgraph_graphql` (ariadne-codegen, from
docs/schema.graphql and the example operations) and `shopgraph_rest`
(openapi-python-client, from docs/openapi.json). Here:

- the committed packages are exactly what the generators make of the committed contract
  now (the CI check that nobody changed the API without regenerating them); skipped, with
  the reason, only when the generators cannot be installed (generate.py installs them, from
  clients/generators.txt, into an environment of their own on first use);
- each client does real round trips against the app, on every database backend: what one
  surface writes, the other's typed models read back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from http import HTTPStatus
from pathlib import Path
from typing import cast

import httpx
import pytest
from shopgraph_graphql import Client as GraphQLClient
from shopgraph_graphql import OrderLineInput, OrderStatus, PaymentInput, PlaceOrderInput
from shopgraph_graphql import UserErrorCode as GraphQLErrorCode
from shopgraph_graphql.async_base_client import HttpClient
from shopgraph_rest import AuthenticatedClient
from shopgraph_rest.api.customers import create_customer
from shopgraph_rest.api.inventory import adjust_inventory
from shopgraph_rest.api.orders import get_order
from shopgraph_rest.api.products import create_product, get_product
from shopgraph_rest.models import (
    Customer,
    CustomerCreate,
    Inventory,
    InventoryLevel,
    MoneyInput,
    Order,
    Problem,
    Product,
    ProductCreate,
    StockAdjustment,
)
from starlette.applications import Starlette

from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.resolvers.persisted_operations import register
from shopgraph.schema.operation_files import graphql_files, operations_in, with_canonical_forms
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer, client_of

ROOT = Path(__file__).parent.parent
GENERATE = ROOT / "clients" / "generate.py"
PACKAGES = (Path("graphql") / "shopgraph_graphql", Path("rest") / "shopgraph_rest")
REGENERATE = "python clients/generate.py"
NO_GENERATORS = 3  # generate.py's exit status when the generators cannot be installed
BASE_URL = "http://testserver"


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, bytecode caches left out."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_committed_clients_are_what_the_generators_make_now(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(GENERATE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode == NO_GENERATORS:
        pytest.skip(f"the client generators are not installed: {done.stderr.strip()}")
    assert done.returncode == 0, f"{REGENERATE} failed:\n{done.stdout}{done.stderr}"
    stale = []
    for package in PACKAGES:
        fresh, committed = _tree(tmp_path / package), _tree(ROOT / "clients" / package)
        stale += [
            f"clients/{package.as_posix()}/{name}"
            for name in sorted(fresh.keys() | committed.keys())
            if fresh.get(name) != committed.get(name)
        ]
    shown = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
    assert not stale, (
        f"The generated clients are out of date with the API contract ({shown} differ): "
        f"run `{REGENERATE}` and commit clients/."
    )


# Round trips: the generated clients against the app, through httpx's ASGI transport.


@pytest.fixture
async def rest(app: Starlette, settings: Settings) -> AsyncIterator[AuthenticatedClient]:
    """The REST client as a program would make it: base URL and token (an admin's)."""
    token = bearer(settings, ADMIN)["Authorization"].removeprefix("Bearer ")
    client = AuthenticatedClient(
        base_url=BASE_URL,
        token=token,
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.ASGITransport(app=app)},
    )
    async with client:
        yield client


@pytest.fixture
async def graphql(app: Starlette, settings: Settings) -> AsyncIterator[GraphQLClient]:
    """The GraphQL client over an httpx client of the app that carries an admin's token."""
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=BASE_URL,
        headers=bearer(settings, ADMIN),
    )
    # cast: ariadne-codegen 0.19's HttpClient protocol takes post()'s arguments positionally,
    # httpx's are keyword-only, so mypy finds no match (mirumee/ariadne-codegen#463).
    http_client = cast(HttpClient, http)
    async with GraphQLClient(url=f"{BASE_URL}/graphql", http_client=http_client) as client:
        yield client


async def _product(rest: AuthenticatedClient, sku: str, amount: int, currency: str) -> Product:
    made = await create_product.asyncio_detailed(
        client=rest,
        body=ProductCreate(
            sku=sku,
            name=f"Typed mug {sku}",
            price=MoneyInput(amount=amount, currency=currency),
            description="Made by the generated REST client.",
        ),
    )
    assert made.status_code == HTTPStatus.CREATED, made.content
    assert isinstance(made.parsed, Product), made.content
    return made.parsed


async def test_a_product_made_over_rest_reads_back_typed_over_graphql(
    rest: AuthenticatedClient, graphql: GraphQLClient, unique: str
) -> None:
    product = await _product(rest, f"CLIENT-{unique}", 1299, "EUR")
    assert (product.price.amount, product.price.currency) == (1299, "EUR")

    read = await graphql.get_product(product.id)

    assert read.product is not None
    got = read.product
    assert (got.id, got.sku, got.name, got.description) == (
        product.id,
        product.sku,
        product.name,
        product.description,
    )
    assert isinstance(got.price.amount, int)
    assert (got.price.amount, got.price.currency) == (1299, "EUR")
    assert got.created_at == product.created_at  # both parsed to aware datetimes
    assert got.category is None
    assert isinstance(product.inventory, Inventory)
    assert got.inventory is not None
    assert (got.inventory.on_hand, got.inventory.available) == (
        product.inventory.on_hand,
        product.inventory.available,
    )
    # An expected failure is typed too: the same sku again is a 409 problem.
    again = await create_product.asyncio_detailed(
        client=rest,
        body=ProductCreate(
            sku=product.sku, name="Another", price=MoneyInput(amount=1, currency="EUR")
        ),
    )
    assert again.status_code == HTTPStatus.CONFLICT
    assert isinstance(again.parsed, Problem)
    assert again.parsed.code == "CONFLICT"
    assert [(error.field, error.code) for error in again.parsed.errors] == [("sku", "TAKEN")]
    # An unknown id is null on GraphQL, a 404 problem on REST.
    missing = await graphql.get_product("prod_doesnotexist")
    assert missing.product is None
    gone = await get_product.asyncio_detailed("prod_doesnotexist", client=rest)
    assert gone.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(gone.parsed, Problem)


async def test_an_order_placed_and_paid_over_graphql_reads_back_typed_over_rest(
    rest: AuthenticatedClient, graphql: GraphQLClient, unique: str
) -> None:
    product = await _product(rest, f"CLIENT-ORDER-{unique}", 2500, "USD")
    stocked = await adjust_inventory.asyncio(
        product.id,
        client=rest,
        body=StockAdjustment(delta=5, reason="typed client test", kind="receipt"),
    )
    assert isinstance(stocked, InventoryLevel), stocked
    assert (stocked.on_hand, stocked.reserved, stocked.available) == (5, 0, 5)
    customer = await create_customer.asyncio(
        client=rest, body=CustomerCreate(email=f"client-{unique}@example.com", name="Typed")
    )
    assert isinstance(customer, Customer), customer

    too_many = await graphql.place_order(
        PlaceOrderInput(
            customer_id=customer.id, lines=[OrderLineInput(product_id=product.id, quantity=6)]
        )
    )
    assert too_many.place_order.order is None
    assert [error.code for error in too_many.place_order.user_errors] == [
        GraphQLErrorCode.INSUFFICIENT_INVENTORY
    ]

    placed = await graphql.place_order(
        PlaceOrderInput(
            customer_id=customer.id, lines=[OrderLineInput(product_id=product.id, quantity=2)]
        ),
        idempotency_key=f"client-order-{unique}",
    )
    assert placed.place_order.user_errors == []
    order = placed.place_order.order
    assert order is not None
    assert order.status == OrderStatus.PENDING
    assert (order.total.amount, order.total.currency) == (5000, "USD")
    assert order.customer.id == customer.id
    assert [(line.product.id, line.quantity, line.unit_price.amount) for line in order.lines] == [
        (product.id, 2, 2500)
    ]

    paid = await graphql.pay_order(
        order.id, PaymentInput(source="tok_visa"), idempotency_key=f"client-pay-{unique}"
    )
    assert paid.pay_order.user_errors == []
    payment = paid.pay_order.payment
    assert payment is not None
    assert (payment.status, payment.failure_code) == ("succeeded", None)
    assert (payment.amount.amount, payment.captured.amount) == (5000, 5000)
    assert (payment.order.id, payment.order.status) == (order.id, OrderStatus.PAID)

    read = await get_order.asyncio(order.id, client=rest)
    assert isinstance(read, Order), read
    assert (read.id, read.number, read.status) == (order.id, order.number, "paid")
    assert (read.total.amount, read.total.currency) == (5000, "USD")
    assert read.customer_id == customer.id
    assert [(line.product_id, line.quantity) for line in read.lines] == [(product.id, 2)]
    # The two lines stay reserved until the order is fulfilled; both surfaces say so.
    after = await graphql.get_product(product.id)
    assert after.product is not None
    stock = after.product.inventory
    assert stock is not None
    assert (stock.on_hand, stock.reserved, stock.available) == (5, 2, 3)
    read_again = await get_product.asyncio(product.id, client=rest)
    assert isinstance(read_again, Product), read_again
    assert isinstance(read_again.inventory, Inventory)
    rest_stock = read_again.inventory
    assert (rest_stock.on_hand, rest_stock.reserved, rest_stock.available) == (5, 2, 3)


async def test_the_graphql_client_runs_where_only_registered_operations_may(
    settings: Settings, services: Services
) -> None:
    """The client sends each operation printed its own way, not as the file has it: the
    allow-list admits it by its canonical form, which registering records."""
    folders = [ROOT / "examples" / "graphql", ROOT / "clients" / "graphql" / "operations"]
    files = graphql_files(folders)
    found = [operation for path in files for operation in operations_in(path)]
    await register(services.database, with_canonical_forms(found))
    held = settings.model_copy(update={"graphql_allowlist_tiers": ["standard"]})
    storefront = Principal(
        kind="api_key", id="key_test-clients", scopes=frozenset({"products:read"}), tier="standard"
    )
    async with client_of(held, Services(held), bearer(held, storefront)) as http:
        client = GraphQLClient(url=f"{BASE_URL}/graphql", http_client=cast(HttpClient, http))
        catalog = await client.catalog()
        assert isinstance(catalog.products.nodes, list)
        unregistered = await http.post(
            "/graphql", json={"query": "{ products(first: 1) { nodes { id } } }"}
        )
        [error] = unregistered.json()["errors"]
        assert error["extensions"]["code"] == "OPERATION_NOT_ALLOWED"

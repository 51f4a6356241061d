"""Smoke tests of the REST facade, driven through a bare Starlette app over a SQLite file.

Every response body is validated against the pydantic models that the OpenAPI document
is generated from, so the documentation and the renderers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import insert
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade
from shopgraph.db.models import customers, order_lines, orders
from shopgraph.middleware.authentication import AuthenticationMiddleware
from shopgraph.middleware.edge import EdgeMiddleware
from shopgraph.resolvers import products as product_service
from shopgraph.rest_facade import create_rest_app, models, openapi_document
from shopgraph.rest_facade.routes import PREFIX, ROUTES
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer, watching_statements


@pytest.fixture
def services(tmp_path: Path) -> Services:
    """Closed by `client`, which owns the event loop the engine runs on."""
    url = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    upgrade(url)
    return Services(Settings(database_url=url, secret_key="test-secret"))


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=[Mount("/v1", create_rest_app())],
        middleware=[Middleware(EdgeMiddleware), Middleware(AuthenticationMiddleware)],
    )
    app.state.services = services
    transport = httpx.ASGITransport(app=app)
    headers = bearer(services.settings, ADMIN)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as http:
        yield http
    await services.close()


@pytest.fixture
def selects(services: Services) -> Iterator[list[str]]:
    """SELECT statements the database runs while the test reads the list."""
    seen: list[str] = []

    def record(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    with watching_statements(services, record):
        yield seen


def ok(response: httpx.Response, model: type[BaseModel], status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    model.model_validate(body)
    return body


def problem(
    response: httpx.Response, status: int, code: str, field: str | None = "-"
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    models.Problem.model_validate(body)
    assert body["code"] == code
    assert body["status"] == status
    assert body["type"] == "https://shopgraph.dev/problems/" + code.lower().replace("_", "-")
    assert body["request_id"] == response.headers["x-request-id"]
    if field != "-":
        assert body["errors"], body
        assert body["errors"][0]["field"] == field, body
    return body


def links(response: httpx.Response) -> dict[str, str]:
    """The RFC 8288 `Link` header as {rel: url}."""
    found = {}
    for part in response.headers.get("link", "").split(","):
        if part.strip():
            url, rel = part.split(";")
            found[rel.strip().removeprefix('rel="').removesuffix('"')] = url.strip()[1:-1]
    return found


async def make_product(http: httpx.AsyncClient, sku: str, **fields: Any) -> dict[str, Any]:
    data = {"sku": sku, "name": f"Product {sku}", "price": {"amount": 100, "currency": "USD"}}
    return ok(await http.post("/v1/products", json=data | fields), models.Product, 201)


async def test_product_crud(client: httpx.AsyncClient) -> None:
    category = ok(await client.post("/v1/categories", json={"name": "Tools"}), models.Category, 201)
    created = await make_product(
        client, "HAM-1", description="A hammer", category_id=category["id"]
    )
    assert created["id"].startswith("prod_")
    assert created["category_id"] == category["id"]
    assert created["price"] == {"amount": 100, "currency": "USD"}
    assert created["inventory"] == {"on_hand": 0, "reserved": 0, "available": 0}
    assert created["created_at"].endswith("Z")

    location = f"/v1/products/{created['id']}"
    assert ok(await client.get(location), models.Product) == created
    listed = ok(await client.get("/v1/products"), models.ProductList)
    assert listed["data"] == [created]
    assert listed["has_more"] is False
    assert listed["next_cursor"] is None

    patch = {"name": "Claw hammer", "price": {"amount": 1999, "currency": "USD"}}
    updated = ok(await client.patch(location, json=patch), models.Product)
    assert (updated["name"], updated["price"]["amount"], updated["sku"]) == (
        "Claw hammer",
        1999,
        "HAM-1",
    )
    assert updated["updated_at"] > created["updated_at"]
    cleared = ok(await client.patch(location, json={"description": None}), models.Product)
    assert cleared["description"] is None
    assert cleared["category_id"] == category["id"]

    in_use = await client.delete(f"/v1/categories/{category['id']}")
    problem(in_use, 409, "CONFLICT")
    deleted = await client.delete(location)
    assert deleted.status_code == 204
    assert deleted.content == b""
    problem(await client.get(location), 404, "NOT_FOUND")
    problem(await client.delete(location), 404, "NOT_FOUND")
    problem(await client.get("/v1/products/prod_nonsense"), 404, "NOT_FOUND")
    assert (await client.delete(f"/v1/categories/{category['id']}")).status_code == 204


async def test_create_returns_location(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/customers", json={"email": "A@Example.com", "name": "Ann"})
    body = ok(response, models.Customer, 201)
    assert response.headers["location"] == f"/v1/customers/{body['id']}"
    assert body["email"] == "a@example.com"
    assert ok(await client.get(response.headers["location"]), models.Customer) == body
    duplicate = await client.post("/v1/customers", json={"email": "a@example.com", "name": "B"})
    problem(duplicate, 409, "CONFLICT", "email")
    found = ok(await client.get("/v1/customers?email=A@example.com"), models.CustomerList)
    assert [item["id"] for item in found["data"]] == [body["id"]]


async def test_invalid_writes_change_nothing(client: httpx.AsyncClient) -> None:
    original = await make_product(client, "SKU-1")
    price = {"amount": 5, "currency": "USD"}
    unknown_category = ids.encode("Category", 999)

    body = problem(
        await client.post("/v1/products", json={"sku": "SKU-1", "name": "x", "price": price}),
        409,
        "CONFLICT",
        "sku",
    )
    assert body["errors"][0]["code"] == "TAKEN"
    missing = await client.post("/v1/products", json={"sku": "SKU-2", "price": price})
    assert problem(missing, 422, "VALIDATION_FAILED", "name")["errors"][0]["code"] == "REQUIRED"
    wrong_type = {"sku": "SKU-2", "name": "x", "price": {"amount": "12", "currency": "USD"}}
    problem(
        await client.post("/v1/products", json=wrong_type), 422, "VALIDATION_FAILED", "price.amount"
    )
    too_long = {"sku": "SKU-2", "name": "x" * 201, "price": price}
    body = problem(
        await client.post("/v1/products", json=too_long), 422, "VALIDATION_FAILED", "name"
    )
    assert body["errors"][0]["code"] == "TOO_LONG"
    for category_id in (unknown_category, "cat_malformed"):
        data = {"sku": "SKU-2", "name": "x", "price": price, "category_id": category_id}
        problem(
            await client.post("/v1/products", json=data), 422, "VALIDATION_FAILED", "category_id"
        )
    extra = {"sku": "SKU-2", "name": "x", "price": price, "colour": "red"}
    body = problem(
        await client.post("/v1/products", json=extra), 422, "VALIDATION_FAILED", "colour"
    )
    assert body["errors"][0]["code"] == "UNKNOWN_FIELD"

    json_headers = {"content-type": "application/json"}
    for content, headers in (
        (b'{"sku": "SKU-2",', json_headers),
        (b"", json_headers),
        (b'["SKU-2"]', json_headers),
        (b'{"sku": "SKU-2"}', {"content-type": "text/plain"}),
    ):
        response = await client.post("/v1/products", content=content, headers=headers)
        problem(response, 400, "VALIDATION_FAILED", None)

    location = f"/v1/products/{original['id']}"
    problem(await client.patch(location, json={"name": ""}), 422, "VALIDATION_FAILED", "name")
    problem(await client.patch(location, json={"sku": None}), 422, "VALIDATION_FAILED", "sku")
    problem(
        await client.patch(location, json={"category_id": unknown_category}),
        422,
        "VALIDATION_FAILED",
        "category_id",
    )
    problem(await client.patch(location, content=b"{"), 400, "VALIDATION_FAILED", None)
    problem(await client.patch("/v1/products/prod_nonsense", json={"name": "y"}), 404, "NOT_FOUND")

    listed = ok(await client.get("/v1/products"), models.ProductList)
    assert listed["data"] == [original]


async def test_paging_walk(client: httpx.AsyncClient, selects: list[str]) -> None:
    made = [
        await make_product(client, f"P-{n}", price={"amount": 10 - n, "currency": "USD"})
        for n in range(5)
    ]
    ids_in_order = [item["id"] for item in made]

    selects.clear()
    first = await client.get("/v1/products?limit=2")
    assert len(selects) == 1, selects  # the page, its stock joined in the same statement

    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    response = first
    while True:
        page = ok(response, models.ProductList)
        pages.append(page)
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            break
        assert "starting_after=" in links(response)["next"]
        response = await client.get(
            "/v1/products", params={"limit": 2, "starting_after": page["next_cursor"]}
        )
    assert seen == ids_in_order
    assert [len(page["data"]) for page in pages] == [2, 2, 1]
    assert pages[0]["previous_cursor"] is None
    assert pages[-1]["next_cursor"] is None
    assert set(links(response)) == {"prev"}

    # Backward from the last page, following the Link header's rel="prev".
    backward: list[str] = []
    while True:
        prev_url = links(response)["prev"]
        assert "ending_before=" in prev_url
        assert "starting_after=" not in prev_url
        assert "limit=2" in prev_url
        response = await client.get(prev_url)
        page = ok(response, models.ProductList)
        backward = [item["id"] for item in page["data"]] + backward
        if not page["has_more"]:
            break
    assert backward + seen[-1:] == ids_in_order
    assert page["previous_cursor"] is None
    assert page["next_cursor"] is not None
    assert set(links(response)) == {"next"}

    by_price = ok(await client.get("/v1/products?sort=price&direction=asc"), models.ProductList)
    assert [item["id"] for item in by_price["data"]] == ids_in_order[::-1]
    cheap = ok(await client.get("/v1/products?price_max=7&search=p-"), models.ProductList)
    assert [item["id"] for item in cheap["data"]] == ids_in_order[3:]


async def test_list_parameter_errors(client: httpx.AsyncClient) -> None:
    for n in range(3):
        await make_product(client, f"Q-{n}")
    page = ok(await client.get("/v1/products?limit=1"), models.ProductList)
    cursor = page["next_cursor"]
    middle = len(cursor) // 2
    tampered = cursor[:middle] + ("A" if cursor[middle] != "A" else "B") + cursor[middle + 1 :]
    cases = [
        (f"starting_after={tampered}", "starting_after"),
        (f"ending_before={tampered}", "ending_before"),
        (f"starting_after={cursor}&sort=name", "starting_after"),
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("limit=1&limit=2", "limit"),
        ("colour=red", "colour"),
        ("sort=colour", "sort"),
        ("direction=up", "direction"),
        ("price_min=cheap", "price_min"),
        ("category_id=cat_malformed", "category_id"),
        (f"starting_after={cursor}&ending_before={cursor}", "ending_before"),
    ]
    for query, field in cases:
        problem(await client.get(f"/v1/products?{query}"), 422, "VALIDATION_FAILED", field)
    body = problem(await client.get("/v1/products?limit=101"), 422, "VALIDATION_FAILED", "limit")
    assert body["errors"][0]["code"] == "OUT_OF_RANGE"
    problem(
        await client.get("/v1/orders?created_after=yesterday"),
        422,
        "VALIDATION_FAILED",
        "created_after",
    )
    problem(
        await client.get("/v1/orders?created_after=2026-01-01T00:00:00"),
        422,
        "VALIDATION_FAILED",
        "created_after",
    )
    problem(await client.get("/v1/orders?status=lost"), 422, "VALIDATION_FAILED", "status")
    problem(await client.get("/v1/products/prod_x?verbose=1"), 422, "VALIDATION_FAILED", "verbose")


async def test_routing_errors(client: httpx.AsyncClient) -> None:
    problem(await client.get("/v1/nowhere"), 404, "NOT_FOUND")
    response = await client.put("/v1/products")
    problem(response, 405, "METHOD_NOT_ALLOWED")
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    head = await client.head("/v1/products")
    assert head.status_code == 200


async def test_unexpected_error_is_masked(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(product_service, "list_products", broken)
    response = await client.get("/v1/products")
    body = problem(response, 500, "INTERNAL")
    assert "secret" not in response.text
    assert body["detail"] == "An unexpected error occurred."


async def test_orders(client: httpx.AsyncClient, services: Services, selects: list[str]) -> None:
    product = await make_product(client, "O-1")
    product_pk = ids.decode("Product", product["id"])
    now = datetime.now(UTC)
    async with services.database.transaction() as db:
        customer_pks = []
        for n in range(2):
            row = await db.execute(
                insert(customers)
                .values(
                    email=f"c{n}@example.com",
                    name=f"C{n}",
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
                .returning(customers.c.id)
            )
            customer_pks.append(row.scalar_one())
        for number in range(1, 4):
            order_pk = (
                await db.execute(
                    insert(orders)
                    .values(
                        number=number,
                        status="paid" if number == 1 else "pending",
                        customer_id=customer_pks[number == 3],
                        currency="USD",
                        subtotal_amount=200 * number,
                        total_amount=200 * number,
                        created_at=now + timedelta(seconds=number),
                        updated_at=now,
                        version=1,
                    )
                    .returning(orders.c.id)
                )
            ).scalar_one()
            await db.execute(
                insert(order_lines).values(
                    order_id=order_pk,
                    product_id=product_pk,
                    quantity=2 * number,
                    currency="USD",
                    unit_price_amount=100,
                    line_total_amount=200 * number,
                )
            )

    selects.clear()
    listed = ok(await client.get("/v1/orders"), models.OrderList)
    assert len(selects) == 1, selects  # the page, its lines joined in the same statement
    assert [order["number"] for order in listed["data"]] == [1, 2, 3]
    first = listed["data"][0]
    assert first["lines"] == [
        {
            "product_id": product["id"],
            "quantity": 2,
            "unit_price": {"amount": 100, "currency": "USD"},
            "line_total": {"amount": 200, "currency": "USD"},
        }
    ]
    assert first["total"] == {"amount": 200, "currency": "USD"}
    assert ok(await client.get(f"/v1/orders/{first['id']}"), models.Order) == first
    problem(await client.get("/v1/orders/ord_nonsense"), 404, "NOT_FOUND")

    paid = ok(await client.get("/v1/orders?status=paid"), models.OrderList)
    assert [order["number"] for order in paid["data"]] == [1]
    after = (now + timedelta(seconds=2)).isoformat()
    recent = ok(await client.get("/v1/orders", params={"created_after": after}), models.OrderList)
    assert [order["number"] for order in recent["data"]] == [2, 3]

    customer_id = first["customer_id"]
    mine = ok(await client.get(f"/v1/customers/{customer_id}/orders?limit=1"), models.OrderList)
    assert [order["number"] for order in mine["data"]] == [1]
    assert mine["has_more"] is True
    rest = ok(
        await client.get(
            f"/v1/customers/{customer_id}/orders", params={"starting_after": mine["next_cursor"]}
        ),
        models.OrderList,
    )
    assert [order["number"] for order in rest["data"]] == [2]
    by_filter = ok(await client.get(f"/v1/orders?customer_id={customer_id}"), models.OrderList)
    assert [order["number"] for order in by_filter["data"]] == [1, 2]
    unknown = f"/v1/customers/{ids.encode('Customer', 999)}/orders"
    problem(await client.get(unknown), 404, "NOT_FOUND")
    problem(await client.delete(f"/v1/customers/{customer_id}"), 409, "CONFLICT")


def test_openapi_document_matches_routes() -> None:
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "shopgraph REST API"
    assert "servers" not in document
    operations = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert operations == {(route.method, PREFIX + route.path) for route in ROUTES}
    create = document["paths"]["/v1/products"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ProductCreate"}
    assert "409" in create["responses"]
    update = document["components"]["schemas"]["ProductUpdate"]["properties"]
    assert update["sku"]["type"] == "string"  # null is refused for sku
    assert {"type": "null"} in update["description"]["anyOf"]  # and accepted here
    names = {p["name"] for p in document["paths"]["/v1/orders"]["get"]["parameters"]}
    assert {"limit", "starting_after", "ending_before", "status", "created_after"} <= names
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)

"""Input the API does not accept is a documented 4xx on both surfaces, never a 500.

Regression tests for issue 9.5: a NUL character (PostgreSQL cannot store or compare one),
integers beyond 64 bits, timestamps whose UTC falls outside year 1..9999, and overlong
search strings were 500s (or a reset connection); SQL parameters, which hold customer
data, were written into error logs.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shopgraph.context import Services

from .conftest import GraphQL

PROBLEM_JSON = "application/problem+json"


def _refused(response: httpx.Response, field: str, code: str = "INVALID") -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert [e["field"] for e in body["errors"]] == [field], body
    assert body["errors"][0]["code"] == code


@pytest.mark.parametrize(
    ("path", "field", "code"),
    [
        ("/v1/products?search=a%00b", "search", "INVALID"),
        ("/v1/products?sku=a%00", "sku", "INVALID"),
        ("/v1/customers?email=x%00%40example.com", "email", "INVALID"),
        ("/v1/products?price_min=9223372036854775808", "price_min", "OUT_OF_RANGE"),
        ("/v1/products?price_max=-9223372036854775809", "price_max", "OUT_OF_RANGE"),
        ("/v1/orders?created_after=0001-01-01T00:00:00%2B14:00", "created_after", "INVALID"),
        ("/v1/orders?created_before=9999-12-31T23:00:00-05:00", "created_before", "INVALID"),
        ("/v1/products?search=" + "x" * 201, "search", "TOO_LONG"),
    ],
)
async def test_rest_filters_refuse_what_no_database_compares(
    client: httpx.AsyncClient, path: str, field: str, code: str
) -> None:
    _refused(await client.get(path), field, code)


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ("query($s: String) { products(filter: {search: $s}) { nodes { id } } }",
         {"s": "a\x00b"}, "search"),
        ("query($t: DateTime) { orders(filter: {createdAfter: $t}) { nodes { id } } }",
         {"t": "0001-01-01T00:00:00+14:00"}, None),
        ("query($p: Long) { products(filter: {priceMin: $p}) { nodes { id } } }",
         {"p": 2**53}, None),
    ],
)  # fmt: skip
async def test_graphql_filters_refuse_what_no_database_compares(
    gql: GraphQL, query: str, variables: dict[str, Any], field: str | None
) -> None:
    body = await gql(query, **variables)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED", body
    if field is not None:
        assert error["extensions"]["errors"][0]["field"] == field


async def test_written_text_with_a_nul_is_refused_on_both_surfaces(
    client: httpx.AsyncClient, gql: GraphQL, unique: str
) -> None:
    body = {
        "sku": f"NUL-{unique}",
        "name": "bad\x00name",
        "price": {"amount": 1, "currency": "USD"},
    }
    _refused(await client.post("/v1/products", json=body), "name")
    payload = await gql(
        "mutation($input: ProductCreateInput!) { createProduct(input: $input) "
        "{ product { id } userErrors { field code } } }",
        input=body,
    )
    assert payload["data"]["createProduct"] == {
        "product": None,
        "userErrors": [{"field": "name", "code": "INVALID"}],
    }
    customer = await client.post(
        "/v1/customers", json={"email": f"nul.{unique}@example.com", "name": "a\x00"}
    )
    _refused(customer, "name")


async def test_database_errors_never_carry_statement_parameters(services: Services) -> None:
    """A failing statement's error (what a 500 would log) names no customer data."""
    secret = "private.person@example.com"
    async with services.database.engine.connect() as db:
        with pytest.raises(DBAPIError) as failed:
            await db.execute(
                text("SELECT * FROM no_such_table WHERE email = :email"), {"email": secret}
            )
    assert secret not in str(failed.value)

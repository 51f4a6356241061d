"""GraphQL mutations: payloads, userErrors, and that refused input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import GraphQL

CREATE = """
mutation($input: ProductCreateInput!) {
  createProduct(input: $input) {
    product { id sku name description price { amount currency }
              category { id name } inventory { onHand } }
    userErrors { field code message }
  }
}"""
UPDATE = """
mutation($id: ID!, $input: ProductUpdateInput!) {
  updateProduct(id: $id, input: $input) {
    product { id sku name description price { amount currency } category { id } }
    userErrors { field code message }
  }
}"""
COUNT = "query($sku: String) { products(first: 5, filter: {sku: $sku}) { nodes { id } } }"


def _input(unique: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sku": f"GQL-{unique}",
        "name": "Teapot",
        "price": {"amount": 2500, "currency": "USD"},
    }
    data.update(overrides)
    return data


async def test_create_read_update_delete(gql: GraphQL, unique: str) -> None:
    category = (
        await gql(
            "mutation($n: String!) { createCategory(input: {name: $n}) { category { id name } } }",
            n=f"Teaware {unique}",
        )
    )["data"]["createCategory"]["category"]
    created = (await gql(CREATE, input=_input(unique, categoryId=category["id"])))["data"][
        "createProduct"
    ]
    assert created["userErrors"] == []
    product = created["product"]
    assert product["category"] == category
    assert product["inventory"] == {"onHand": 0}
    assert product["price"] == {"amount": 2500, "currency": "USD"}

    updated = await gql(UPDATE, id=product["id"], input={"name": "Big teapot", "description": None})
    payload = updated["data"]["updateProduct"]
    assert payload["userErrors"] == []
    assert payload["product"]["name"] == "Big teapot"
    assert payload["product"]["sku"] == f"GQL-{unique}"
    assert payload["product"]["category"] == {"id": category["id"]}

    cleared = (await gql(UPDATE, id=product["id"], input={"categoryId": None}))["data"][
        "updateProduct"
    ]
    assert cleared["product"]["category"] is None

    deleted = await gql(
        "mutation($id: ID!) { deleteProduct(id: $id) { deletedId userErrors { code } } }",
        id=product["id"],
    )
    assert deleted["data"]["deleteProduct"] == {"deletedId": product["id"], "userErrors": []}
    gone = await gql("query($id: ID!) { product(id: $id) { id } }", id=product["id"])
    assert gone["data"]["product"] is None


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": "x" * 201}, "name", "TOO_LONG"),
        ({"name": "   "}, "name", "REQUIRED"),
        ({"sku": "has spaces"}, "sku", "INVALID"),
        ({"price": {"amount": -1, "currency": "USD"}}, "price.amount", "OUT_OF_RANGE"),
        ({"price": {"amount": 1, "currency": "usd"}}, "price.currency", "INVALID"),
        ({"categoryId": "cat_doesnotexist"}, "categoryId", "NOT_FOUND"),
        ({"categoryId": "prod_GoVSUmvkI9U"}, "categoryId", "NOT_FOUND"),
        ({"description": "d" * 5001}, "description", "TOO_LONG"),
    ],
)
async def test_invalid_create_is_a_user_error_and_writes_nothing(
    gql: GraphQL, unique: str, overrides: dict[str, Any], field: str, code: str
) -> None:
    body = await gql(CREATE, input=_input(unique, **overrides))
    payload = body["data"]["createProduct"]
    assert payload["product"] is None
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["userErrors"]
    ]
    assert (await gql(COUNT, sku=f"GQL-{unique}"))["data"]["products"]["nodes"] == []


async def test_duplicate_sku_is_taken(gql: GraphQL, unique: str) -> None:
    first = await gql(CREATE, input=_input(unique))
    assert first["data"]["createProduct"]["userErrors"] == []
    second = await gql(CREATE, input=_input(unique, name="Other"))
    assert second["data"]["createProduct"]["userErrors"][0]["code"] == "TAKEN"
    assert second["data"]["createProduct"]["userErrors"][0]["field"] == "sku"
    assert len((await gql(COUNT, sku=f"GQL-{unique}"))["data"]["products"]["nodes"]) == 1


async def test_wrong_types_are_refused_before_execution(gql: GraphQL, unique: str) -> None:
    body = await gql(CREATE, input=_input(unique, price={"amount": "12", "currency": "USD"}))
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    too_big = await gql(CREATE, input=_input(unique, price={"amount": 2**53, "currency": "USD"}))
    assert too_big["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert (await gql(COUNT, sku=f"GQL-{unique}"))["data"]["products"]["nodes"] == []


async def test_update_and_delete_unknown_ids(gql: GraphQL) -> None:
    body = await gql(UPDATE, id="prod_000000000zz", input={"name": "x"})
    assert body["data"]["updateProduct"]["userErrors"][0]["code"] == "NOT_FOUND"
    body = await gql(
        'mutation { deleteCustomer(id: "nonsense") { deletedId userErrors { code } } }'
    )
    assert body["data"]["deleteCustomer"] == {
        "deletedId": None,
        "userErrors": [{"code": "NOT_FOUND"}],
    }


async def test_null_for_a_required_field_on_update(gql: GraphQL, unique: str) -> None:
    product = (await gql(CREATE, input=_input(unique)))["data"]["createProduct"]["product"]
    body = await gql(UPDATE, id=product["id"], input={"name": None})
    assert body["data"]["updateProduct"]["userErrors"] == [
        {"field": "name", "code": "INVALID", "message": "Cannot be null."}
    ]


async def test_deleting_a_category_in_use_is_a_conflict(gql: GraphQL, unique: str) -> None:
    category = (
        await gql(
            "mutation($n: String!) { createCategory(input: {name: $n}) { category { id } } }",
            n=f"InUse {unique}",
        )
    )["data"]["createCategory"]["category"]["id"]
    await gql(CREATE, input=_input(unique, categoryId=category))
    body = await gql(
        "mutation($id: ID!) { deleteCategory(id: $id) { deletedId userErrors { code } } }",
        id=category,
    )
    assert body["data"]["deleteCategory"] == {"deletedId": None, "userErrors": [{"code": "IN_USE"}]}


async def test_customer_email_is_case_insensitively_unique(gql: GraphQL, unique: str) -> None:
    mutation = """mutation($email: String!) { createCustomer(input: {email: $email, name: "Ada"}) {
      customer { email } userErrors { field code } } }"""
    first = await gql(mutation, email=f"Ada.{unique}@Example.com")
    assert first["data"]["createCustomer"]["customer"] == {"email": f"ada.{unique}@example.com"}
    second = await gql(mutation, email=f"ADA.{unique}@example.COM")
    assert second["data"]["createCustomer"]["userErrors"] == [{"field": "email", "code": "TAKEN"}]

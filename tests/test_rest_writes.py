"""Every REST write refuses bad input with a problem+json error and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

VALID: dict[str, dict[str, Any]] = {
    "categories": {"name": "Valid category"},
    "products": {"sku": "VALID-SKU", "name": "Valid", "price": {"amount": 100, "currency": "USD"}},
    "customers": {"email": "valid@example.com", "name": "Valid"},
}
BAD_BODIES: list[tuple[str, Any, int, str | None]] = [
    ("malformed JSON", b"{'no': json", 400, None),
    ("not an object", b"[1, 2]", 400, None),
    ("empty body", b"", 400, None),
]
BAD_FIELDS: dict[str, list[tuple[dict[str, Any], str, str]]] = {
    "categories": [
        ({"name": 5}, "name", "INVALID"),
        ({"name": "c" * 121}, "name", "TOO_LONG"),
        ({"name": "ok", "colour": "red"}, "colour", "UNKNOWN_FIELD"),
        ({}, "name", "REQUIRED"),
    ],
    "products": [
        ({"sku": "S", "name": "N"}, "price", "REQUIRED"),
        (
            {"sku": "S", "name": "N", "price": {"amount": 1.5, "currency": "USD"}},
            "price.amount",
            "INVALID",
        ),
        (
            {"sku": "S", "name": "N", "price": {"amount": True, "currency": "USD"}},
            "price.amount",
            "INVALID",
        ),
        (
            {"sku": "S", "name": "N", "price": {"amount": 2**53, "currency": "USD"}},
            "price.amount",
            "OUT_OF_RANGE",
        ),
        (
            {"sku": "S" * 65, "name": "N", "price": {"amount": 1, "currency": "USD"}},
            "sku",
            "TOO_LONG",
        ),
        (
            {
                "sku": "S",
                "name": "N",
                "price": {"amount": 1, "currency": "USD"},
                "category_id": "cat_x",
            },
            "category_id",
            "NOT_FOUND",
        ),
    ],
    "customers": [
        ({"email": "not-an-email", "name": "N"}, "email", "INVALID"),
        ({"email": "a@b.co", "name": ""}, "name", "REQUIRED"),
        ({"email": ["a@b.co"], "name": "N"}, "email", "INVALID"),
        ({"email": "e" * 250 + "@b.co", "name": "N"}, "email", "TOO_LONG"),
    ],
}


async def _snapshot(client: httpx.AsyncClient, resource: str) -> list[dict[str, Any]]:
    response = await client.get(
        f"/v1/{resource}", params={"limit": 100, "sort": "created_at", "direction": "desc"}
    )
    assert response.status_code == 200
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _assert_problem(
    response: httpx.Response, status: int, field: str | None, code: str | None
) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert body["request_id"]
    if field is not None:
        assert {"field": field, "code": code} in [
            {"field": e["field"], "code": e["code"]} for e in body["errors"]
        ], body


@pytest.mark.parametrize("resource", sorted(VALID))
async def test_bad_bodies_on_create_and_update(client: httpx.AsyncClient, resource: str) -> None:
    existing = (await _snapshot(client, resource))[0]
    before = await _snapshot(client, resource)
    for _name, raw, status, _ in BAD_BODIES:
        headers = {"content-type": "application/json"}
        _assert_problem(
            await client.post(f"/v1/{resource}", content=raw, headers=headers), status, None, None
        )
        _assert_problem(
            await client.patch(f"/v1/{resource}/{existing['id']}", content=raw, headers=headers),
            status,
            None,
            None,
        )
    wrong_type = await client.post(
        f"/v1/{resource}", content=b"a=b", headers={"content-type": "text/plain"}
    )
    _assert_problem(wrong_type, 400, None, None)
    assert await _snapshot(client, resource) == before


@pytest.mark.parametrize(
    ("resource", "body", "field", "code"),
    [
        (resource, body, field, code)
        for resource, cases in BAD_FIELDS.items()
        for body, field, code in cases
    ],
)
async def test_bad_fields_on_create(
    client: httpx.AsyncClient, resource: str, body: dict[str, Any], field: str, code: str
) -> None:
    before = await _snapshot(client, resource)
    _assert_problem(await client.post(f"/v1/{resource}", json=body), 422, field, code)
    assert await _snapshot(client, resource) == before


@pytest.mark.parametrize(
    ("resource", "body", "field", "code"),
    [
        (resource, body, field, code)
        for resource, cases in BAD_FIELDS.items()
        for body, field, code in cases
        if code not in ("REQUIRED",)
    ],
)
async def test_bad_fields_on_update(
    client: httpx.AsyncClient, resource: str, body: dict[str, Any], field: str, code: str
) -> None:
    before = await _snapshot(client, resource)
    target = before[0]
    _assert_problem(
        await client.patch(f"/v1/{resource}/{target['id']}", json=body), 422, field, code
    )
    assert await _snapshot(client, resource) == before


async def test_duplicates_are_conflicts_and_change_nothing(
    client: httpx.AsyncClient, unique: str
) -> None:
    for resource, body in (
        ("categories", {"name": f"Dup {unique}"}),
        ("products", {**VALID["products"], "sku": f"DUP-{unique}"}),
        ("customers", {"email": f"dup.{unique}@example.com", "name": "Dup"}),
    ):
        assert (await client.post(f"/v1/{resource}", json=body)).status_code == 201
        before = await _snapshot(client, resource)
        again = await client.post(f"/v1/{resource}", json=body)
        assert again.status_code == 409
        assert again.json()["code"] == "CONFLICT"
        assert again.json()["errors"][0]["code"] == "TAKEN"
        assert await _snapshot(client, resource) == before


async def test_renaming_into_a_taken_value_is_a_conflict(
    client: httpx.AsyncClient, unique: str
) -> None:
    first = (
        await client.post(
            "/v1/customers", json={"email": f"one.{unique}@example.com", "name": "One"}
        )
    ).json()
    second = (
        await client.post(
            "/v1/customers", json={"email": f"two.{unique}@example.com", "name": "Two"}
        )
    ).json()
    response = await client.patch(
        f"/v1/customers/{second['id']}", json={"email": first["email"].upper()}
    )
    assert response.status_code == 409
    assert (await client.get(f"/v1/customers/{second['id']}")).json() == second


async def test_writes_to_unknown_ids_are_not_found(client: httpx.AsyncClient) -> None:
    # Well-formed ids of the wrong type are as unknown as garbage.
    foreign = {"categories": "cus_GoVSUmvkI9U", "products": "cus_GoVSUmvkI9U"}
    for resource in VALID:
        for response in (
            await client.patch(f"/v1/{resource}/nope", json={}),
            await client.delete(f"/v1/{resource}/{foreign.get(resource, 'prod_GoVSUmvkI9U')}"),
        ):
            assert response.status_code == 404, response.text
            assert response.json()["code"] == "NOT_FOUND"


async def test_oversized_body_is_refused(client: httpx.AsyncClient) -> None:
    body = {**VALID["products"], "sku": "HUGE", "description": "x" * 2_000_000}
    response = await client.post("/v1/products", json=body)
    assert response.status_code in (413, 422)
    assert response.headers["content-type"] == "application/problem+json"

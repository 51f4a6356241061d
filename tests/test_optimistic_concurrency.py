"""Optimistic concurrency: ETags and conditional requests on REST, `expectedVersion` on
GraphQL, and a compare-and-set in the resolvers that both surfaces share.

GraphQL types do not expose `version` yet, so the GraphQL tests read it from the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import Table, select, update

from shopgraph import ids
from shopgraph.context import RequestContext, Services
from shopgraph.db.models import categories, customers, inventory_levels, products
from shopgraph.errors import NotFound, PreconditionFailed
from shopgraph.resolvers import customers as customer_service
from shopgraph.rest_facade import openapi_document
from shopgraph.rest_facade.conditional import EntityTag, parse_entity_tags

from .conftest import ADMIN, GraphQL

RESOURCES = ("categories", "products", "customers")
KINDS = {"categories": "Category", "products": "Product", "customers": "Customer"}
TABLES: dict[str, Table] = {
    "categories": categories,
    "products": products,
    "customers": customers,
}
ETAG = re.compile(r'^"[0-9a-f]{16}"$')
RACERS = 10


def _create_body(resource: str, unique: str) -> dict[str, Any]:
    if resource == "categories":
        return {"name": f"Occ {unique}"}
    if resource == "products":
        return {"sku": f"OCC-{unique}", "name": "Occ", "price": {"amount": 100, "currency": "USD"}}
    return {"email": f"occ.{unique}@example.com", "name": "Occ"}


async def _create(client: httpx.AsyncClient, resource: str, unique: str) -> httpx.Response:
    response = await client.post(f"/v1/{resource}", json=_create_body(resource, unique))
    assert response.status_code == 201, response.text
    return response


async def _version(services: Services, resource: str, public_id: str) -> int:
    table = TABLES[resource]
    pk = ids.decode(KINDS[resource], public_id)
    async with services.database.engine.connect() as connection:
        version = (
            await connection.execute(select(table.c.version).where(table.c.id == pk))
        ).scalar_one()
    assert isinstance(version, int)
    return version


def _body_tag(response: httpx.Response) -> str:
    """The documented ETag design: a hash of the exact body bytes."""
    return '"' + hashlib.sha256(response.content).hexdigest()[:16] + '"'


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    return body


# --- REST: ETag on reads -----------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
async def test_single_resource_reads_carry_a_stable_strong_etag(
    client: httpx.AsyncClient, resource: str, unique: str
) -> None:
    created = await _create(client, resource, unique)
    path = f"/v1/{resource}/{created.json()['id']}"
    first, second = await client.get(path), await client.get(path)
    assert first.status_code == second.status_code == 200
    assert ETAG.match(first.headers["etag"]), first.headers["etag"]
    assert first.headers["etag"] == second.headers["etag"] == _body_tag(first)
    # The create answered with the same representation, hence the same tag.
    assert created.headers["etag"] == first.headers["etag"]
    head = await client.head(path)
    assert head.status_code == 200
    assert head.headers["etag"] == first.headers["etag"]
    head_if = await client.head(path, headers={"if-none-match": first.headers["etag"]})
    assert head_if.status_code == 304


async def test_a_stock_change_changes_the_product_etag_but_not_its_version(
    client: httpx.AsyncClient, services: Services, unique: str
) -> None:
    """Why the ETag hashes the body: `inventory` changes without the product's version.

    The stock is changed behind the API's back and put back afterwards, so the shared
    database keeps its invariant (the inventory ledger sums to the stock levels).
    """
    public_id = (await _create(client, "products", unique)).json()["id"]
    path = f"/v1/products/{public_id}"
    before = (await client.get(path)).headers["etag"]
    level = inventory_levels.c.product_id == ids.decode("Product", public_id)

    async def add_stock(delta: int) -> None:
        async with services.database.transaction() as connection:
            on_hand = inventory_levels.c.on_hand + delta
            await connection.execute(update(inventory_levels).where(level).values(on_hand=on_hand))

    await add_stock(5)
    try:
        after = await client.get(path, headers={"if-none-match": before})
        assert after.status_code == 200
        assert after.json()["inventory"]["on_hand"] == 5
        assert after.headers["etag"] != before
        assert await _version(services, "products", public_id) == 1
        stale = await client.patch(
            path, json={"name": f"Stale {unique}"}, headers={"if-match": before}
        )
        _assert_problem(stale, 412, "PRECONDITION_FAILED")
        fresh = await client.patch(
            path, json={"name": f"Fresh {unique}"}, headers={"if-match": after.headers["etag"]}
        )
        assert fresh.status_code == 200, fresh.text
        assert fresh.json()["inventory"]["on_hand"] == 5
    finally:
        await add_stock(-5)
    assert (await client.get(path)).json()["inventory"]["on_hand"] == 0


async def test_orders_carry_an_etag_too(client: httpx.AsyncClient) -> None:
    order_id = (await client.get("/v1/orders", params={"limit": 1})).json()["data"][0]["id"]
    response = await client.get(f"/v1/orders/{order_id}")
    assert response.headers["etag"] == _body_tag(response)
    again = await client.get(
        f"/v1/orders/{order_id}", headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304


async def test_lists_carry_no_etag(client: httpx.AsyncClient) -> None:
    assert "etag" not in (await client.get("/v1/products", params={"limit": 2})).headers


@pytest.mark.parametrize("resource", RESOURCES)
async def test_etag_changes_after_patch_and_patch_answers_with_the_new_one(
    client: httpx.AsyncClient, resource: str, unique: str
) -> None:
    path = f"/v1/{resource}/{(await _create(client, resource, unique)).json()['id']}"
    before = (await client.get(path)).headers["etag"]
    patched = await client.patch(path, json={"name": f"Renamed {unique}"})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] != before
    assert patched.headers["etag"] == _body_tag(patched)
    assert (await client.get(path)).headers["etag"] == patched.headers["etag"]


# --- REST: If-None-Match -----------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
async def test_if_none_match_gives_304(
    client: httpx.AsyncClient, resource: str, unique: str
) -> None:
    path = f"/v1/{resource}/{(await _create(client, resource, unique)).json()['id']}"
    tag = (await client.get(path)).headers["etag"]
    for value in (
        tag,
        f'"0000000000000000", {tag}',
        f'"a,b" ,  {tag} , ',  # a comma inside a tag; empty list elements
        "*",
        f"W/{tag}",  # If-None-Match compares weakly
    ):
        response = await client.get(path, headers={"if-none-match": value})
        assert response.status_code == 304, value
        assert response.headers["etag"] == tag
        assert response.content == b""
        assert "content-type" not in response.headers
    two_lines = httpx.Headers([("if-none-match", '"nope"'), ("if-none-match", tag)])
    assert (await client.get(path, headers=two_lines)).status_code == 304

    for value in ('"0000000000000000"', tag.strip('"'), "W/", '"unterminated'):
        response = await client.get(path, headers={"if-none-match": value})
        assert response.status_code == 200, value  # no match, or malformed and ignored
        assert response.headers["etag"] == tag

    await client.patch(path, json={"name": f"Changed {unique}"})
    changed = await client.get(path, headers={"if-none-match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag


async def test_if_none_match_on_a_missing_resource_is_404(client: httpx.AsyncClient) -> None:
    missing = f"/v1/products/{ids.encode('Product', 2**40)}"
    response = await client.get(missing, headers={"if-none-match": "*"})
    _assert_problem(response, 404, "NOT_FOUND")


# --- REST: If-Match ----------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
async def test_stale_if_match_is_412_and_changes_nothing(
    client: httpx.AsyncClient, services: Services, resource: str, unique: str
) -> None:
    public_id = (await _create(client, resource, unique)).json()["id"]
    path = f"/v1/{resource}/{public_id}"
    stale = (await client.get(path)).headers["etag"]
    assert (await client.patch(path, json={"name": f"Second {unique}"})).status_code == 200
    current = await client.get(path)
    version = await _version(services, resource, public_id)

    response = await client.patch(
        path, json={"name": f"Lost {unique}"}, headers={"if-match": stale}
    )
    body = _assert_problem(response, 412, "PRECONDITION_FAILED")
    assert body["current_version"] == version
    assert body["type"] == "https://shopgraph.dev/problems/precondition-failed"

    after = await client.get(path)
    assert after.content == current.content
    assert after.json()["name"] == f"Second {unique}"
    assert await _version(services, resource, public_id) == version


@pytest.mark.parametrize("resource", RESOURCES)
async def test_current_if_match_applies_the_update(
    client: httpx.AsyncClient, services: Services, resource: str, unique: str
) -> None:
    public_id = (await _create(client, resource, unique)).json()["id"]
    path = f"/v1/{resource}/{public_id}"
    tag = (await client.get(path)).headers["etag"]
    response = await client.patch(
        path, json={"name": f"Matched {unique}"}, headers={"if-match": f'"0000000000000000", {tag}'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == f"Matched {unique}"
    assert response.headers["etag"] == (await client.get(path)).headers["etag"]
    assert await _version(services, resource, public_id) == 2

    anything = await client.patch(path, json={"name": f"Star {unique}"}, headers={"if-match": "*"})
    assert anything.status_code == 200, anything.text
    assert anything.json()["name"] == f"Star {unique}"


async def test_if_match_compares_strongly(client: httpx.AsyncClient, unique: str) -> None:
    path = f"/v1/customers/{(await _create(client, 'customers', unique)).json()['id']}"
    tag = (await client.get(path)).headers["etag"]
    weak = await client.patch(
        path, json={"name": f"Weak {unique}"}, headers={"if-match": f"W/{tag}"}
    )
    _assert_problem(weak, 412, "PRECONDITION_FAILED")
    assert (await client.get(path)).json()["name"] == "Occ"


@pytest.mark.parametrize("resource", RESOURCES)
async def test_patch_without_if_match_still_works(
    client: httpx.AsyncClient, resource: str, unique: str
) -> None:
    path = f"/v1/{resource}/{(await _create(client, resource, unique)).json()['id']}"
    response = await client.patch(path, json={"name": f"Unconditional {unique}"})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == f"Unconditional {unique}"


@pytest.mark.parametrize("value", ["abc", '"unterminated', "W/", "", " , ", '"a" "b"', '"a";x'])
async def test_malformed_if_match_is_400_and_changes_nothing(
    client: httpx.AsyncClient, value: str, unique: str
) -> None:
    path = f"/v1/customers/{(await _create(client, 'customers', unique)).json()['id']}"
    before = await client.get(path)
    response = await client.patch(
        path, json={"name": f"Malformed {unique}"}, headers={"if-match": value}
    )
    body = _assert_problem(response, 400, "VALIDATION_FAILED")
    assert body["errors"][0]["field"] == "If-Match"
    assert (await client.get(path)).content == before.content


async def test_if_match_on_a_missing_resource_is_404(client: httpx.AsyncClient) -> None:
    missing = f"/v1/customers/{ids.encode('Customer', 2**40)}"
    for value in ('"0000000000000000"', "*"):
        response = await client.patch(missing, json={"name": "X"}, headers={"if-match": value})
        _assert_problem(response, 404, "NOT_FOUND")


async def test_stale_if_match_wins_over_an_invalid_body(
    client: httpx.AsyncClient, unique: str
) -> None:
    """RFC 9110 §13.2.2: preconditions are evaluated before the request content is processed."""
    path = f"/v1/customers/{(await _create(client, 'customers', unique)).json()['id']}"
    headers = {"if-match": '"0000000000000000"'}
    response = await client.patch(path, json={"email": "not-an-email"}, headers=headers)
    _assert_problem(response, 412, "PRECONDITION_FAILED")


@pytest.mark.parametrize("resource", RESOURCES)
async def test_concurrent_patches_with_one_if_match_make_exactly_one_update(
    client: httpx.AsyncClient, services: Services, resource: str, unique: str
) -> None:
    public_id = (await _create(client, resource, unique)).json()["id"]
    path = f"/v1/{resource}/{public_id}"
    tag = (await client.get(path)).headers["etag"]
    responses = await asyncio.gather(
        *(
            client.patch(path, json={"name": f"Racer {i} {unique}"}, headers={"if-match": tag})
            for i in range(RACERS)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * (RACERS - 1), [r.text for r in responses]
    (winner,) = [response for response in responses if response.status_code == 200]
    for loser in responses:
        if loser.status_code == 412:
            assert loser.json()["code"] == "PRECONDITION_FAILED"
    final = await client.get(path)
    assert final.json()["name"] == winner.json()["name"]
    assert final.headers["etag"] == winner.headers["etag"]
    assert await _version(services, resource, public_id) == 2


# --- The resolvers: compare-and-set, NOT_FOUND told apart from PRECONDITION_FAILED ---------


async def test_resolver_compare_and_set(
    client: httpx.AsyncClient, services: Services, unique: str
) -> None:
    public_id = (await _create(client, "customers", unique)).json()["id"]
    ctx = RequestContext(services, principal=ADMIN)
    try:
        with pytest.raises(PreconditionFailed) as stale:
            await customer_service.update_customer(
                ctx, public_id, {"name": f"Stale {unique}"}, expected_version=7
            )
        assert stale.value.extra == {"current_version": 1}
        assert "current version is 1" in stale.value.detail
        updated = await customer_service.update_customer(
            ctx, public_id, {"name": f"Fresh {unique}"}, expected_version=1
        )
        assert (updated.name, updated.version) == (f"Fresh {unique}", 2)
        missing = ids.encode("Customer", 2**40)
        with pytest.raises(NotFound):
            await customer_service.update_customer(ctx, missing, {"name": "X"}, expected_version=1)
    finally:
        await ctx.close()


# --- GraphQL: expectedVersion ------------------------------------------------------------

MUTATIONS = {
    "categories": ("updateCategory", "CategoryUpdateInput", "category"),
    "products": ("updateProduct", "ProductUpdateInput", "product"),
    "customers": ("updateCustomer", "CustomerUpdateInput", "customer"),
}


def _update(resource: str) -> str:
    field, input_type, payload = MUTATIONS[resource]
    return (
        f"mutation($id: ID!, $input: {input_type}!, $v: Int) {{ "
        f"{field}(id: $id, input: $input, expectedVersion: $v) {{ "
        f"{payload} {{ id name }} userErrors {{ field code message }} }} }}"
    )


@pytest.mark.parametrize("resource", RESOURCES)
async def test_graphql_expected_version(
    client: httpx.AsyncClient, gql: GraphQL, services: Services, resource: str, unique: str
) -> None:
    field, _, payload_field = MUTATIONS[resource]
    public_id = (await _create(client, resource, unique)).json()["id"]
    path = f"/v1/{resource}/{public_id}"
    assert (await client.patch(path, json={"name": f"Second {unique}"})).status_code == 200
    version = await _version(services, resource, public_id)
    assert version == 2

    stale = (await gql(_update(resource), id=public_id, input={"name": f"Lost {unique}"}, v=1))[
        "data"
    ][field]
    assert stale[payload_field] is None
    (error,) = stale["userErrors"]
    assert error["code"] == "PRECONDITION_FAILED"
    assert error["field"] is None
    assert "current version is 2" in error["message"]
    assert (await client.get(path)).json()["name"] == f"Second {unique}"
    assert await _version(services, resource, public_id) == 2

    fresh = (
        await gql(_update(resource), id=public_id, input={"name": f"Third {unique}"}, v=version)
    )["data"][field]
    assert fresh["userErrors"] == []
    assert fresh[payload_field] == {"id": public_id, "name": f"Third {unique}"}
    assert await _version(services, resource, public_id) == 3

    unconditional = (
        await gql(_update(resource), id=public_id, input={"name": f"Fourth {unique}"})
    )["data"][field]
    assert unconditional["userErrors"] == []
    assert await _version(services, resource, public_id) == 4


async def test_graphql_expected_version_on_a_missing_resource_is_not_found(gql: GraphQL) -> None:
    missing = ids.encode("Product", 2**40)
    payload = (await gql(_update("products"), id=missing, input={"name": "X"}, v=1))["data"][
        "updateProduct"
    ]
    assert payload["product"] is None
    assert [error["code"] for error in payload["userErrors"]] == ["NOT_FOUND"]


@pytest.mark.parametrize("resource", RESOURCES)
async def test_graphql_concurrent_updates_with_one_version_make_exactly_one_update(
    client: httpx.AsyncClient, gql: GraphQL, services: Services, resource: str, unique: str
) -> None:
    field, _, payload_field = MUTATIONS[resource]
    public_id = (await _create(client, resource, unique)).json()["id"]
    version = await _version(services, resource, public_id)
    results = await asyncio.gather(
        *(
            gql(_update(resource), id=public_id, input={"name": f"Racer {i} {unique}"}, v=version)
            for i in range(RACERS)
        )
    )
    payloads = [result["data"][field] for result in results]
    winners = [payload for payload in payloads if payload[payload_field] is not None]
    assert len(winners) == 1, payloads
    for payload in payloads:
        if payload[payload_field] is None:
            assert [error["code"] for error in payload["userErrors"]] == ["PRECONDITION_FAILED"]
    assert await _version(services, resource, public_id) == version + 1
    final = (await client.get(f"/v1/{resource}/{public_id}")).json()
    assert final["name"] == winners[0][payload_field]["name"]


# --- Parsing and documentation -----------------------------------------------------------


def test_entity_tag_lists_parse_per_rfc_9110() -> None:
    assert parse_entity_tags("*") == "*"
    assert parse_entity_tags(' "a", W/"b",,"c,d" ') == [
        EntityTag("a"),
        EntityTag("b", weak=True),
        EntityTag("c,d"),
    ]
    assert parse_entity_tags('""') == [EntityTag("")]
    for bad in ("", "a", '"a', 'w/"a"', '"a" "b"', '*, "a"', '"a b"'):
        with pytest.raises(ValueError, match="entity-tag"):
            parse_entity_tags(bad)


def test_openapi_documents_conditional_requests() -> None:
    paths = openapi_document()["paths"]
    for resource in (*RESOURCES, "orders"):
        get = paths[f"/v1/{resource}/{{id}}"]["get"]
        assert "If-None-Match" in {p["name"] for p in get["parameters"] if p["in"] == "header"}
        assert "ETag" in get["responses"]["200"]["headers"]
        assert "ETag" in get["responses"]["304"]["headers"]
        assert "content" not in get["responses"]["304"]
    for resource in RESOURCES:
        patch = paths[f"/v1/{resource}/{{id}}"]["patch"]
        assert "If-Match" in {p["name"] for p in patch["parameters"] if p["in"] == "header"}
        assert patch["responses"]["412"] == {"$ref": "#/components/responses/PreconditionFailed"}
        assert "400" in patch["responses"]
        assert "ETag" in patch["responses"]["200"]["headers"]
        assert "ETag" in paths[f"/v1/{resource}"]["post"]["responses"]["201"]["headers"]
    assert "ETag" not in paths["/v1/products"]["get"]["responses"]["200"].get("headers", {})

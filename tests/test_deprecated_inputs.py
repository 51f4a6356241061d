"""Deprecated REST routes and query parameters, and GraphQL arguments and input fields
(issue 13): each use says so in the RFC 9745/8594 headers (and `extensions.deprecations`),
is counted for the adoption report, is marked in the OpenAPI document and the schema, and
after its sunset a route or parameter is 410 RETIRED, naming its successor."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_schema

from shopgraph.rest_facade import openapi_document
from shopgraph.versioning import deprecations
from shopgraph.versioning.deprecations import Deprecation

from .conftest import ADMIN
from .test_deprecations import _check_headers
from .test_orders import _customer, _product

ROUTE = deprecations.ROUTES["GET /v1/customers/{id}/orders"]
PARAMETER = deprecations.PARAMETERS["GET /v1/orders?created_after"]
INPUT = deprecations.INPUTS["OrderFilter.createdAfter"]
SUNSET = date(2027, 6, 6)
DOCS = Path(__file__).parent.parent / "docs"


async def _two_orders(client: httpx.AsyncClient, unique: str) -> tuple[str, list[str]]:
    """A new customer with two orders, oldest first."""
    product = await _product(client, unique, 5)
    customer = await _customer(client, unique)
    made = []
    for _ in range(2):
        order = await client.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        )
        assert order.status_code == 201, order.text
        made.append(order.json()["id"])
    return customer, made


def _ids(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["data"]]


def _links(answer: httpx.Response) -> dict[str, str]:
    """The `Link` header's targets by rel (the last one of each rel)."""
    return {
        rel: target
        for target, rel in re.findall(r'<([^>]+)>[^,]*?rel="([a-z-]+)"', answer.headers["Link"])
    }


async def _uses(client: httpx.AsyncClient, subject: str) -> int:
    listed = await client.get("/v1/deprecations/usage")
    assert listed.status_code == 200, listed.text
    return sum(
        row["uses"]
        for row in listed.json()["data"]
        if row["subject"] == subject and row["consumer_id"] == ADMIN.id
    )


async def test_a_deprecated_route_says_so_and_links_its_successor(
    client: httpx.AsyncClient, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer, orders = await _two_orders(client, unique)
    before = await _uses(client, ROUTE.subject)
    old = await client.get(f"/v1/customers/{customer}/orders")
    assert _ids(old) == orders
    assert set(_check_headers(old, ROUTE.since, SUNSET)) >= {"deprecation", "successor-version"}
    successor = _links(old)["successor-version"]
    assert successor == f"{client.base_url}/v1/orders?customer_id={customer}"
    assert _ids(await client.get(successor)) == orders  # the same answer, from its successor
    assert "Deprecation" not in (await client.get(f"/v1/customers/{customer}")).headers
    assert await _uses(client, ROUTE.subject) == before + 1

    operation = openapi_document()["paths"][ROUTE.subject.split(" ")[1]]["get"]
    assert operation["deprecated"] is True
    assert (operation["x-deprecated-at"], operation["x-sunset"]) == ("2026-12-06", "2027-06-06")
    assert "410" in operation["responses"]

    monkeypatch.setattr(deprecations, "today", lambda: SUNSET - timedelta(days=1))
    assert (await client.get(f"/v1/customers/{customer}/orders")).status_code == 200
    monkeypatch.setattr(deprecations, "today", lambda: SUNSET)
    gone = await client.get(f"/v1/customers/{customer}/orders")
    assert gone.status_code == 410, gone.text
    assert gone.headers["content-type"] == "application/problem+json"
    problem = gone.json()
    assert problem["code"] == "RETIRED"
    assert problem["successor"] == "GET /v1/orders?customer_id={id}"
    assert "/v1/orders?customer_id=" in problem["detail"]
    assert _ids(await client.get(f"/v1/orders?customer_id={customer}")) == orders


async def test_a_deprecated_parameter_says_so_and_its_successor_does_not(
    client: httpx.AsyncClient, unique: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer, orders = await _two_orders(client, unique)
    first = (await client.get(f"/v1/orders/{orders[0]}")).json()["created_at"]
    second = (await client.get(f"/v1/orders/{orders[1]}")).json()["created_at"]
    bound = httpx.QueryParams({"customer_id": customer, "limit": 10})
    before = await _uses(client, PARAMETER.subject)

    old = await client.get("/v1/orders", params=bound.set("created_after", second))
    new = await client.get("/v1/orders", params=bound.set("created_from", second))
    assert _ids(old) == _ids(new) == [orders[1]]  # inclusive, under either name
    assert len(_ids(await client.get("/v1/orders", params=bound.set("created_from", first)))) == 2
    subjects = {item.subject for item in deprecations.FIELDS.values()}
    assert await _uses(client, PARAMETER.subject) == before + 1
    # Both name `Order.currency` (the orders carry it); only the old one names the parameter.
    assert _check_headers(old, PARAMETER.since, SUNSET) == ["deprecation", "deprecation"]
    assert _check_headers(new, PARAMETER.since, SUNSET) == ["deprecation"]
    assert "versioning#deprecated-parameters" in old.headers["Link"]
    assert "versioning#deprecated-parameters" not in new.headers["Link"]
    assert "Order.currency" in subjects

    both = await client.get(
        "/v1/orders", params=bound.set("created_after", second).set("created_from", second)
    )
    assert both.status_code == 422, both.text
    assert both.json()["errors"][0]["field"] == "created_after"

    parameters = openapi_document()["paths"]["/v1/orders"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter for parameter in parameters}
    assert by_name["created_after"]["deprecated"] is True
    assert by_name["created_after"]["x-sunset"] == "2027-06-06"
    assert "deprecated" not in by_name["created_from"]

    monkeypatch.setattr(deprecations, "today", lambda: SUNSET)
    gone = await client.get("/v1/orders", params=bound.set("created_after", second))
    assert gone.status_code == 410, gone.text
    assert (gone.json()["code"], gone.json()["successor"]) == ("RETIRED", "created_from")
    assert _ids(await client.get("/v1/orders", params=bound.set("created_from", second))) == [
        orders[1]
    ]


ORDERS_AFTER = """query ($since: DateTime!) {
  orders(filter: {createdAfter: $since}) { nodes { id } }
}"""
ORDERS_FILTERED = """query ($filter: OrderFilter) { orders(filter: $filter) { nodes { id } } }"""


async def test_graphql_input_fields_in_the_document_or_in_variables_say_so(
    client: httpx.AsyncClient, unique: str
) -> None:
    customer, orders = await _two_orders(client, unique)
    since = (await client.get(f"/v1/orders/{orders[1]}")).json()["created_at"]

    async def ask(query: str, variables: dict[str, Any]) -> tuple[list[str], list[Any]]:
        answered = await client.post("/graphql", json={"query": query, "variables": variables})
        assert answered.status_code == 200, answered.text
        body = answered.json()
        assert "errors" not in body, body
        used = body.get("extensions", {}).get("deprecations", [])
        assert bool(used) == ("Deprecation" in answered.headers)
        ids = [node["id"] for node in body["data"]["orders"]["nodes"]]
        return ids, [item["field"] for item in used]

    listed = {"customerId": customer}
    expected = INPUT.as_extension()
    assert expected["successor"] == "OrderFilter.createdFrom"
    # In the document's text; in a variable; the new name in a variable: no deprecation.
    ids, used = await ask(ORDERS_AFTER, {"since": since})
    assert used == ["OrderFilter.createdAfter"]
    ids, used = await ask(ORDERS_FILTERED, {"filter": {**listed, "createdAfter": since}})
    assert (ids, used) == ([orders[1]], ["OrderFilter.createdAfter"])
    ids, used = await ask(ORDERS_FILTERED, {"filter": {**listed, "createdFrom": since}})
    assert (ids, used) == ([orders[1]], [])
    ids, used = await ask(ORDERS_FILTERED, {"filter": {**listed, "createdAfter": None}})
    assert (ids, used) == (orders, [])  # null is not a use

    answered = await client.post(
        "/graphql",
        json={"query": ORDERS_FILTERED, "variables": {"filter": {"createdAfter": since}}},
    )
    assert answered.json()["extensions"]["deprecations"] == [expected]

    schema = build_schema((DOCS / "schema.graphql").read_text())
    field = schema.type_map["OrderFilter"].fields["createdAfter"]  # type: ignore[attr-defined]
    assert field.deprecation_reason == INPUT.schema_reason
    assert "Sunset 2027-06-06" in field.deprecation_reason


async def test_deprecated_graphql_arguments_are_found_too(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No argument is deprecated today; the registry takes one by its schema coordinate."""
    argument = Deprecation(
        "Query.events(type:)",
        since=date(2026, 12, 6),
        sunset=SUNSET,
        reason="Testing.",
        docs="versioning",
        successor="Query.events(types:)",
    )
    monkeypatch.setitem(deprecations.INPUTS, argument.subject, argument)

    async def used(query: str, variables: dict[str, Any] | None = None) -> list[str]:
        answered = await client.post("/graphql", json={"query": query, "variables": variables})
        assert "errors" not in answered.json(), answered.text
        return [
            item["field"] for item in answered.json().get("extensions", {}).get("deprecations", [])
        ]

    assert await used('{ events(type: "order.paid", first: 1) { nodes { id } } }') == [
        argument.subject
    ]
    as_variable = "query ($t: String) { events(type: $t, first: 1) { nodes { id } } }"
    assert await used(as_variable, {"t": "order.*"}) == [argument.subject]
    assert await used("{ events(first: 1) { nodes { id } } }") == []
    # The same name on another field, or on a directive, is not that argument.
    assert await used("{ products(first: 1) @include(if: true) { nodes { id } } }") == []


def test_every_deprecation_names_a_sunset_after_its_date_and_a_documented_anchor() -> None:
    versioning = (DOCS / "versioning.md").read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", versioning, flags=re.MULTILINE)
    }
    for item in deprecations.every():
        assert item.sunset - item.since >= timedelta(days=180), item.subject  # the policy
        page, _, anchor = item.docs.partition("#")
        assert page == "versioning", item.subject
        assert not anchor or anchor in anchors, (item.subject, anchor)
    assert datetime.now(UTC).date() < SUNSET  # else the tests above test the past

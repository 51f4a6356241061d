"""Deprecations (issue 13): an answer that used a deprecated version or field says so in
`Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link` headers, GraphQL answers in
`extensions.deprecations` too; a version past its sunset is 410 Gone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from shopgraph.rest_facade import openapi_document
from shopgraph.versioning import CURRENT, FIRST, HEADER, deprecations

from .conftest import ADMIN
from .test_orders import _customer, _product

# RFC 9745 §2.1: an sf-date, `@` and whole seconds since the epoch.
SF_DATE = re.compile(r"^@-?\d{1,15}$")


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _check_headers(response: httpx.Response, since: date, sunset: date) -> list[str]:
    """The three headers, each in its RFC's format and naming the dates; the Link rels."""
    stamp = response.headers["Deprecation"]
    assert SF_DATE.match(stamp), stamp
    assert datetime.fromtimestamp(int(stamp[1:]), UTC) == _moment(since)
    # RFC 8594 §3: an HTTP-date (IMF-fixdate).
    sunset_header = response.headers["Sunset"]
    assert sunset_header.endswith(" GMT"), sunset_header
    assert parsedate_to_datetime(sunset_header) == _moment(sunset)
    links = [part.strip() for part in response.headers["Link"].split(",")]
    for link in links:
        assert re.match(r'^<https?://[^>]+>(; [a-z]+="[^"]*")+$', link), link
    return re.findall(r'rel="([a-z-]+)"', response.headers["Link"])


async def _order(client: httpx.AsyncClient, unique: str) -> str:
    product = await _product(client, unique, 1)
    customer = await _customer(client, unique)
    lines = [{"product_id": product, "quantity": 1}]
    made = await client.post("/v1/orders", json={"customer_id": customer, "lines": lines})
    assert made.status_code == 201, made.text
    assert made.headers["Deprecation"]  # the order it answers has a deprecated field
    order_id: str = made.json()["id"]
    return order_id


async def test_rest_answers_carrying_a_deprecated_field_say_so(
    client: httpx.AsyncClient, unique: str
) -> None:
    order = await _order(client, unique)
    field = deprecations.FIELDS["Order.currency"]
    for path in (f"/v1/orders/{order}", "/v1/orders?limit=1"):
        answer = await client.get(path)
        assert answer.status_code == 200
        assert _check_headers(answer, field.since, field.sunset) == ["deprecation"]
    plain = await client.get("/v1/products?limit=1")
    assert "Deprecation" not in plain.headers
    assert "Sunset" not in plain.headers
    schema = openapi_document()["components"]["schemas"]["Order"]["properties"]["currency"]
    assert schema["deprecated"] is True


async def test_an_old_version_is_deprecated_then_gone(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = deprecations.VERSIONS[FIRST]
    answer = await client.get("/v1/products?limit=1", headers={HEADER: FIRST})
    assert answer.status_code == 200
    assert _check_headers(answer, old.since, old.sunset) == ["deprecation", "successor-version"]
    assert f'title="{CURRENT}"' in answer.headers["Link"]
    current = await client.get("/v1/products?limit=1")
    assert "Deprecation" not in current.headers

    monkeypatch.setattr(deprecations, "today", lambda: date(2027, 6, 6))  # the sunset
    gone = await client.get("/v1/products?limit=1", headers={HEADER: FIRST})
    assert gone.status_code == 410
    problem = gone.json()
    assert problem["code"] == "VERSION_SUNSET"
    assert problem["successor"] == CURRENT
    assert CURRENT in problem["detail"]
    assert gone.headers[HEADER] == FIRST
    assert (await client.get("/v1/products?limit=1")).status_code == 200


async def test_graphql_answers_that_used_a_deprecated_field_say_so(
    client: httpx.AsyncClient, unique: str
) -> None:
    order = await _order(client, unique)

    async def ask(fields: str) -> httpx.Response:
        query = f'query {{ order(id: "{order}") {{ {fields} }} }}'
        answered = await client.post("/graphql", json={"query": query})
        assert answered.status_code == 200, answered.text
        assert "errors" not in answered.json(), answered.text
        return answered

    used = await ask("id currency total { amount currency }")
    field = deprecations.FIELDS["Order.currency"]
    body: dict[str, Any] = used.json()
    assert body["extensions"]["deprecations"] == [
        {
            "field": "Order.currency",
            "reason": field.reason,
            "deprecated_at": field.since.isoformat(),
            "sunset": field.sunset.isoformat(),
        }
    ]
    assert _check_headers(used, field.since, field.sunset) == ["deprecation"]
    clean = await ask("id total { amount currency }")
    assert "deprecations" not in clean.json().get("extensions", {})
    assert "Deprecation" not in clean.headers


async def test_the_usage_report_is_read_on_both_surfaces(
    client: httpx.AsyncClient, unique: str
) -> None:
    """This process's counts are written before the report is read, so it is exact."""
    await _order(client, unique)  # one use (the 201 carries an order)

    async def uses() -> int:
        listed = await client.get("/v1/deprecations/usage")
        assert listed.status_code == 200, listed.text
        return sum(
            row["uses"]
            for row in listed.json()["data"]
            if row["subject"] == "Order.currency" and row["consumer_id"] == ADMIN.id
        )

    before = await uses()
    for _ in range(2):
        assert (await client.get("/v1/orders?limit=1")).status_code == 200
    assert await uses() == before + 2
    answered = await client.post(
        "/graphql",
        json={"query": "{ deprecationUsage { subject consumerId uses last7Days } }"},
    )
    rows = [
        row
        for row in answered.json()["data"]["deprecationUsage"]
        if row["subject"] == "Order.currency" and row["consumerId"] == ADMIN.id
    ]
    assert [row["uses"] for row in rows] == [before + 2]

"""Dated REST versions (issue 13): a request is answered in the version it names, else the
one its key is pinned to, else the current one; an older version keeps its contract.

The contract of 2026-12-01 (a payment embedding its refunds) is kept byte for byte: the
answers below were recorded from the code as it was before version 2026-12-06 existed
(tests/contracts/2026-12-01.json, ids and times normalised), and the server must still
give exactly those bytes to a consumer of that version.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from standardwebhooks import Webhook
from typer.testing import CliRunner

from shopgraph.cli import app as cli
from shopgraph.context import Services
from shopgraph.contract.openapi_changes import openapi_changes
from shopgraph.rest_facade import openapi_document
from shopgraph.settings import get_settings
from shopgraph.versioning import CURRENT, FIRST, HEADER
from shopgraph.versioning.changes import LINKS

from .test_orders import _customer, _product
from .webhook_helpers import Receiver, deliver_due, make_endpoint, serving, stop_listening

RECORDED = Path(__file__).parent / "contracts" / f"{FIRST}.json"
UPDATE = os.environ.get("SHOPGRAPH_UPDATE_CONTRACTS") == "1"
OLD = {HEADER: FIRST}


def _normalised(content: bytes) -> str:
    """The bytes with what differs between runs (ids, times, names) replaced in place, so
    everything else (fields, their order, the encoding) is compared exactly."""
    text = content.decode()
    seen: dict[str, str] = {}

    def same_id(match: re.Match[str]) -> str:
        return seen.setdefault(match[0], f"{match[1]}{len(seen) + 1}")

    text = re.sub(r"\b(ord|pay|re|prod|cus|event)_[A-Za-z0-9]{8,}\b", same_id, text)
    text = re.sub(r'"\d{4}-\d\d-\d\dT[\d:.]+Z"', '"<time>"', text)
    text = re.sub(r'"request_id":"[0-9a-f]+"', '"request_id":"<request>"', text)
    text = re.sub(r'"number":\d+', '"number":0', text)
    text = re.sub(r'"(next|previous)_cursor":"[^"]*"', r'"\1_cursor":"<cursor>"', text)
    return re.sub(r'"source":"[^"]*"', '"source":"<source>"', text)


async def _scenario(http: httpx.AsyncClient, unique: str) -> dict[str, bytes]:
    """Pay for an order, refund part of it; every answer that carries the payment."""
    product = await _product(http, unique, 5, price=1250)
    customer = await _customer(http, unique)
    lines = [{"product_id": product, "quantity": 2}]
    order = await http.post("/v1/orders", json={"customer_id": customer, "lines": lines})
    assert order.status_code == 201, order.text
    order_id = order.json()["id"]
    paid = await http.post(f"/v1/orders/{order_id}/payments", json={"source": "tok_visa"})
    assert paid.status_code == 201, paid.text
    payment = paid.json()["id"]
    refund = await http.post(f"/v1/payments/{payment}/refunds", json={"amount": 300})
    assert refund.status_code == 201, refund.text
    answers = {"POST /v1/orders/{id}/payments": paid.content}
    for name, path in (
        ("GET /v1/payments/{id}", f"/v1/payments/{payment}"),
        ("GET /v1/orders/{id}/payments", f"/v1/orders/{order_id}/payments"),
        ("GET /v1/events?object_id={payment}", f"/v1/events?object_id={payment}"),
    ):
        got = await http.get(path)
        assert got.status_code == 200, got.text
        answers[name] = got.content
    return answers


async def test_the_first_versions_contract_is_kept_byte_for_byte(
    client: httpx.AsyncClient, unique: str
) -> None:
    answers = await _scenario(client, f"{unique}-old")
    normalised = {name: _normalised(content) for name, content in answers.items()}
    if UPDATE:  # run on the code of the version being recorded
        RECORDED.parent.mkdir(exist_ok=True)
        RECORDED.write_bytes(orjson.dumps(normalised, option=orjson.OPT_INDENT_2) + b"\n")
        pytest.skip("recorded")
    client.headers.update(OLD)
    try:
        answers = await _scenario(client, unique)
    finally:
        del client.headers[HEADER]
    recorded = orjson.loads(RECORDED.read_bytes())
    assert {name: _normalised(content) for name, content in answers.items()} == recorded


async def test_the_current_version_lists_refunds_apart(
    client: httpx.AsyncClient, unique: str
) -> None:
    answers = await _scenario(client, unique)
    payment = orjson.loads(answers["GET /v1/payments/{id}"])
    assert "refunds" not in payment
    refunds = await client.get(f"/v1/payments/{payment['id']}/refunds")
    assert refunds.status_code == 200, refunds.text
    assert refunds.headers[HEADER] == CURRENT
    [refund] = refunds.json()["data"]
    assert refund["amount"] == {"amount": 300, "currency": "USD"}
    old = await client.get(f"/v1/payments/{payment['id']}", headers=OLD)
    assert old.headers[HEADER] == FIRST
    # The older version: the same resources, with the refunds embedded and no URLs.
    assert old.json()["refunds"] == [_unlinked("Refund", refund)]
    assert {k: v for k, v in old.json().items() if k != "refunds"} == _unlinked("Payment", payment)


def _unlinked(object_type: str, resource: dict[str, Any]) -> dict[str, Any]:
    links = LINKS[object_type]
    assert links <= resource.keys()
    return {k: v for k, v in resource.items() if k not in links}


async def test_every_answer_names_its_version_and_an_unknown_one_is_refused(
    client: httpx.AsyncClient,
) -> None:
    listed = await client.get("/v1/products")
    assert listed.headers[HEADER] == CURRENT
    missing = await client.get("/v1/products/prod_000000000000", headers=OLD)
    assert missing.status_code == 404
    assert missing.headers[HEADER] == FIRST
    unknown = await client.get("/v1/products", headers={HEADER: "2020-01-01"})
    assert unknown.status_code == 400
    problem = unknown.json()
    assert problem["code"] == "UNKNOWN_VERSION"
    assert FIRST in problem["detail"]
    assert CURRENT in problem["detail"]
    assert problem["errors"][0]["field"] == HEADER


async def _key(http: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    made = await http.post(
        "/v1/api-keys", json={"name": "consumer", "scopes": ["orders:read"], **extra}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def test_a_key_is_pinned_at_creation_and_can_move(
    client: httpx.AsyncClient, app: Any, unique: str
) -> None:
    answers = await _scenario(client, unique)
    payment = orjson.loads(answers["GET /v1/payments/{id}"])["id"]
    new = await _key(client)
    old = await _key(client, api_version=FIRST)
    assert (new["api_version"], old["api_version"]) == (CURRENT, FIRST)
    transport = httpx.ASGITransport(app=app)

    async def read(key: dict[str, Any], **headers: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            auth = {"Authorization": f"Bearer {key['key']}", **headers}
            return await http.get(f"/v1/payments/{payment}", headers=auth)

    assert "refunds" not in (await read(new)).json()
    pinned = await read(old)
    assert pinned.headers[HEADER] == FIRST
    assert len(pinned.json()["refunds"]) == 1
    asked = await read(old, **{HEADER: CURRENT})  # the header wins over the pin
    assert asked.headers[HEADER] == CURRENT
    assert "refunds" not in asked.json()
    moved = await client.patch(f"/v1/api-keys/{old['id']}", json={"api_version": CURRENT})
    assert moved.status_code == 200, moved.text
    assert moved.json()["api_version"] == CURRENT
    assert "refunds" not in (await read(old)).json()
    wrong = await client.patch(f"/v1/api-keys/{old['id']}", json={"api_version": "2019-01-01"})
    assert wrong.status_code == 422, wrong.text


async def test_an_endpoint_gets_payloads_in_its_own_version(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    """Deliveries are rendered in the endpoint's version, made when the endpoint was (or
    set later), exactly as GET /v1/events renders them for a key of that version."""
    types = ["payment.succeeded"]
    async with serving(Receiver()) as older:
        new = await make_endpoint(shop, receiver.url, event_types=types)
        old = await make_endpoint(shop, older.url, event_types=types, api_version=FIRST)
        assert (new["api_version"], old["api_version"]) == (CURRENT, FIRST)
        try:
            product = await _product(shop, unique, 1)
            customer = await _customer(shop, unique)
            lines = [{"product_id": product, "quantity": 1}]
            order = await shop.post("/v1/orders", json={"customer_id": customer, "lines": lines})
            paid = await shop.post(
                f"/v1/orders/{order.json()['id']}/payments", json={"source": "tok_visa"}
            )
            assert paid.status_code == 201, paid.text
            await deliver_due(lenient)
        finally:
            await stop_listening(shop, new)
            await stop_listening(shop, old)
    [(_, current_body)] = receiver.got
    [(old_headers, old_body)] = older.got
    assert "refunds" not in orjson.loads(current_body)["data"]["object"]
    event = orjson.loads(old_body)
    assert list(event["data"]["object"])[-3:] == ["refunds", "created_at", "updated_at"]
    assert event["data"]["object"]["refunds"] == []
    Webhook(old["secret"]).verify(old_body, old_headers)
    read = await shop.get(f"/v1/events/{event['id']}", headers=OLD)
    assert read.content == old_body


def test_the_cli_pins_a_key_and_moves_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPGRAPH_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/keys.db")
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        create = ["apikey", "create", "--name", "n", "--scope", "orders:read", "--json"]
        made = runner.invoke(cli, [*create, "--api-version", FIRST])
        assert made.exit_code == 0, made.output
        key = orjson.loads(made.stdout)
        assert key["api_version"] == FIRST
        moved = runner.invoke(cli, ["apikey", "set-version", key["id"], CURRENT])
        assert moved.exit_code == 0, moved.output
        listed = orjson.loads(runner.invoke(cli, ["apikey", "list", "--json"]).stdout)
        assert [k["api_version"] for k in listed] == [CURRENT]
        wrong = runner.invoke(cli, ["apikey", "set-version", key["id"], "1999-01-01"])
        assert wrong.exit_code == 1
        assert "not an API version" in wrong.output
    finally:
        get_settings.cache_clear()


# The OpenAPI document as committed just before dated versions began (ee34190^): what
# 2026-12-01 consumers were promised.
FIRST_DOCUMENT = Path(__file__).parent / "contracts" / "openapi-2026-12-01.json"


async def test_each_version_has_its_own_openapi_document(client: httpx.AsyncClient) -> None:
    current = await client.get("/openapi.json")
    old = await client.get("/openapi.json", params={"version": FIRST})
    by_header = await client.get("/openapi.json", headers={HEADER: FIRST})
    assert (current.headers[HEADER], old.headers[HEADER]) == (CURRENT, FIRST)
    assert by_header.content == old.content
    assert current.json() == openapi_document()
    assert old.json() == openapi_document(FIRST)
    schemas = old.json()["components"]["schemas"]
    assert "refunds" in schemas["Payment"]["required"]
    assert "refunds" not in current.json()["components"]["schemas"]["Payment"]["properties"]
    for object_type, links in LINKS.items():
        assert not links & schemas[object_type]["properties"].keys(), object_type
    unknown = await client.get("/openapi.json", params={"version": "2020-01-01"})
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "UNKNOWN_VERSION"


def test_the_first_versions_document_breaks_nothing_it_promised() -> None:
    """Against the document 2026-12-01 consumers had, the code's document for their version
    only adds or deprecates; the current one breaks exactly what its version declares."""
    promised = orjson.loads(FIRST_DOCUMENT.read_bytes())
    kept = openapi_changes(promised, orjson.loads(orjson.dumps(openapi_document(FIRST))))
    assert [change.description for change in kept if change.breaking] == []
    assert any("created_from" in change.description for change in kept)  # it is compared
    moved = openapi_changes(promised, orjson.loads(orjson.dumps(openapi_document())))
    assert [change.where for change in moved if change.breaking] == ["Payment.refunds"]

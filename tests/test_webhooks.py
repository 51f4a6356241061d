"""Webhook delivery (issue 12): signed to the Standard Webhooks specification, refused for
private addresses, managed on both surfaces; against a real HTTP receiver on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette

from shopgraph.context import Services
from shopgraph.settings import Settings
from shopgraph.webhooks.dispatcher import Dispatcher

from .conftest import bearer
from .test_orders import _customer, _product
from .webhook_helpers import (
    Receiver,
    deliver_due,
    events_of_product,
    make_endpoint,
    stop_listening,
)


async def test_every_event_reaches_a_healthy_receiver_signed(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url)
    try:
        product = await _product(shop, unique, 5)
        customer = await _customer(shop, unique)
        order = await shop.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        )
        assert order.status_code == 201, order.text
        paid = await shop.post(
            f"/v1/orders/{order.json()['id']}/payments", json={"source": "tok_visa"}
        )
        assert paid.status_code == 201, paid.text
        await deliver_due(lenient)
    finally:
        await stop_listening(shop, endpoint)
    types = [event["type"] for event in receiver.events()]
    assert types == ["product.created", "order.created", "payment.succeeded", "order.paid"]
    verifier = Webhook(endpoint["secret"])
    for headers, body in receiver.got:
        payload = verifier.verify(body, headers)
        assert headers["webhook-id"] == payload["id"]
        assert headers["content-type"] == "application/json"
        stored = await shop.get(f"/v1/events/{payload['id']}")
        assert orjson.loads(body) == stored.json()
    headers, body = receiver.got[0]
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body.replace(b'"type"', b'"tipe"'), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY").verify(body, headers)
    stale = {**headers, "webhook-timestamp": str(int(datetime.now(UTC).timestamp()) - 3600)}
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body, stale)
    attempts = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
    assert attempts.status_code == 404  # deleted with its endpoint


async def test_a_rotated_secret_signs_beside_the_old_one_for_the_overlap(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        rotated = await shop.post(
            f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", json={"overlap_hours": 1}
        )
        assert rotated.status_code == 200, rotated.text
        new = rotated.json()["secret"]
        assert new != endpoint["secret"]
        assert rotated.json()["previous_secret_expires_at"] is not None
        await _product(shop, unique, 0)
        await deliver_due(lenient)
        headers, body = receiver.got[-1]
        assert len(headers["webhook-signature"].split(" ")) == 2
        Webhook(endpoint["secret"]).verify(body, headers)
        Webhook(new).verify(body, headers)
        listed = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert "secret" not in listed
    finally:
        await stop_listening(shop, endpoint)


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example/hook",  # plain http
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:192.168.0.1]/hook",
        "https://user:pass@shop.example/hook",
        "ftp://shop.example/hook",
        "not a url",
        "https://\u0102\u00fe\u000e\u008a?\u00afn",  # no host name (fuzzing found a 500)
    ],
)
async def test_urls_that_are_not_public_https_are_refused(
    client: httpx.AsyncClient, url: str
) -> None:
    refused = await client.post("/v1/webhook-endpoints", json={"url": url})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "url"


async def test_a_private_address_is_refused_at_delivery_too(
    shop: httpx.AsyncClient, settings: Settings, receiver: Receiver, unique: str
) -> None:
    """Saved while allowed (or while its name pointed elsewhere): refused when sent."""
    https = receiver.url.replace("http://", "https://")
    endpoint = await make_endpoint(shop, https, event_types=["product.created"])
    strict = Services(settings)
    await strict.start()
    try:
        await _product(shop, unique, 0)
        await deliver_due(strict)
        assert receiver.got == []
        tries = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")).json()
        assert [t["error"] for t in tries["data"]] == ["refused_address"]
        assert "127.0.0.1" in tries["data"][0]["response_excerpt"]
    finally:
        await strict.close()
        await stop_listening(shop, endpoint)


async def test_a_rolled_back_write_owes_no_delivery(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url)
    try:
        product = await _product(shop, unique, 1)
        await deliver_due(lenient)
        before = len(receiver.got)
        customer = await _customer(shop, unique)
        lines = [{"product_id": product, "quantity": 5}]
        short = await shop.post("/v1/orders", json={"customer_id": customer, "lines": lines})
        assert short.status_code == 409
        await deliver_due(lenient)
        assert receiver.events()[before:] == []  # the order and its stock rolled back
    finally:
        await stop_listening(shop, endpoint)


async def test_endpoints_need_webhooks_write(app: Starlette, settings: Settings) -> None:
    from shopgraph.auth.principal import Principal

    reader = Principal("api_key", "key_reader", frozenset({"webhooks:read"}), "standard")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=bearer(settings, reader)
    ) as http:
        made = await http.post("/v1/webhook-endpoints", json={"url": "https://shop.example/"})
        assert made.status_code == 403
        assert (await http.get("/v1/webhook-endpoints")).status_code == 200


async def test_the_example_receiver_accepts_our_signatures_once() -> None:
    from examples.webhook_receiver import receiver

    from shopgraph.webhooks import secrets

    secret = secrets.new_secret()
    body = b'{"id":"event_x","type":"order.paid","data":{"object":{"id":"ord_x"}}}'
    signed = secrets.headers("event_x", datetime.now(UTC), body, [secret])
    transport = httpx.ASGITransport(app=receiver(secret))
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as http:
        assert (await http.post("/hooks", content=body, headers=signed)).status_code == 204
        assert (await http.post("/hooks", content=body, headers=signed)).status_code == 204
        forged = await http.post("/hooks", content=body.replace(b"paid", b"free"), headers=signed)
        assert forged.status_code == 400


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl")
def test_the_documented_openssl_check_computes_our_signature(tmp_path: Path) -> None:
    """docs/webhooks.md's openssl recipe, run as written."""
    from shopgraph.webhooks import secrets

    secret = secrets.new_secret()
    body = b'{"id":"event_y","type":"refund.created"}'
    sent = datetime.now(UTC)
    signed = secrets.headers("event_y", sent, body, [secret])
    (tmp_path / "body.json").write_bytes(body)
    docs = (Path(__file__).parent.parent / "docs" / "webhooks.md").read_text()
    recipe = docs.split("With openssl, for a body saved in `body.json`:\n\n```sh\n")[1]
    recipe = recipe.split("```")[0]
    computed = subprocess.run(
        ["bash", "-c", recipe],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "SECRET": secret,
            "WEBHOOK_ID": signed["webhook-id"],
            "WEBHOOK_TIMESTAMP": signed["webhook-timestamp"],
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert signed["webhook-signature"] == f"v1,{computed}"


async def test_graphql_manages_endpoints_as_rest_does(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    async def gql(query: str, **variables: Any) -> dict[str, Any]:
        answer = await shop.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = answer.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    made = await gql(
        "mutation($url: String!) { createWebhookEndpoint(input: {url: $url, eventTypes: "
        '["product.created"]}) { webhookEndpoint { id eventTypes enabled } secret '
        "userErrors { field code } } }",
        url=receiver.url,
    )
    created = made["createWebhookEndpoint"]
    endpoint = created["webhookEndpoint"]
    assert endpoint["eventTypes"] == ["product.created"]
    try:
        await _product(shop, unique, 0)
        await deliver_due(lenient)
        Webhook(created["secret"]).verify(receiver.got[-1][1], receiver.got[-1][0])
        read = await gql(
            "query($id: ID!) { webhookEndpoint(id: $id) { url deliveries { nodes { statusCode "
            "error eventId } } } }",
            id=endpoint["id"],
        )
        tries = read["webhookEndpoint"]["deliveries"]["nodes"]
        assert [(t["statusCode"], t["error"]) for t in tries] == [(200, None)]
        rest = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
        assert [t["event_id"] for t in rest.json()["data"]] == [t["eventId"] for t in tries]
        rotated = await gql(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapHours: 0) { secret "
            "webhookEndpoint { previousSecretExpiresAt } } }",
            id=endpoint["id"],
        )
        assert rotated["rotateWebhookSecret"]["secret"] != created["secret"]
        assert rotated["rotateWebhookSecret"]["webhookEndpoint"]["previousSecretExpiresAt"] is None
        refused = await gql(
            'mutation { createWebhookEndpoint(input: {url: "ftp://shop.example/x"}) { '
            "webhookEndpoint { id } userErrors { field code } } }"
        )
        errors = refused["createWebhookEndpoint"]["userErrors"]
        assert errors == [{"field": "url", "code": "INVALID"}]
    finally:
        gone = await gql(
            "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedId } }",
            id=endpoint["id"],
        )
        assert gone["deleteWebhookEndpoint"]["deletedId"] == endpoint["id"]


async def test_redelivery_sends_the_same_event_again(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 410
        product = await _product(shop, unique, 0)
        await deliver_due(lenient)  # given up at once, and the endpoint disabled
        event_id = (await events_of_product(shop, product))[0]
        receiver.status = 200
        enabled = await shop.patch(
            f"/v1/webhook-endpoints/{endpoint['id']}", json={"enabled": True}
        )
        assert enabled.status_code == 200
        since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        again = await shop.post(
            f"/v1/webhook-endpoints/{endpoint['id']}/redeliver-failed", json={"since": since}
        )
        assert again.status_code == 202, again.text
        assert again.json() == {"deliveries": 1}
        await deliver_due(lenient)
        once_more = await shop.post(
            f"/v1/events/{event_id}/redeliver", json={"endpoint_id": endpoint["id"]}
        )
        assert once_more.json() == {"deliveries": 1}
        await deliver_due(lenient)
        ids_sent = [headers["webhook-id"] for headers, _ in receiver.got]
        assert ids_sent == [event_id] * 3
        assert len({body for _, body in receiver.got}) == 1
        bad = await shop.post(
            f"/v1/webhook-endpoints/{endpoint['id']}/redeliver-failed", json={"since": "soon"}
        )
        assert bad.status_code == 422
    finally:
        await stop_listening(shop, endpoint)


async def test_attempts_and_backlog_show_in_the_metrics(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    from prometheus_client import REGISTRY

    endpoint = await make_endpoint(shop, receiver.url, event_types=["product.created"])
    labels = {"endpoint": endpoint["id"]}

    def sample(name: str, **extra: str) -> float:
        return REGISTRY.get_sample_value(name, {**labels, **extra}) or 0.0

    # Counters live as long as the process: the same public id may have been counted by an
    # earlier test (the other database's), so what this one adds is compared.
    names = [
        ("shopgraph_webhook_attempts_total", {"outcome": "http_5xx"}),
        ("shopgraph_webhook_attempts_total", {"outcome": "delivered"}),
        ("shopgraph_webhook_latency_seconds_count", {}),
    ]
    before = [sample(name, **extra) for name, extra in names]
    try:
        receiver.status = 500
        await _product(shop, unique, 0)
        await deliver_due(lenient)
        receiver.status = 200
        await deliver_due(lenient, fresh=True)
        await _product(shop, unique, 0)  # owed, not yet delivered
        dispatcher = Dispatcher(lenient)
        await dispatcher.count_queue()
        await dispatcher.close()
        after = [sample(name, **extra) for name, extra in names]
        assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 2]
        assert sample("shopgraph_webhook_queue_depth") == 1
    finally:
        await stop_listening(shop, endpoint)

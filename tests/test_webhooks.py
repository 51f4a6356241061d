"""Webhook delivery (issue 12): signed to the Standard Webhooks specification, retried on
schedule, refused for private addresses; against a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from sqlalchemy import func, select, update
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shopgraph.context import Services
from shopgraph.db.models import webhook_deliveries, webhook_endpoints
from shopgraph.settings import Settings
from shopgraph.webhooks.dispatcher import Dispatcher

from .conftest import ADMIN, bearer, client_of
from .test_orders import _customer, _product


@dataclass
class Receiver:
    """A partner's endpoint: records what it gets, answers with `status` after `delay`."""

    url: str = ""
    status: int = 200
    delay: float = 0.0
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        self.got.append((dict(request.headers), body))
        await asyncio.sleep(self.delay)
        return Response(b"" if self.status == 204 else f"answered {self.status}", self.status)

    def events(self) -> list[dict[str, Any]]:
        return [orjson.loads(body) for _, body in self.got]


@contextlib.asynccontextmanager
async def serving(made: Receiver) -> AsyncIterator[Receiver]:
    """`made` listening on a loopback port of its own (its `url`) until the block ends."""

    async def hook(request: Request) -> Response:
        return await made.handle(request)  # looked up per request: a test may swap it

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    made.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    running = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(5):
        while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
            await asyncio.sleep(0.01)
    try:
        yield made
    finally:
        server.should_exit = True
        await running


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serving(Receiver()) as made:
        yield made


@pytest.fixture
async def lenient(settings: Settings) -> AsyncIterator[Services]:
    """Services that let webhooks reach loopback over http, as local development does."""
    services = Services(settings.model_copy(update={"webhooks_allow_private": True}))
    await services.start()
    yield services
    await services.close()


@pytest.fixture
async def shop(settings: Settings, lenient: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(lenient.settings, lenient, bearer(settings, ADMIN)) as http:
        yield http


async def _endpoint(shop: httpx.AsyncClient, url: str, **extra: Any) -> dict[str, Any]:
    made = await shop.post("/v1/webhook-endpoints", json={"url": url, **extra})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    assert body["secret"].startswith("whsec_")
    return body


async def _make_due(services: Services) -> None:
    """Every pending delivery due now, as if its retry delay had passed."""
    async with services.database.transaction() as db:
        await db.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.status == "pending")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def _deliver_due(services: Services, *, fresh: bool = False) -> int:
    """Run a dispatcher until nothing is due; with `fresh`, retries are due at once."""
    if fresh:
        await _make_due(services)
    dispatcher = Dispatcher(services)
    total = 0
    try:
        while claimed := await dispatcher.run_once():
            total += claimed
    finally:
        await dispatcher.close()
    return total


async def _stop_listening(shop: httpx.AsyncClient, endpoint: dict[str, Any]) -> None:
    """Endpoints of one test must not collect the events of the next."""
    assert (await shop.delete(f"/v1/webhook-endpoints/{endpoint['id']}")).status_code == 204


async def test_every_event_reaches_a_healthy_receiver_signed(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url)
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
        await _deliver_due(lenient)
    finally:
        await _stop_listening(shop, endpoint)
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


async def test_a_failing_receiver_is_retried_until_it_answers(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 500
        product = await _product(shop, unique, 0)
        started = datetime.now(UTC)
        assert await _deliver_due(lenient) == 1
        row = await _delivery_of(lenient, endpoint["id"])
        assert (row.status, row.attempts) == ("pending", 1)
        # The first retry waits 5 s, give or take a fifth.
        assert timedelta(seconds=3.9) < row.next_attempt_at - started < timedelta(seconds=6.1)
        assert await _deliver_due(lenient) == 0  # not due yet
        assert await _deliver_due(lenient, fresh=True) == 1
        receiver.status = 204
        assert await _deliver_due(lenient, fresh=True) == 1
        assert (await _delivery_of(lenient, endpoint["id"])).status == "succeeded"
        log = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
        assert log.status_code == 200, log.text
        tries = log.json()["data"]
        assert [t["status_code"] for t in tries] == [500, 500, 204]
        assert [t["error"] for t in tries] == ["http_5xx", "http_5xx", None]
        assert tries[0]["response_excerpt"] == "answered 500"
        assert all(t["latency_ms"] >= 0 for t in tries)
        bodies = {body for _, body in receiver.got}
        assert len(receiver.got) == 3
        assert len(bodies) == 1  # every try carries the same bytes and the same webhook-id
        assert {h["webhook-id"] for h, _ in receiver.got} == {tries[0]["event_id"]}
        assert receiver.events()[0]["data"]["object"]["id"] == product
        current = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert current["consecutive_failures"] == 0
    finally:
        await _stop_listening(shop, endpoint)


async def _delivery_of(services: Services, endpoint_id: str) -> Any:
    from shopgraph import ids

    pk = ids.decode("WebhookEndpoint", endpoint_id)
    async with services.database.connect() as db:
        return (
            await db.execute(
                select(webhook_deliveries).where(webhook_deliveries.c.endpoint_id == pk)
            )
        ).one()


async def test_a_receiver_answering_410_is_disabled(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 410
        await _product(shop, unique, 0)
        await _deliver_due(lenient)
        assert (await _delivery_of(lenient, endpoint["id"])).status == "failed"
        now = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert now["enabled"] is False
        assert "410" in now["disabled_reason"]
        await _product(shop, unique, 0)  # a disabled endpoint is owed nothing new
        async with lenient.database.connect() as db:
            owed = (
                await db.execute(
                    select(func.count()).where(
                        webhook_deliveries.c.endpoint_id == _pk(endpoint["id"])
                    )
                )
            ).scalar_one()
        assert owed == 1
        enabled = await shop.patch(
            f"/v1/webhook-endpoints/{endpoint['id']}", json={"enabled": True}
        )
        assert enabled.json()["disabled_reason"] is None
    finally:
        await _stop_listening(shop, endpoint)


def _pk(endpoint_id: str) -> int:
    from shopgraph import ids

    pk = ids.decode("WebhookEndpoint", endpoint_id)
    assert pk is not None
    return pk


async def test_a_rotated_secret_signs_beside_the_old_one_for_the_overlap(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        rotated = await shop.post(
            f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", json={"overlap_hours": 1}
        )
        assert rotated.status_code == 200, rotated.text
        new = rotated.json()["secret"]
        assert new != endpoint["secret"]
        assert rotated.json()["previous_secret_expires_at"] is not None
        await _product(shop, unique, 0)
        await _deliver_due(lenient)
        headers, body = receiver.got[-1]
        assert len(headers["webhook-signature"].split(" ")) == 2
        Webhook(endpoint["secret"]).verify(body, headers)
        Webhook(new).verify(body, headers)
        listed = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert "secret" not in listed
    finally:
        await _stop_listening(shop, endpoint)


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
    endpoint = await _endpoint(shop, https, event_types=["product.created"])
    strict = Services(settings)
    await strict.start()
    try:
        await _product(shop, unique, 0)
        await _deliver_due(strict)
        assert receiver.got == []
        tries = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")).json()
        assert [t["error"] for t in tries["data"]] == ["refused_address"]
        assert "127.0.0.1" in tries["data"][0]["response_excerpt"]
    finally:
        await strict.close()
        await _stop_listening(shop, endpoint)


async def test_a_rolled_back_write_owes_no_delivery(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url)
    try:
        product = await _product(shop, unique, 1)
        await _deliver_due(lenient)
        before = len(receiver.got)
        customer = await _customer(shop, unique)
        lines = [{"product_id": product, "quantity": 5}]
        short = await shop.post("/v1/orders", json={"customer_id": customer, "lines": lines})
        assert short.status_code == 409
        await _deliver_due(lenient)
        assert receiver.events()[before:] == []  # the order and its stock rolled back
    finally:
        await _stop_listening(shop, endpoint)


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
        await _deliver_due(lenient)
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


@pytest.fixture
async def impatient(settings: Settings) -> AsyncIterator[Services]:
    """Lenient services whose deliveries give up waiting after half a second."""
    update_with = {"webhooks_allow_private": True, "webhook_timeout_seconds": 0.5}
    services = Services(settings.model_copy(update=update_with))
    await services.start()
    yield services
    await services.close()


def _dead_url() -> str:
    """A loopback port nothing listens on: connection refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook"


async def _errors(shop: httpx.AsyncClient, endpoint: dict[str, Any]) -> list[str | None]:
    tries = await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries")
    return [t["error"] for t in tries.json()["data"]]


async def test_faults_are_told_apart_in_the_log(
    shop: httpx.AsyncClient, impatient: Services, receiver: Receiver, unique: str
) -> None:
    receiver.delay = 2.0  # slower than the half-second timeout
    slow = await _endpoint(shop, receiver.url, event_types=["product.created"])
    dead = await _endpoint(shop, _dead_url(), event_types=["product.created"])
    try:
        await _product(shop, unique, 0)
        await _deliver_due(impatient)
        assert await _errors(shop, slow) == ["timeout"]
        assert await _errors(shop, dead) == ["connection_refused"]
        for endpoint in (slow, dead):
            assert (await _delivery_of(impatient, endpoint["id"])).status == "pending"
    finally:
        await _stop_listening(shop, slow)
        await _stop_listening(shop, dead)


async def _healthy_waits(
    shop: httpx.AsyncClient, services: Services, healthy: Receiver, count: int
) -> list[float]:
    """Seconds from each of `count` events' commit to its arrival at `healthy`, with a
    dispatcher running as a server's would."""
    made: dict[str, float] = {}
    received: dict[str, float] = {}
    everything = asyncio.Event()
    original = healthy.handle
    clock = asyncio.get_running_loop().time

    async def timed(request: Request) -> Response:
        received[orjson.loads(await request.body())["id"]] = clock()
        if len(received) == count:
            everything.set()
        return await original(request)

    healthy.handle = timed  # type: ignore[method-assign]
    dispatcher = Dispatcher(services, idle_seconds=0.02)  # waits then show the delivery
    running = asyncio.create_task(dispatcher.run())
    try:
        for _ in range(count):
            product = await _product(shop, "wait", 0)
            made[(await _events_of_product(shop, product))[0]] = clock()
        async with asyncio.timeout(15):
            await everything.wait()
    finally:
        healthy.handle = original  # type: ignore[method-assign]
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await dispatcher.close()
    return sorted(max(0.0, received[event] - made[event]) for event in made)


async def test_a_broken_endpoint_does_not_delay_a_healthy_one(
    shop: httpx.AsyncClient, impatient: Services, receiver: Receiver
) -> None:
    """Twenty events to a healthy receiver, alone and then beside one that hangs past the
    half-second timeout on every delivery: the healthy one's waits barely move."""
    healthy = await _endpoint(shop, receiver.url, event_types=["product.created"])
    broken = None
    try:
        alone = await _healthy_waits(shop, impatient, receiver, 20)
        async with serving(Receiver(delay=5.0)) as hanging:
            broken = await _endpoint(shop, hanging.url, event_types=["product.created"])
            beside = await _healthy_waits(shop, impatient, receiver, 20)
        print(
            f"healthy endpoint, median / max wait: alone {alone[10]:.3f} / {alone[-1]:.3f} s, "
            f"beside a hanging one {beside[10]:.3f} / {beside[-1]:.3f} s"
        )
        # Held behind the broken one, the healthy one would wait whole timeouts (0.5 s), more
        # with each event (20 of them, a quarter of the slots for the broken endpoint).
        assert beside[10] < alone[10] + 0.3, (alone, beside)
        assert beside[-1] < 0.5, beside
        assert set(await _errors(shop, broken)) == {"timeout"}
    finally:
        await _stop_listening(shop, healthy)
        if broken is not None:
            await _stop_listening(shop, broken)


async def test_the_breaker_opens_pauses_and_probes(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    receiver.status = 503
    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        for _ in range(6):
            await _product(shop, unique, 0)
        await _deliver_due(lenient)
        # A quarter of the slots at most at once: 4 tries, then the others on the next round.
        await _deliver_due(lenient)
        now = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert now["consecutive_failures"] >= 5
        assert now["breaker_open_until"] is not None
        assert now["health"]["breaker"] == "open"
        assert now["health"]["queue_depth"] == 6
        assert now["health"]["last_hour"]["success_rate"] == 0.0
        tried = len(receiver.got)
        assert await _deliver_due(lenient, fresh=True) == 0  # open: nothing is tried
        assert len(receiver.got) == tried
        async with lenient.database.transaction() as db:  # the pause is over
            await db.execute(
                update(webhook_endpoints)
                .where(webhook_endpoints.c.id == _pk(endpoint["id"]))
                .values(breaker_open_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        receiver.status = 200
        dispatcher = Dispatcher(lenient)
        try:
            assert await _probe_round(dispatcher, lenient) == 1  # half open: one probe
        finally:
            await dispatcher.close()
        await _deliver_due(lenient, fresh=True)  # closed again: the backlog flows
        healed = (await shop.get(f"/v1/webhook-endpoints/{endpoint['id']}")).json()
        assert healed["breaker_open_until"] is None
        assert healed["health"]["breaker"] == "closed"
        assert healed["health"]["queue_depth"] == 0
        assert healed["consecutive_failures"] == 0
    finally:
        await _stop_listening(shop, endpoint)


async def _probe_round(dispatcher: Dispatcher, services: Services) -> int:
    """One claim round of `dispatcher`: how many deliveries it started."""
    await _make_due(services)
    started_before = len(dispatcher._tasks)
    await dispatcher._claim_some()
    started = len(dispatcher._tasks) - started_before
    await dispatcher.drain()
    return started


async def test_redelivery_sends_the_same_event_again(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
    try:
        receiver.status = 410
        product = await _product(shop, unique, 0)
        await _deliver_due(lenient)  # given up at once, and the endpoint disabled
        event_id = (await _events_of_product(shop, product))[0]
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
        await _deliver_due(lenient)
        once_more = await shop.post(
            f"/v1/events/{event_id}/redeliver", json={"endpoint_id": endpoint["id"]}
        )
        assert once_more.json() == {"deliveries": 1}
        await _deliver_due(lenient)
        ids_sent = [headers["webhook-id"] for headers, _ in receiver.got]
        assert ids_sent == [event_id] * 3
        assert len({body for _, body in receiver.got}) == 1
        bad = await shop.post(
            f"/v1/webhook-endpoints/{endpoint['id']}/redeliver-failed", json={"since": "soon"}
        )
        assert bad.status_code == 422
    finally:
        await _stop_listening(shop, endpoint)


async def _events_of_product(shop: httpx.AsyncClient, product: str) -> list[str]:
    found = await shop.get("/v1/events", params={"object_id": product})
    return [event["id"] for event in found.json()["data"]]


async def test_attempts_and_backlog_show_in_the_metrics(
    shop: httpx.AsyncClient, lenient: Services, receiver: Receiver, unique: str
) -> None:
    from prometheus_client import REGISTRY

    endpoint = await _endpoint(shop, receiver.url, event_types=["product.created"])
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
        await _deliver_due(lenient)
        receiver.status = 200
        await _deliver_due(lenient, fresh=True)
        await _product(shop, unique, 0)  # owed, not yet delivered
        dispatcher = Dispatcher(lenient)
        await dispatcher.count_queue()
        await dispatcher.close()
        after = [sample(name, **extra) for name, extra in names]
        assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 2]
        assert sample("shopgraph_webhook_queue_depth") == 1
    finally:
        await _stop_listening(shop, endpoint)


async def test_two_dispatchers_deliver_each_of_a_thousand_events_once(
    shop: httpx.AsyncClient, settings: Settings, receiver: Receiver, unique: str
) -> None:
    """Two dispatchers, each with its own connections (as two `shopgraph worker` processes
    have), racing over one outbox: every event arrives, and none twice."""
    from shopgraph.events.outbox import emit

    endpoint = await _endpoint(shop, receiver.url, event_types=["product.updated"])
    update_with = {"webhooks_allow_private": True}
    workers = [Services(settings.model_copy(update=update_with)) for _ in range(2)]
    for services in workers:
        await services.start()
    try:
        writer = workers[0].database
        for batch in range(20):
            async with writer.transaction() as db:
                for n in range(50):
                    made = {"id": f"prod_{unique}_{batch}_{n}"}
                    await emit(db, "product.updated", made, request_id=None)
        dispatchers = [Dispatcher(services, idle_seconds=0.02) for services in workers]
        running = [asyncio.create_task(d.run()) for d in dispatchers]
        try:
            async with asyncio.timeout(60):
                while len(receiver.got) < 1000:  # noqa: ASYNC110 (the receiver counts)
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # a duplicate would arrive meanwhile
        finally:
            for task in running:
                task.cancel()
            for task, dispatcher in zip(running, dispatchers, strict=True):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await dispatcher.close()
        ids_received = [headers["webhook-id"] for headers, _ in receiver.got]
        assert len(ids_received) == 1000
        assert len(set(ids_received)) == 1000
        async with writer.connect() as db:
            left = (
                await db.execute(
                    select(func.count()).where(
                        webhook_deliveries.c.endpoint_id == _pk(endpoint["id"]),
                        webhook_deliveries.c.status != "succeeded",
                    )
                )
            ).scalar_one()
        assert left == 0
    finally:
        for services in workers:
            await services.close()
        await _stop_listening(shop, endpoint)

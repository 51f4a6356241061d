"""A server SIGKILLed mid-write, started again on the same database.

Nothing of the killed process's own clean-up runs: claims stay in flight, payments stay
`processing` wherever the kill caught them. The restarted server, after the lease, must
settle what the provider did (start-up reconciliation), and every retry with its key must
get either the committed answer or a clean first run: never a second order, charge or
refund, never a key refused for ever, never a 5xx.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shopgraph import ids
from shopgraph.context import Services
from shopgraph.db.models import idempotency_keys, orders, payments, refunds, sandbox_calls, utcnow
from shopgraph.resolvers.reconciliation import reconcile

from .invariants import assert_money_invariants, assert_provider_agrees, assert_stock_invariants
from .servers import Server, ServerProcess

BURST = 30  # keyed orders, and as many keyed payments
LEASE = 2.0
RECONCILE_EVERY = 1.0
ENV = {
    "SHOPGRAPH_WRITE_LEASE_SECONDS": str(LEASE),
    "SHOPGRAPH_RECONCILE_EVERY_SECONDS": str(RECONCILE_EVERY),
    # Half of it before the provider's transaction, half after: a kill lands on both sides.
    "SHOPGRAPH_SANDBOX_LATENCY_SECONDS": "0.3",
}
IN_PROGRESS_FOR = 6.0  # how long a retry may be told that a lease is still live
IN_FLIGHT = ("processing", "capturing")


@dataclass
class Keyed:
    """One keyed request of the burst, and what it answered before and after the crash."""

    kind: str  # "order" or "payment"
    path: str
    body: dict[str, Any]
    key: str
    order: str | None = None  # the order a payment pays
    before: httpx.Response | None = None  # answered before the kill
    lost: str | None = None  # why no answer came (the kill)
    after: httpx.Response | None = None  # the retry's answer, after the restart
    waited: int = 0  # how often the retry was told to wait for a live lease

    async def send(self, http: httpx.AsyncClient) -> httpx.Response:
        return await http.post(self.path, json=self.body, headers={"Idempotency-Key": self.key})


def _client(server: Server) -> httpx.AsyncClient:
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them under
    # a request (a ReadError that says nothing about the server).
    limits = httpx.Limits(max_connections=4 * BURST, keepalive_expiry=2)
    return httpx.AsyncClient(
        base_url=server.base, headers=server.headers, limits=limits, timeout=30
    )


def _pk(kind: str, public_id: str) -> int:
    pk = ids.decode(kind, public_id)
    assert pk is not None, public_id
    return pk


async def _created(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    response = await http.post(path, json=body)
    assert response.status_code == 201, response.text
    made: str = response.json()["id"]
    return made


async def _product(http: httpx.AsyncClient, sku: str, stock: int) -> str:
    price = {"amount": 420, "currency": "USD"}
    product = await _created(http, "/v1/products", {"sku": sku, "name": "Crash", "price": price})
    receipt = await http.post(
        f"/v1/products/{product}/inventory/adjustments",
        json={"delta": stock, "reason": "stock", "kind": "receipt"},
    )
    assert receipt.status_code == 201, receipt.text
    return product


def _placement(customer: str, product: str) -> dict[str, Any]:
    return {"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]}


async def _burst(
    http: httpx.AsyncClient, requests: Sequence[Keyed], kill: Callable[[], Any]
) -> None:
    """Send every request at once; kill the server once a quarter have answered."""

    async def first(request: Keyed) -> None:
        try:
            request.before = await request.send(http)
        except httpx.TransportError as error:
            request.lost = repr(error)

    tasks = [asyncio.create_task(first(request)) for request in requests]
    pending: set[asyncio.Task[None]] = set(tasks)
    while len(tasks) - len(pending) < len(tasks) // 4:
        _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    assert pending, "every request answered before the kill: nothing was in flight"
    await asyncio.to_thread(kill)
    await asyncio.gather(*tasks)


async def _retry(http: httpx.AsyncClient, request: Keyed) -> None:
    """Send the request again with its key; wait out a lease that is still live (409)."""
    deadline = time.monotonic() + IN_PROGRESS_FOR
    while True:
        response = await request.send(http)
        busy = response.status_code == 409 and "being processed" in response.json()["detail"]
        if not busy or time.monotonic() > deadline:
            request.after = response
            return
        request.waited += 1
        await asyncio.sleep(0.2)


async def _in_flight(services: Services, keys: Sequence[str]) -> tuple[int, int]:
    """How many of `keys` are claimed but not done, and how many payments are in flight."""
    async with services.database.engine.connect() as db:
        claimed = (
            await db.execute(
                select(func.count()).where(
                    idempotency_keys.c.key.in_(keys), idempotency_keys.c.state == "in_flight"
                )
            )
        ).scalar_one()
        moving = (
            await db.execute(select(func.count()).where(payments.c.status.in_(IN_FLIGHT)))
        ).scalar_one()
    return int(claimed), int(moving)


async def _rows(services: Services, column: Any, kind: str, public_ids: Sequence[str]) -> Any:
    """The rows of `column`'s table whose `column` is one of `public_ids`."""
    pks = [_pk(kind, public_id) for public_id in public_ids]
    async with services.database.engine.connect() as db:
        return (await db.execute(select(column.table).where(column.in_(pks)))).all()


async def _eventually(check: Callable[[], Awaitable[bool]], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def _nothing_in_flight(services: Services) -> bool:
    async with services.database.engine.connect() as db:
        left = (
            await db.execute(select(func.count()).where(payments.c.status.in_(IN_FLIGHT)))
        ).scalar_one() + (
            await db.execute(select(func.count()).where(refunds.c.status == "processing"))
        ).scalar_one()
    return int(left) == 0


async def test_a_server_killed_mid_burst_recovers_every_keyed_order_and_payment(
    database_url: str, services: Services, unique: str
) -> None:
    """Every retry after the restart is the committed answer or a clean first run."""
    process = ServerProcess(database_url, env=ENV, tier="enterprise")
    try:
        server = process.start()
        async with _client(server) as http:
            product = await _product(http, f"CR-{unique}", 4 * BURST)
            customers = await asyncio.gather(
                *(
                    _created(
                        http,
                        "/v1/customers",
                        {"email": f"cr.{unique}.{n}@example.com", "name": "C"},
                    )
                    for n in range(2 * BURST)
                )
            )
            buyers, payers = customers[:BURST], customers[BURST:]
            unpaid = await asyncio.gather(
                *(_created(http, "/v1/orders", _placement(c, product)) for c in payers)
            )
            requests: list[Keyed] = []
            for n in range(BURST):  # interleaved, so the kill catches both kinds
                placement = _placement(buyers[n], product)
                requests.append(Keyed("order", "/v1/orders", placement, f"cr-o-{uuid.uuid4()}"))
                pay: dict[str, Any] = {"source": "tok_visa"}
                if n % 5 == 4:
                    pay["capture"] = False  # authorize only
                path = f"/v1/orders/{unpaid[n]}/payments"
                requests.append(Keyed("payment", path, pay, f"cr-p-{uuid.uuid4()}", unpaid[n]))
            await _burst(http, requests, process.kill)
        killed_at = time.monotonic()
        keys = [r.key for r in requests]
        claimed, moving = await _in_flight(services, keys)
        assert claimed, "the kill left no keyed write in flight: the scenario tested nothing"
        early = [r.before for r in requests if r.before is not None]
        # Before the kill: created, or the provider did not answer in time (retry the key).
        assert all(r.status_code in (201, 503) for r in early), [
            r.text for r in early if r.status_code not in (201, 503)
        ]

        await asyncio.to_thread(process.start)
        # Past every lease the dead process held, and one reconciliation round beyond it.
        await asyncio.sleep(max(0.0, killed_at + LEASE + RECONCILE_EVERY + 0.5 - time.monotonic()))
        async with _client(server) as http:
            await asyncio.gather(*(_retry(http, r) for r in requests))
            failures = [
                (r.kind, r.key, r.before and r.before.status_code, r.after and r.after.text)
                for r in requests
                if r.after is None or r.after.status_code != 201
            ]
            assert not failures, failures
            for request in requests:
                assert request.after is not None
                if request.before is not None and request.before.status_code == 201:
                    # Answered before the crash: the committed answer, byte for byte.
                    assert request.after.headers.get("idempotent-replayed") == "true"
                    assert request.after.content == request.before.content
            # Once resumed or run, a key is done: the next retry replays it.
            replays = await asyncio.gather(*(r.send(http) for r in requests))
            for request, replay in zip(requests, replays, strict=True):
                assert request.after is not None
                assert replay.status_code == 201, replay.text
                assert replay.headers.get("idempotent-replayed") == "true"
                assert replay.json()["id"] == request.after.json()["id"]

        assert await _eventually(lambda: _nothing_in_flight(services), LEASE + 3 * RECONCILE_EVERY)
        assert await _in_flight(services, keys) == (0, 0)
        # No key made a second order: each customer holds exactly the one order.
        held = await _rows(services, orders.c.customer_id, "Customer", customers)
        per_customer = {c: 0 for c in customers}
        for row in held:
            per_customer[ids.encode("Customer", row.customer_id)] += 1
        assert set(per_customer.values()) == {1}, {c: n for c, n in per_customer.items() if n != 1}
        await _assert_one_live_payment_per_order(
            [r for r in requests if r.kind == "payment"], services
        )
        await assert_provider_agrees(services)
        await assert_money_invariants(services)
        await assert_stock_invariants(services)
        print(  # how the kill landed: shown with -rP, or on failure
            f"answered before the kill: {len(early)}/{len(requests)}; keys in flight: {claimed}; "
            f"payments in flight: {moving}; retries told to wait: {sum(r.waited for r in requests)}"
        )
    finally:
        process.kill()


async def _assert_one_live_payment_per_order(paid: Sequence[Keyed], services: Services) -> None:
    """Each order paid under one key holds one live payment, the one its retry answered with;
    any other is one the provider never made (failed, not charged). Paid once captured."""
    made = await _rows(services, payments.c.order_id, "Order", [r.order or "" for r in paid])
    statuses = {
        row.id: row.status
        for row in await _rows(services, orders.c.id, "Order", [r.order or "" for r in paid])
    }
    for request in paid:
        assert request.after is not None
        assert request.order is not None
        answer = request.after.json()
        captured = request.body.get("capture", True)
        assert answer["status"] == ("succeeded" if captured else "authorized"), answer
        order_pk = _pk("Order", request.order)
        mine = [row for row in made if row.order_id == order_pk]
        live = [row for row in mine if row.status in ("succeeded", "authorized")]
        assert [ids.encode("Payment", row.id) for row in live] == [answer["id"]], mine
        others = {(row.status, row.failure_code) for row in mine if row not in live}
        assert others <= {("failed", "not_charged")}, others
        assert statuses[order_pk] == ("paid" if captured else "pending")


HELD_LEASE = 4.0  # outlives the restart, so the start-up round leaves the stranded row alone
HELD_ENV = {
    "SHOPGRAPH_WRITE_LEASE_SECONDS": str(HELD_LEASE),
    # Only the start-up round: the test runs the next round itself, as another process would.
    "SHOPGRAPH_RECONCILE_EVERY_SECONDS": "3600",
    "SHOPGRAPH_SANDBOX_LATENCY_SECONDS": "0.6",
}


async def _row(services: Services, table: Any, where: Any) -> Any:
    async with services.database.engine.connect() as db:
        return (await db.execute(select(table).where(where))).first()


async def _until(moment: Any) -> None:
    """Sleep until just past `moment`, a time the server wrote (UTC)."""
    await asyncio.sleep(max(0.0, (moment - utcnow()).total_seconds() + 0.2))


async def _at_provider(services: Services, table: Any, where: Any) -> list[tuple[str, int]]:
    """What the provider did under the keys of `table`'s rows matching `where`."""
    async with services.database.engine.connect() as db:
        found = await db.execute(
            select(sandbox_calls.c.outcome, sandbox_calls.c.amount)
            .join(table, table.c.provider_key == sandbox_calls.c.key)
            .where(where)
        )
        return [(outcome, amount) for outcome, amount in found]


@pytest.mark.parametrize("kind", ["payment", "refund"])
async def test_a_resumed_write_held_up_past_its_lease_moves_money_once(
    database_url: str, services: Services, unique: str, kind: str
) -> None:
    """A keyed payment (or refund) killed before the provider was asked, resumed by a retry
    that then waits on a row lock longer than the lease, while a reconciliation round runs.

    The lease is what keeps reconciliation off a row a request is working on; the retry
    must still charge (refund) at most once, and the books must say what the provider did.
    """
    if services.database.is_sqlite:
        pytest.skip("holding one request on a row lock needs PostgreSQL (SQLite locks it all)")
    process = ServerProcess(database_url, env=HELD_ENV, tier="enterprise")
    try:
        server = process.start()
        async with _client(server) as http:
            product = await _product(http, f"HL-{unique}", 5)
            customer = await _created(
                http, "/v1/customers", {"email": f"hl.{unique}@example.com", "name": "H"}
            )
            order = await _created(http, "/v1/orders", _placement(customer, product))
            if kind == "payment":
                table, parent = payments, payments.c.order_id == _pk("Order", order)
                payment_pk = None
                request = Keyed(kind, f"/v1/orders/{order}/payments", {"source": "tok_visa"}, "")
            else:
                paid = await _created(http, f"/v1/orders/{order}/payments", {"source": "tok_visa"})
                payment_pk = _pk("Payment", paid)
                table, parent = refunds, refunds.c.payment_id == payment_pk
                request = Keyed(kind, f"/v1/payments/{paid}/refunds", {"amount": 100}, "")
            request.key = f"hl-{kind}-{uuid.uuid4()}"
            first = asyncio.create_task(request.send(http))
            for _ in range(1000):  # SIGKILL as soon as it is booked, before the provider hears
                booked = await _row(services, table, parent)
                if booked is not None:
                    break
                await asyncio.sleep(0.005)
            await asyncio.to_thread(process.kill)
            with pytest.raises(httpx.TransportError):
                await first
        assert booked is not None, "the write was never booked"
        assert await _at_provider(services, table, parent) == [], "killed too late"
        await asyncio.to_thread(process.start)
        booked = await _row(services, table, table.c.id == booked.id)
        assert booked.status == "processing", "the start-up round settled it: lease too short"
        await _until(booked.lease_expires_at)

        answers: list[httpx.Response] = []
        round_ = None
        async with services.database.engine.connect() as lock, _client(server) as http:
            # Another transaction holds the payment's row, as a capture or refund would.
            await lock.begin()
            await lock.execute(
                select(payments.c.id)
                .where(payments.c.id == (payment_pk or booked.id))
                .with_for_update()
            )
            key_row = await _row(services, idempotency_keys, idempotency_keys.c.key == request.key)
            held = asyncio.create_task(request.send(http))
            for _ in range(1000):  # the retry has taken the key over, and waits on the row
                taken = await _row(services, idempotency_keys, idempotency_keys.c.id == key_row.id)
                if taken.lease_token != key_row.lease_token:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(HELD_LEASE + 0.5)
            await lock.rollback()
            for _ in range(2000):  # the retry has resumed the row with a lease of its own
                resumed = await _row(services, table, table.c.id == booked.id)
                if resumed.lease_expires_at != booked.lease_expires_at:
                    break
                await asyncio.sleep(0.002)
            round_ = await reconcile(services)  # the next round of any server process
            answers.append(await held)
            deadline = time.monotonic() + IN_PROGRESS_FOR
            while answers[-1].status_code != 201 and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                answers.append(await request.send(http))
        told = [(a.status_code, a.json().get("detail") or a.json()["status"]) for a in answers]
        done = await _at_provider(services, table, parent)
        moved = [amount for outcome, amount in done if outcome in ("succeeded", "refunded")]
        expected = [420] if kind == "payment" else [100]
        assert moved == expected, (
            f"the provider moved {moved} under this one key (expected {expected}); the retries "
            f"were told {told}; reconciliation: {round_}"
        )
        assert answers[-1].status_code == 201, told
        await assert_provider_agrees(services)
        await assert_money_invariants(services)
    finally:
        process.kill()

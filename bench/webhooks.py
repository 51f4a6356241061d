"""Webhooks (issue 12): how fast `shopgraph worker` processes deliver, and what the events
outbox adds to an order write, on PostgreSQL, in one run (docs/benchmarks.md).

    .venv/bin/python bench/webhooks.py            # 3 drains of 5,000 events; 4 x 1,000 writes
    .venv/bin/python bench/webhooks.py --quick    # 1 drain of 500 events; 100 writes

Creates a uniquely named PostgreSQL database (dropped afterwards), migrates and seeds it
with the project's CLI, and runs two parts:

1. Throughput. A receiver in a process of its own (this file, `--receiver PORT`: a bare
   asyncio HTTP/1.1 server answering 204, keep-alive, counting `webhook-id`s) behind one
   webhook endpoint (or `--delivery-endpoints`). Each drain writes `--events` events into
   the outbox from this process (`emit`, batches of 500 in one transaction each) while
   the endpoint's breaker is held open, so no worker delivers yet; the first drain then
   starts the `shopgraph worker` processes and waits until each one says it is
   delivering. The hold is lifted and the clock runs until every delivery is 'succeeded'
   (the table polled every 0.2 s): events per second. The receiver must have got every
   event once; duplicates count.
2. The outbox's cost on a write. POST /v1/orders (two lines), one request at a time, in
   this process over httpx.ASGITransport (as the tests call the app: no HTTP server, no
   socket), in four variants: `emit` replaced by a no-op (the write without its outbox),
   the normal code with no endpoint listening (the event row), with 1 and with
   `--endpoints` listening endpoints (the event row and a delivery row per endpoint).
   The variants alternate in rounds, their order rotating every round; the workers are
   stopped meanwhile. Reported: median and p99 of each, and their ratio to the no-op.

The bench runs VACUUM ANALYZE after seeding, after each fill and before part 2, outside
the measured windows: what autovacuum does on a server with its defaults (see `vacuum`).

CPU seconds beside every figure, from /proc: this process (the load generator; in part 2
also the app itself), each worker, the receiver, the PostgreSQL backends of the bench
database, every local `postgres` process, and whatever else the machine ran ("other").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import math
import os
import shlex
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from unittest import mock

import asyncpg
import benchdb
import httpx
import orjson
import procstat
from http_bench import _default_shopgraph, announce, console, fail
from peers import busy_before, libpq_url, print_idle, shopgraph_env, wait_quiet
from rich.table import Table
from serverproc import HOST, ChildServer, ServerFailed, free_port
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.auth import tokens
from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.events.outbox import emit
from shopgraph.resolvers import emitting, ordering
from shopgraph.settings import Settings

ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
FULL: dict[str, int] = {"events": 5_000, "drains": 3, "rounds": 40, "per_round": 25}
FULL |= {"warmup": 20}
QUICK: dict[str, int] = {"events": 500, "drains": 1, "rounds": 5, "per_round": 5, "warmup": 3}
SEED = {"customers": 50, "products": 40, "orders": 200}
EMIT_BATCH = 500  # events per transaction when filling the outbox
POLL_SECONDS = 0.2
THROUGHPUT_TYPE = "product.updated"  # what the throughput endpoint listens for
ORDER_TYPE = "order.created"  # what the latency endpoints listen for
NO_OUTBOX = "no outbox"
ADMIN = Principal(kind="api_key", id="key_bench-admin", scopes=frozenset({"admin"}), tier="free")
CLOCK_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
NOTE = (
    "Everything shares this machine's cores: the load generator (this process: in part 2 "
    "it also runs the app in process), the workers, the receiver and PostgreSQL. 'other' "
    "is CPU that none of them used (another user's processes, the kernel's own work)."
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Webhook delivery throughput of `shopgraph worker` processes, and the "
        "outbox's cost on an order write, on PostgreSQL (see docs/benchmarks.md).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-test the harness: {drains} drain of {events} events; {rounds} rounds "
        "of {per_round} writes per variant".format(**QUICK),
    )
    parser.add_argument("--events", type=int, help=f"events per drain (default {FULL['events']})")
    parser.add_argument("--drains", type=int, help=f"default {FULL['drains']}")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=16,
        help="SHOPGRAPH_WEBHOOK_CONCURRENCY of each worker (default 16, the server's default)",
    )
    parser.add_argument(
        "--delivery-endpoints",
        type=int,
        default=1,
        help="endpoints the throughput events go to, each one a delivery (default 1)",
    )
    parser.add_argument(
        "--endpoints",
        type=int,
        default=10,
        help="listening endpoints of the last write variant (default 10)",
    )
    parser.add_argument("--rounds", type=int, help=f"write rounds (default {FULL['rounds']})")
    parser.add_argument(
        "--per-round",
        type=int,
        help=f"writes per variant per round (default {FULL['per_round']})",
    )
    parser.add_argument(
        "--warmup", type=int, help=f"unmeasured writes per variant (default {FULL['warmup']})"
    )
    parser.add_argument(
        "--drain-timeout", type=float, default=600.0, help="seconds a drain may take (600)"
    )
    parser.add_argument(
        "--admin-url",
        default=ADMIN_URL,
        help=f"a PostgreSQL server to create the bench database on (default: "
        f"{benchdb.display(ADMIN_URL)})",
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="do not drop the database afterwards"
    )
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="skip the VACUUM ANALYZE after seeding, after each fill and before part 2 (with "
        "autovacuum off, plans cached while a table was empty stay in use: see the docstring)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each part, wait up to this long for a quiet machine (default 0: no wait)",
    )
    parser.add_argument(
        "--part",
        choices=("both", "throughput", "writes"),
        default="both",
        help="run part 1 (throughput), part 2 (writes) or both (default)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results here")
    parser.add_argument(
        "--shopgraph",
        default=_default_shopgraph(),
        help="the shopgraph command (default: the one beside this Python)",
    )
    parser.add_argument("--receiver", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.receiver is not None:
        return args
    preset = QUICK if args.quick else FULL
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("events", "drains", "workers", "concurrency", "delivery_endpoints"):
        if not 0 < getattr(args, name) <= 1_000_000:
            parser.error(f"--{name.replace('_', '-')} must be a positive number")
    for name in ("endpoints", "rounds", "per_round"):
        if not 0 < getattr(args, name) <= 100_000:
            parser.error(f"--{name.replace('_', '-')} must be a positive number")
    if benchdb.kind(args.admin_url) != "postgresql":
        parser.error("the workers need PostgreSQL: pass a postgresql+asyncpg:// URL")
    return args


# --- the receiver (a process of its own) ---------------------------------------------


class Tally:
    """What the receiver got: every `webhook-id`, and when the first and last arrived."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.received = 0
        self.bytes = 0
        self.ids: set[tuple[str, str]] = set()  # (path: the endpoint, webhook-id)
        self.first: float | None = None
        self.last: float | None = None

    def got(self, path: str, webhook_id: str, size: int) -> None:
        # Linux's CLOCK_MONOTONIC is one clock for every process: the bench compares it.
        now = time.monotonic()
        self.first = self.first or now
        self.last = now
        self.received += 1
        self.bytes += size
        self.ids.add((path, webhook_id))

    def report(self, path: str) -> bytes:
        if path == "/ids":
            return orjson.dumps(sorted({webhook_id for _path, webhook_id in self.ids}))
        stats = {
            "received": self.received,
            "distinct": len(self.ids),
            "bytes": self.bytes,
            "first": self.first,
            "last": self.last,
        }
        if path == "/reset":
            self.reset()
        return orjson.dumps(stats)


class Receiving(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, as little of it as the dispatcher's client needs: a POST
    with a Content-Length is a delivery (answered 204); GET /stats, /ids, /reset report."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return  # the rest of the body is still on its way
            del self.buffer[: end + 4 + length]
            method, path = lines[0].split(" ")[:2]
            assert self.transport is not None
            if method == "POST":
                self.tally.got(path, headers.get("webhook-id", ""), length)
                self.transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            else:
                body = self.tally.report(path)
                self.transport.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(body), body)
                )


async def serve_receiver(port: int) -> None:
    tally = Tally()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Receiving(tally), HOST, port, backlog=1024)
    async with server:
        await server.serve_forever()


def run_receiver(port: int) -> int:
    try:
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(serve_receiver(port))
    return 0


# --- CPU -----------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of one process so far (None once it is gone)."""
    process = procstat._read_stat(pid)
    return None if process is None else process.ticks / CLOCK_TICK


@dataclass(frozen=True, slots=True)
class Reading:
    """CPU seconds so far, by role, and of each backend of the bench database."""

    seconds: dict[str, float]
    backends: dict[int, float]


# Roles, in the order the tables show them.
BENCH, METER, RECEIVER, BACKENDS, POSTGRES, OTHER = (
    "bench",
    "meter",
    "receiver",
    "pg backends",
    "postgres",
    "other",
)


class Meter:
    """Reads CPU counters; its own reading time is kept apart from the load generator's."""

    def __init__(self, database: str, admin: Any) -> None:
        self.database = database
        self.admin = admin  # an asyncpg connection to the `postgres` database
        self.processes: dict[str, int] = {}  # role -> pid (workers, receiver)
        self.overhead = 0.0

    async def read(self) -> Reading:
        started = time.process_time()
        rows = await self.admin.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1", self.database
        )
        backends = {
            row["pid"]: used for row in rows if (used := _cpu_seconds(row["pid"])) is not None
        }
        seconds = {role: _cpu_seconds(pid) or 0.0 for role, pid in self.processes.items()}
        whole = procstat.cpu_times(os.getpid(), count_postgres=True)
        if whole is not None:
            seconds[POSTGRES] = whole.database
            seconds["machine"] = whole.machine
        ended = time.process_time()
        self.overhead += ended - started
        seconds[BENCH] = ended - self.overhead
        seconds[METER] = self.overhead
        return Reading(seconds, backends)


def window(earlier: Reading, later: Reading) -> dict[str, float]:
    """CPU seconds used between two readings, by role; 'other' is the machine's rest."""
    used = {
        role: value - earlier.seconds.get(role, 0.0)
        for role, value in later.seconds.items()
        if role != "machine"
    }
    used[BACKENDS] = sum(
        value - earlier.backends.get(pid, 0.0) for pid, value in later.backends.items()
    )
    if "machine" in later.seconds:
        machine = later.seconds["machine"] - earlier.seconds["machine"]
        known = sum(value for role, value in used.items() if role != BACKENDS)
        used[OTHER] = max(0.0, machine - known)
    return used


def add(total: dict[str, float], more: Mapping[str, float]) -> None:
    for role, value in more.items():
        total[role] = total.get(role, 0.0) + value


def _roles(cpu: Mapping[str, float]) -> list[str]:
    first = [BENCH, *sorted(r for r in cpu if r.startswith("worker")), RECEIVER, BACKENDS]
    return [r for r in [*first, POSTGRES, METER, OTHER] if r in cpu]


def cpu_text(cpu: Mapping[str, float], seconds: float) -> str:
    """`bench 1.23 s (45 %)  worker 1 ...`: seconds, and % of one core over the window."""
    return "  ".join(
        f"{role} {cpu[role]:.2f} s ({100 * cpu[role] / seconds:.0f} %)" for role in _roles(cpu)
    )


# --- the bench database and the app in this process ----------------------------------


@dataclass(slots=True)
class Bench:
    args: argparse.Namespace
    url: str
    database: str
    env: dict[str, str]
    services: Services
    http: httpx.AsyncClient
    meter: Meter
    customers: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


def bench_url(admin_url: str) -> tuple[str, str]:
    name = f"shopgraph_bench_webhooks_{uuid.uuid4().hex[:10]}"
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


async def start_app(url: str, env: Mapping[str, str]) -> tuple[Services, httpx.AsyncClient]:
    settings = Settings(
        database_url=url,
        secret_key=env["SHOPGRAPH_SECRET_KEY"],
        rate_limit="off",
        log_level="warning",
        webhooks_allow_private=True,  # the receiver is on loopback, over plain http
        webhook_dispatcher="off",
    )
    services = Services(settings)
    await services.start()
    app = create_app(settings, migrate=False)
    app.state.services = services
    token = tokens.issue(services.secret_key, ADMIN, timedelta(hours=12))
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://bench",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    return services, http


async def _json(response: httpx.Response, expected: int = 200) -> Any:
    if response.status_code != expected:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return response.json()


async def stock_up(bench: Bench) -> None:
    """The customers and products the orders use; stock that no order run exhausts (and
    that never falls low: a low-stock event would add to some writes only)."""
    listed = await _json(await bench.http.get("/v1/customers", params={"limit": 20}))
    bench.customers = [item["id"] for item in listed["data"]]
    listed = await _json(await bench.http.get("/v1/products", params={"limit": 20}))
    bench.products = [item["id"] for item in listed["data"]]
    for product in bench.products:
        await _json(
            await bench.http.post(
                f"/v1/products/{product}/inventory/adjustments",
                json={"delta": 1_000_000, "reason": "bench stock", "kind": "receipt"},
            ),
            201,
        )


async def make_endpoint(bench: Bench, url: str, event_type: str) -> int:
    made = await _json(
        await bench.http.post(
            "/v1/webhook-endpoints", json={"url": url, "event_types": [event_type]}
        ),
        201,
    )
    pk = ids.decode("WebhookEndpoint", made["id"])
    assert pk is not None
    return pk


async def vacuum(bench: Bench) -> None:
    """VACUUM ANALYZE the bench database, outside every measured window.

    What autovacuum would have done meanwhile on a server with its defaults. Without it
    (this machine's PostgreSQL runs with autovacuum off), the fresh tables are never
    analyzed: plans a long-lived connection cached while `events` was nearly empty stay
    valid, and each delivery row's foreign-key check scans all of `events` (an order
    write with 10 listening endpoints took +10 ms instead of +1; `--no-vacuum` shows it).
    """
    if bench.args.no_vacuum:
        return
    connection = await asyncpg.connect(libpq_url(bench.url))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def sql(bench: Bench, statement: str, **params: Any) -> Any:
    async with bench.services.database.transaction() as db:
        result = await db.execute(text(statement), params)
        return result.all() if result.returns_rows else None


# --- part 1: delivery throughput -----------------------------------------------------


@dataclass(slots=True)
class Drain:
    number: int
    events: int
    deliveries: int
    emit_seconds: float
    seconds: float  # hold lifted -> every delivery 'succeeded' (seen by a poll)
    first_receipt_after: float | None  # seconds from the hold's end to the first receipt
    receiver_seconds: float | None  # hold lifted -> the receiver's last receipt
    received: int
    distinct: int
    duplicates: int
    missing: int
    unexpected: int
    failed_attempts: int
    status: dict[str, int]
    cpu: dict[str, float]
    updates_per_delivery: float | None
    commits_per_delivery: float | None

    @property
    def events_per_second(self) -> float:
        return self.deliveries / self.seconds

    @property
    def receiver_events_per_second(self) -> float | None:
        return self.deliveries / self.receiver_seconds if self.receiver_seconds else None

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "events_per_second": round(self.events_per_second, 1),
            "receiver_events_per_second": self.receiver_events_per_second,
            "cpu": {role: round(value, 3) for role, value in self.cpu.items()},
        }


def start_receiver(stack: ExitStack, workdir: Path) -> ChildServer:
    port = free_port()
    receiver = stack.enter_context(
        ChildServer(
            "the receiver",
            [sys.executable, str(Path(__file__).resolve()), "--receiver", str(port)],
            dict(os.environ),
            workdir / "receiver.log",
            port=port,
            local_postgres=False,
        )
    )
    receiver.wait_ready(30, lambda client: client.get("/stats").status_code == 200)
    return receiver


def start_workers(
    stack: ExitStack, args: argparse.Namespace, env: dict[str, str], workdir: Path
) -> list[ChildServer]:
    """`shopgraph worker` processes, each delivering (it says so on its output)."""
    worker_env = {
        **env,
        "SHOPGRAPH_WEBHOOKS_ALLOW_PRIVATE": "true",
        "SHOPGRAPH_WEBHOOK_CONCURRENCY": str(args.concurrency),
    }
    workers = []
    for n in range(1, args.workers + 1):
        port = free_port()  # its metrics; unused here
        command = [*shlex.split(args.shopgraph), "worker", "--metrics-port", str(port)]
        workers.append(
            stack.enter_context(
                ChildServer(
                    f"worker {n}",
                    command,
                    worker_env,
                    workdir / f"worker{n}.log",
                    port=port,
                    local_postgres=True,
                )
            )
        )
    for worker in workers:
        worker.wait_ready(120, delivering(worker))
    return workers


def delivering(worker: ChildServer) -> Callable[[httpx.Client], bool]:
    """A readiness probe: the worker has said it is delivering (its dispatcher runs)."""
    return lambda _client: "delivering webhooks" in worker.log_tail()


async def hold(bench: Bench, endpoints: Sequence[int], held: bool) -> None:
    """Open (or close) the endpoints' breakers: a worker claims nothing for an endpoint
    whose breaker is open, and `emit` owes it deliveries all the same."""
    until = "now() + interval '1 day'" if held else "NULL"
    await sql(
        bench,
        f"UPDATE webhook_endpoints SET breaker_open_until = {until} WHERE id = ANY(:pks)",
        pks=list(endpoints),
    )


async def fill(bench: Bench, count: int, resources: Sequence[dict[str, Any]]) -> None:
    """`count` events, EMIT_BATCH per transaction, through the outbox's own `emit`."""
    written = 0
    while written < count:
        async with bench.services.database.transaction() as db:
            for _ in range(min(EMIT_BATCH, count - written)):
                resource = resources[written % len(resources)]
                await emit(db, THROUGHPUT_TYPE, resource, request_id=None)
                written += 1


async def receiver_get(base_url: str, path: str) -> Any:
    async with httpx.AsyncClient(base_url=base_url, trust_env=False, timeout=30) as client:
        response = await client.get(path)
        response.raise_for_status()
        return response.json()


async def table_stats(bench: Bench) -> tuple[int, int]:
    """Updates of webhook_deliveries rows and commits in the bench database, so far."""
    rows = await sql(
        bench,
        "SELECT (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = "
        "'webhook_deliveries'), (SELECT xact_commit FROM pg_stat_database WHERE datname = "
        "current_database())",
    )
    return int(rows[0][0]), int(rows[0][1])


async def drain(
    bench: Bench,
    number: int,
    args: argparse.Namespace,
    endpoints: Sequence[int],
    receiver: ChildServer,
    start: Callable[[], None],
) -> Drain:
    """Fill the outbox while held, (start the workers,) lift the hold, time the drain."""
    resources = [
        await _json(await bench.http.get(f"/v1/products/{product}")) for product in bench.products
    ]
    if args.wait_quiet:  # before the hold: held deliveries keep idle workers polling
        await asyncio.to_thread(wait_quiet, args.wait_quiet)
    await hold(bench, endpoints, True)
    (last_event,) = (await sql(bench, "SELECT coalesce(max(id), 0) FROM events"))[0]
    began = time.perf_counter()
    await fill(bench, args.events, resources)
    emit_seconds = time.perf_counter() - began
    (deliveries,) = (
        await sql(
            bench,
            "SELECT count(*) FROM webhook_deliveries WHERE event_id > :last",
            last=last_event,
        )
    )[0]
    await vacuum(bench)
    console.print(
        f"drain {number}   {args.events:,} events written in {emit_seconds:.1f} s "
        f"({args.events / emit_seconds:,.0f}/s, {EMIT_BATCH} per transaction): "
        f"{deliveries:,} deliveries owed"
    )
    start()
    await receiver_get(receiver.base_url, "/reset")
    (updates0, commits0) = await table_stats(bench)
    before = await bench.meter.read()
    lifted = time.monotonic()
    await hold(bench, endpoints, False)
    deadline = lifted + args.drain_timeout
    status: dict[str, int] = {}
    while True:
        await asyncio.sleep(POLL_SECONDS)
        rows = await sql(
            bench,
            "SELECT status, count(*) FROM webhook_deliveries WHERE event_id > :last "
            "GROUP BY status",
            last=last_event,
        )
        status = {row[0]: int(row[1]) for row in rows}
        if status.get("succeeded", 0) + status.get("failed", 0) >= deliveries:
            break
        if time.monotonic() > deadline:
            raise ServerFailed(f"drain {number} not done after {args.drain_timeout:g} s: {status}")
    seconds = time.monotonic() - lifted
    after = await bench.meter.read()
    await asyncio.sleep(1.0)  # a duplicate would arrive meanwhile; statistics are flushed
    (updates1, commits1) = await table_stats(bench)
    stats = await receiver_get(receiver.base_url, "/stats")
    got = set(await receiver_get(receiver.base_url, "/ids"))
    expected_pks = await sql(bench, "SELECT id FROM events WHERE id > :last", last=last_event)
    expected = {ids.encode("Event", row[0]) for row in expected_pks}
    (failed,) = (
        await sql(
            bench,
            "SELECT count(*) FROM webhook_attempts WHERE event_id > :last "
            "AND (status_code IS NULL OR status_code >= 300)",
            last=last_event,
        )
    )[0]
    return Drain(
        number=number,
        events=args.events,
        deliveries=int(deliveries),
        emit_seconds=emit_seconds,
        seconds=seconds,
        first_receipt_after=stats["first"] - lifted if stats["first"] else None,
        receiver_seconds=stats["last"] - lifted if stats["last"] else None,
        received=stats["received"],
        distinct=stats["distinct"],
        duplicates=stats["received"] - stats["distinct"],
        missing=max(int(deliveries) - stats["distinct"], len(expected - got)),
        unexpected=len(got - expected),
        failed_attempts=int(failed),
        status=status,
        cpu=window(before, after),
        updates_per_delivery=(updates1 - updates0) / int(deliveries),
        commits_per_delivery=(commits1 - commits0) / int(deliveries),
    )


async def throughput(bench: Bench, args: argparse.Namespace, workdir: Path) -> list[Drain]:
    drains: list[Drain] = []
    with ExitStack() as stack:
        receiver = start_receiver(stack, workdir)
        bench.meter.processes[RECEIVER] = receiver.pid
        endpoints = [
            await make_endpoint(bench, f"{receiver.base_url}/hook/{n}", THROUGHPUT_TYPE)
            for n in range(args.delivery_endpoints)
        ]
        workers: list[ChildServer] = []

        def start() -> None:
            if workers:
                return
            began = time.monotonic()
            workers.extend(start_workers(stack, args, bench.env, workdir))
            for n, worker in enumerate(workers, 1):
                bench.meter.processes[f"worker {n}"] = worker.pid
            pids = ", ".join(str(worker.pid) for worker in workers)
            console.print(
                f"workers   {len(workers)} x `shopgraph worker` (pids {pids}), "
                f"{args.concurrency} slots each, delivering {time.monotonic() - began:.1f} s "
                "after their start"
            )

        try:
            for number in range(1, args.drains + 1):
                result = await drain(bench, number, args, endpoints, receiver, start)
                drains.append(result)
                console.print(drain_line(result))
                for worker in workers:
                    if not worker.alive():
                        raise ServerFailed(f"{worker.name} exited:\n{worker.log_tail()}")
        finally:
            for role in [r for r in bench.meter.processes if r != BENCH]:
                del bench.meter.processes[role]
        # Leaving the stack stops the workers (SIGTERM: they finish what is in flight).
    return drains


def drain_line(d: Drain) -> str:
    check = (
        "every event once"
        if not (d.missing or d.unexpected or d.duplicates)
        else (
            f"[red]{d.missing} missing, {d.unexpected} unexpected, {d.duplicates} duplicates[/red]"
        )
    )
    if d.failed_attempts:
        check += f", [red]{d.failed_attempts} failed attempts[/red]"
    return (
        f"drain {d.number}   {d.deliveries:,} deliveries in {d.seconds:.2f} s: "
        f"[bold]{d.events_per_second:,.0f} events/s[/bold] (receiver: last at "
        f"{d.receiver_seconds or 0:.2f} s, first at {d.first_receipt_after or 0:.2f} s); "
        f"{check}\n          CPU {cpu_text(d.cpu, d.seconds)}\n"
        f"          per delivery: {d.updates_per_delivery or 0:.2f} updates of "
        f"webhook_deliveries rows, {d.commits_per_delivery or 0:.2f} commits"
    )


# --- part 2: the outbox's cost on an order write -------------------------------------


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    listening: int  # endpoints listening for order.created
    outbox: bool = True


@dataclass(slots=True)
class Samples:
    variant: Variant
    latencies_ms: list[float] = field(default_factory=list)
    round_p50_ms: list[float] = field(default_factory=list)  # each round's median
    cpu: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of the measured blocks
    failures: int = 0


async def _no_emit(
    db: AsyncConnection, type: str, resource: Mapping[str, Any], *, request_id: str | None
) -> None:
    """The outbox left out: no event row, no delivery rows."""


@contextlib.contextmanager
def outbox(on: bool) -> Iterator[None]:
    with ExitStack() as patches:
        if not on:
            # Every name an order write emits through (the order; low stock events).
            patches.enter_context(mock.patch.object(ordering, "emit", _no_emit))
            patches.enter_context(mock.patch.object(emitting, "emit", _no_emit))
        yield


async def listen(bench: Bench, endpoints: Sequence[int], count: int) -> None:
    await sql(
        bench,
        "UPDATE webhook_endpoints SET enabled = (id = ANY(:on)) WHERE id = ANY(:all)",
        on=list(endpoints[:count]),
        all=list(endpoints),
    )


class Orders:
    """Order bodies: two lines of stocked products, customers in turn."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self.n = 0

    async def place(self) -> tuple[float, bool]:
        customers, products = self.bench.customers, self.bench.products
        n = self.n = self.n + 1
        body = {
            "customer_id": customers[n % len(customers)],
            "lines": [
                {"product_id": products[n % len(products)], "quantity": 1},
                {"product_id": products[(n + 7) % len(products)], "quantity": 2},
            ],
        }
        started = time.perf_counter()
        response = await self.bench.http.post("/v1/orders", json=body)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status_code == 201


async def write_latency(bench: Bench, args: argparse.Namespace, receiver_url: str) -> list[Samples]:
    endpoints = [
        await make_endpoint(bench, f"{receiver_url}/order/{n}", ORDER_TYPE)
        for n in range(args.endpoints)
    ]
    variants = [
        Variant(NO_OUTBOX, 0, outbox=False),
        Variant("outbox, 0 endpoints", 0),
        Variant("outbox, 1 endpoint", 1),
    ]
    if args.endpoints > 1:
        variants.append(Variant(f"outbox, {args.endpoints} endpoints", args.endpoints))
    samples = {v.name: Samples(v) for v in variants}
    orders = Orders(bench)
    for variant in variants:  # warm: plans, connections, the ASGI path
        await listen(bench, endpoints, variant.listening)
        with outbox(variant.outbox):
            for _ in range(args.warmup):
                _elapsed, ok = await orders.place()
                if not ok:
                    raise RuntimeError(f"{variant.name}: an order failed during the warm-up")
    if args.wait_quiet:
        await asyncio.to_thread(wait_quiet, args.wait_quiet)
    console.print(
        f"writes    {args.rounds} rounds x {len(variants)} variants x {args.per_round} "
        f"POST /v1/orders, one at a time, after {args.warmup} warm-up writes per variant"
    )
    for round_index in range(args.rounds):
        shift = round_index % len(variants)
        for variant in [*variants[shift:], *variants[:shift]]:
            await listen(bench, endpoints, variant.listening)
            mine = samples[variant.name]
            with outbox(variant.outbox):
                before = await bench.meter.read()
                began = time.perf_counter()
                block = []
                for _ in range(args.per_round):
                    elapsed, ok = await orders.place()
                    block.append(elapsed)
                    mine.failures += not ok
                mine.seconds += time.perf_counter() - began
                add(mine.cpu, window(before, await bench.meter.read()))
                mine.latencies_ms += block
                mine.round_p50_ms.append(statistics.median(block))
        quarter = max(1, args.rounds // 4)
        if (round_index + 1) % quarter == 0:
            recent = "  ".join(
                f"{s.variant.name} {statistics.median(s.round_p50_ms[-quarter:]):.2f}"
                for s in samples.values()
            )
            console.print(f"          rounds to {round_index + 1}/{args.rounds}, p50 ms: {recent}")
    return list(samples.values())


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def summarize(samples: Sequence[Samples]) -> list[dict[str, Any]]:
    rows = []
    base = next(s for s in samples if s.variant.name == NO_OUTBOX)
    base_p50 = statistics.median(base.latencies_ms)
    base_p99 = percentile(base.latencies_ms, 99)
    for s in samples:
        n = len(s.latencies_ms)
        p50, p99 = statistics.median(s.latencies_ms), percentile(s.latencies_ms, 99)
        rows.append(
            {
                "variant": s.variant.name,
                "listening_endpoints": s.variant.listening,
                "outbox": s.variant.outbox,
                "writes": n,
                "failures": s.failures,
                "p50_ms": round(p50, 3),
                "p90_ms": round(percentile(s.latencies_ms, 90), 3),
                "p99_ms": round(p99, 3),
                "mean_ms": round(statistics.fmean(s.latencies_ms), 3),
                "p50_ratio": round(p50 / base_p50, 3),
                "p99_ratio": round(p99 / base_p99, 3),
                "p50_added_ms": round(p50 - base_p50, 3),
                "p99_added_ms": round(p99 - base_p99, 3),
                # The ratio of the round's medians, paired within each round: its median.
                "paired_p50_ratio": round(
                    statistics.median(
                        mine / theirs
                        for mine, theirs in zip(s.round_p50_ms, base.round_p50_ms, strict=True)
                    ),
                    3,
                ),
                "round_p50_ms": [round(value, 3) for value in s.round_p50_ms],
                "seconds": round(s.seconds, 3),
                "cpu_seconds": {role: round(value, 3) for role, value in s.cpu.items()},
                "cpu_ms_per_write": {
                    role: round(value * 1000 / n, 3) for role, value in s.cpu.items()
                },
            }
        )
    return rows


def print_writes(rows: Sequence[dict[str, Any]]) -> None:
    table = Table(
        title="POST /v1/orders in process, one at a time (all rounds pooled)",
        title_justify="left",
    )
    columns = ["variant", "writes", "p50 ms", "p99 ms", "p50 ratio", "paired", "p99 ratio"]
    columns += ["+p50 ms"]
    columns += ["bench CPU ms/w", "pg backends ms/w", "postgres ms/w", "other ms/w"]
    for column in columns:
        table.add_column(column, justify="left" if column == "variant" else "right")
    for row in rows:
        per = row["cpu_ms_per_write"]
        failed = f" [red]({row['failures']} failed)[/red]" if row["failures"] else ""
        table.add_row(
            row["variant"] + failed,
            f"{row['writes']:,}",
            f"{row['p50_ms']:.2f}",
            f"{row['p99_ms']:.2f}",
            f"{row['p50_ratio']:.3f}",
            f"{row['paired_p50_ratio']:.3f}",
            f"{row['p99_ratio']:.3f}",
            f"{row['p50_added_ms']:+.2f}",
            f"{per.get(BENCH, 0):.2f}",
            f"{per.get(BACKENDS, 0):.2f}",
            f"{per.get(POSTGRES, 0):.2f}",
            f"{per.get(OTHER, 0):.2f}",
        )
    console.print(table)
    console.print(
        f"'{NO_OUTBOX}': `emit` patched to a no-op in this process (shopgraph.resolvers."
        "ordering and .emitting), so the write makes neither its event row nor delivery rows. "
        "Ratios and +ms: against it, over all rounds pooled; 'paired': the median over the "
        "rounds of the ratio of each round's medians. CPU per write: bench = this process "
        "(the app and the client, httpx.ASGITransport); pg backends = the bench database's "
        "PostgreSQL backends; postgres = every local postgres process (WAL writer, "
        "checkpointer too)."
    )
    for row in rows:
        console.print(f"  {row['variant']:<22} CPU {cpu_text(row['cpu_seconds'], row['seconds'])}")


# --- main ----------------------------------------------------------------------------


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


async def run(args: argparse.Namespace, workdir: Path, report: dict[str, Any]) -> bool:
    url, name = bench_url(args.admin_url)
    shopgraph = shlex.split(args.shopgraph)
    await benchdb.create_postgres_database(url)
    console.print(f"database  created {benchdb.display(url)}")
    report["database"] = {"url": benchdb.display(url), "seed": SEED}
    admin = await asyncpg.connect(libpq_url(args.admin_url))
    services: Services | None = None
    http: httpx.AsyncClient | None = None
    try:
        env = shopgraph_env(url)
        await asyncio.to_thread(benchdb.shopgraph_cli, shopgraph, ["db", "upgrade"], env)
        seed = ["seed", *(f"--{k}={v}" for k, v in SEED.items()), "--seed", "42"]
        await asyncio.to_thread(benchdb.shopgraph_cli, shopgraph, seed, env)
        version = await admin.fetchval("SHOW server_version")
        report["database"]["postgresql"] = version
        console.print(f"database  PostgreSQL {version}, seeded with {SEED}")
        services, http = await start_app(url, env)
        bench = Bench(args, url, name, env, services, http, Meter(name, admin))
        await stock_up(bench)
        autovacuum = await admin.fetchval("SHOW autovacuum")
        report["database"]["autovacuum"] = autovacuum
        console.print(
            f"database  autovacuum {autovacuum}; "
            + (
                "no VACUUM ANALYZE by the bench (--no-vacuum)"
                if args.no_vacuum
                else "the bench runs VACUUM ANALYZE after seeding, after each fill and "
                "before part 2, outside the measured windows"
            )
        )
        await vacuum(bench)
        print_idle(await asyncio.to_thread(busy_before))
        ok = True
        if args.part in ("both", "throughput"):
            console.rule("part 1: delivery throughput")
            drains = await throughput(bench, args, workdir)
            report["drains"] = [d.as_dict() for d in drains]
            rates = [d.events_per_second for d in drains]
            report["events_per_second_median"] = statistics.median(rates)
            console.print(
                f"throughput: median {statistics.median(rates):,.0f} events delivered/s over "
                f"{len(rates)} drain(s) of {drains[0].deliveries:,} deliveries "
                f"({', '.join(f'{r:,.0f}' for r in rates)}); {args.workers} workers x "
                f"{args.concurrency} slots, {args.delivery_endpoints} endpoint(s)"
            )
            ok = not any(
                d.missing or d.unexpected or d.duplicates or d.failed_attempts for d in drains
            )
        if args.part in ("both", "writes"):
            console.rule("part 2: the outbox's cost on an order write")
            await vacuum(bench)
            samples = await write_latency(bench, args, f"http://{HOST}:9")
            rows = summarize(samples)
            report["writes"] = rows
            print_writes(rows)
            ok = ok and not any(row["failures"] for row in rows)
        return ok
    finally:
        if http is not None:
            await http.aclose()
        if services is not None:
            await services.close()
        try:
            if not args.keep_database:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                console.print(f"database  dropped {name}")
        finally:
            await admin.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.receiver is not None:
        return run_receiver(args.receiver)
    signal.signal(signal.SIGTERM, _on_sigterm)
    started, started_at = time.monotonic(), datetime.now(UTC)
    command, machine = announce("webhooks (issue 12)")
    if not procstat.available():
        console.print("[yellow]no /proc: CPU will not be measured[/yellow]")
    report: dict[str, Any] = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "command": command,
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": machine,
        "versions": {"shopgraph": importlib.metadata.version("shopgraph")},
        "note": NOTE,
    }
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-webhooks-"))
    try:
        ok = asyncio.run(run(args, workdir, report))
    except (ServerFailed, RuntimeError) as error:
        fail(str(error))
    except KeyboardInterrupt:
        console.print("[red]interrupted[/red]")
        return 130
    finally:
        with contextlib.suppress(OSError):
            for path in workdir.iterdir():
                path.unlink()
            workdir.rmdir()
    console.print(f"[yellow]note:[/yellow] {NOTE}")
    elapsed = time.monotonic() - started
    console.print(f"run took {elapsed / 60:.1f} min")
    report["seconds"] = round(elapsed, 1)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
        console.print(f"results written to {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""One `shopgraph serve` process on the peers' database, and a way to load it with wrk.

What `bench/profile.py` and `bench/memory.py` share: the server as `bench/peers.py` starts
it, a fresh admin key and access token, and one of the peers' workloads run by wrk exactly
as the peers' runs are.
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import benchdb
import peer_tools
import procstat
from http_bench import _default_shopgraph, access_token, console
from peer_workloads import PRODUCTS, SHOPGRAPH, Plan, build
from peers import FULL, first_product_pks, shopgraph_env
from serverproc import Server
from wrkload import WrkResult, run_wrk

from shopgraph import ids

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_bench"
WORKLOADS = ("Q", "S", "rest_product", "rest_orders_50")


@dataclass
class Loaded:
    """A running server and the workload to send it."""

    server: Server
    plan: Plan
    wrk: str
    workdir: Path
    connections: int

    def load(self, seconds: float) -> WrkResult:
        """One wrk run of `seconds`; prints its rate and the server's CPU per request."""

        def probe() -> procstat.CpuTimes | None:
            return procstat.cpu_times(self.server.pid, count_postgres=True)

        result = run_wrk(
            self.wrk, self.server.base_url, self.plan.requests, self.plan.headers,
            connections=self.connections, duration=seconds, timeout=30,
            cpu_probe=probe, workdir=self.workdir,
        )  # fmt: skip
        rate = result.requests / result.seconds
        cpu = result.cpu.server / result.requests * 1000 if result.cpu else float("nan")
        console.print(
            f"wrk: {result.requests:,} requests, {rate:,.1f} req/s, server {cpu:.2f} ms "
            f"CPU/request, {result.failures} failures"
        )
        return result


@contextmanager
def loaded_server(
    workload: str,
    *,
    database_url: str = DEFAULT_URL,
    connections: int = 16,
    shopgraph: str | None = None,
) -> Iterator[Loaded]:
    """The server, started on `database_url` (seeded by `bench/peers.py`), ready to load."""
    command = shlex.split(shopgraph or _default_shopgraph())
    wrk = peer_tools.ensure_wrk(console.print)
    env = shopgraph_env(database_url)
    counts, _version = benchdb.facts(database_url)
    expected = (FULL["customers"], FULL["products"], FULL["orders"])
    if (counts.customers, counts.products, counts.orders) != expected:
        console.print(f"[yellow]the database holds {counts}; bench/peers.py seeds {expected}")
    key = benchdb.admin_key(command, env)
    ids.configure(benchdb.id_key(database_url, env))
    pks = asyncio.run(first_product_pks(database_url, PRODUCTS))
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-bench-"))
    try:
        with Server(command, 1, env, workdir / "server.log", local_postgres=True) as server:
            server.wait_healthy(timeout=120)
            token = asyncio.run(access_token(server.base_url, key))
            chosen = next(
                w for w in build(pks, {pk: "" for pk in pks}, token) if w.name == workload
            )
            yield Loaded(server, chosen.plans[SHOPGRAPH], wrk, workdir, connections)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

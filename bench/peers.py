"""shopgraph against its peers, in one run, on one PostgreSQL database (docs/benchmarks.md).

    .venv/bin/python bench/peers.py            # the full run: ~15 minutes
    .venv/bin/python bench/peers.py --quick    # a tiny data set and short runs: a smoke test

Starts three servers side by side on the same database, each one process: shopgraph
(`shopgraph serve`), PostGraphile v5 (amber preset, on a Node.js 22 from the npm
registry) and a bare Starlette + asyncpg + orjson floor app (bench/floor_app.py). Checks
that they answer the same data, then loads them with wrk (-t1, 16 connections) in
interleaved rounds and prints the medians and shopgraph's ratio to each peer.

Workloads: Q (the nested orders query) and S (one product by id) over GraphQL, shopgraph
vs PostGraphile; `GET /v1/products/{id}`, shopgraph vs the floor; `GET /v1/orders?limit=50`,
shopgraph alone. What it fetches (wrk, Node.js, npm, PostGraphile) is pinned; see
bench/peer_tools.py.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import benchdb
import httpx
import orjson
import peer_tools
import procstat
from http_bench import (
    _counts_text,
    _default_shopgraph,
    access_token,
    announce,
    console,
    counts_dict,
    fail,
    prepare_database,
)
from peer_workloads import (
    FLOOR,
    POSTGRAPHILE,
    POSTGRAPHILE_PRODUCT_IDS_QUERY,
    PRODUCTS,
    SHOPGRAPH,
    TARGETS,
    Answer,
    CheckFailed,
    Plan,
    Workload,
    ask,
    build,
    compare,
)
from rich.table import Table
from serverproc import ChildServer, Server, ServerFailed, free_port
from sqlalchemy.engine import make_url
from wrkload import WrkFailed, WrkResult, run_wrk

from shopgraph import ids

BENCH = Path(__file__).resolve().parent
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_bench"
QUICK_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_bench_quick"
FULL: dict[str, int | float] = {"customers": 10_000, "products": 2_000, "orders": 100_000}
FULL |= {"rounds": 3, "duration": 20.0, "warmup": 5.0}
QUICK: dict[str, int | float] = {"customers": 200, "products": 200, "orders": 1_000, "rounds": 1}
QUICK |= {"duration": 2.0, "warmup": 1.0}
BUSY = 10  # % of a core taken by other processes above which a figure is flagged
LABELS = {SHOPGRAPH: "shopgraph", POSTGRAPHILE: "PostGraphile", FLOOR: "floor"}
NOTE = (
    "wrk, the servers and PostgreSQL share this machine's cores: 'wrk CPU %' is what the "
    "load generator took from them, 'other CPU %' what anything else took."
)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="shopgraph against PostGraphile v5 and a bare Starlette + asyncpg app, "
        "on one PostgreSQL database, loaded by wrk in interleaved rounds "
        "(see docs/benchmarks.md).",
    )
    parser.add_argument(
        "--database-url",
        help=f"a PostgreSQL URL (default: {benchdb.display(DEFAULT_URL)}, created and seeded "
        "on first use, reused while it holds the same counts; --quick: "
        f"{make_url(QUICK_URL).database})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-test the harness: {customers} customers, {products} products, {orders} "
        "orders, {rounds} round of {duration:g} s after {warmup:g} s".format(**QUICK),
    )
    parser.add_argument("--rounds", type=int, help=f"default {FULL['rounds']}")
    parser.add_argument(
        "--duration", type=float, help=f"measured seconds per run (default {FULL['duration']:g})"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        help=f"unmeasured seconds before each run (default {FULL['warmup']:g}; 0: none)",
    )
    parser.add_argument("--customers", type=int, help=f"default {FULL['customers']}")
    parser.add_argument("--products", type=int, help=f"default {FULL['products']}")
    parser.add_argument("--orders", type=int, help=f"default {FULL['orders']}")
    parser.add_argument("--seed", type=int, default=42, help="seed of the data (default 42)")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="recreate the database when it holds other counts (else: refuse)",
    )
    parser.add_argument(
        "--connections", type=int, default=16, help="wrk's connections (default 16)"
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="wrk's request timeout (default 30 s)"
    )
    parser.add_argument(
        "--workload",
        action="append",
        choices=list(TARGETS),
        help="run only this workload (repeatable; default: all)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each run, wait up to this long for other processes to leave the machine "
        f"quiet (under {BUSY} %% of a core for 2 s); for shared machines (default 0: no wait)",
    )
    parser.add_argument(
        "--repeat-disturbed",
        type=int,
        default=0,
        metavar="N",
        help=f"measure a run again, up to N times, while other processes took over {BUSY} %% "
        "of a core during it (default 0)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results here")
    parser.add_argument(
        "--shopgraph",
        default=_default_shopgraph(),
        help="the shopgraph command (default: the one beside this Python)",
    )
    args = parser.parse_args(argv)
    preset = QUICK if args.quick else FULL
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("customers", "products", "orders", "rounds", "connections"):
        if not 0 < getattr(args, name) <= 10_000_000:
            parser.error(f"--{name} must be a positive number")
    if not 1 <= args.duration <= 3600 or not 0 <= args.warmup <= 600:
        parser.error("--duration must be 1..3600 s and --warmup 0..600 s")
    if args.orders < 50:
        parser.error("Q and the REST list need at least 50 orders")
    args.database_url = args.database_url or (QUICK_URL if args.quick else DEFAULT_URL)
    if benchdb.kind(args.database_url) != "postgresql":
        parser.error("the peers need PostgreSQL: pass a postgresql+asyncpg:// URL")
    args.workload = list(dict.fromkeys(args.workload or TARGETS))
    return args


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a plain `postgresql://` URL, for asyncpg and for node-postgres."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def first_product_pks(url: str, count: int) -> list[int]:
    connection = await asyncpg.connect(libpq_url(url))
    try:
        rows = await connection.fetch("SELECT id FROM products ORDER BY id LIMIT $1", count)
    finally:
        await connection.close()
    return [int(row["id"]) for row in rows]


def postgraphile_ids(base_url: str, pks: Sequence[int]) -> dict[int, str]:
    """PostGraphile's node ids of these products (the first ones by primary key)."""
    body = orjson.dumps({"query": POSTGRAPHILE_PRODUCT_IDS_QUERY, "variables": {"first": len(pks)}})
    with httpx.Client(base_url=base_url, trust_env=False, timeout=30) as client:
        response = client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    response.raise_for_status()
    found = {
        int(node["rowId"]): node["id"] for node in response.json()["data"]["allProducts"]["nodes"]
    }
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise CheckFailed(f"PostGraphile does not list products {missing[:5]}")
    return found


# --- the servers ---------------------------------------------------------------------


def _graphql_up(client: httpx.Client) -> bool:
    response = client.post(
        "/graphql",
        content=b'{"query":"{ __typename }"}',
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    return response.status_code == 200


def _healthz(client: httpx.Client) -> bool:
    return client.get("/healthz").status_code == 200


@dataclass(slots=True)
class Versions:
    shopgraph: str
    postgraphile: str | None = None
    node: str | None = None
    wrk: str = "?"
    postgresql: str = "?"


def start_servers(
    stack: ExitStack,
    targets: set[str],
    args: argparse.Namespace,
    env: dict[str, str],
    workdir: Path,
    postgraphile: tuple[Path, Path] | None,
    id_key: bytes,
) -> dict[str, ChildServer]:
    """Every server the chosen workloads need, running and ready; stopped by `stack`.

    `postgraphile`: the Node.js binary and PostGraphile's folder, if it is a target.
    """
    servers: dict[str, ChildServer] = {}
    local = benchdb.is_local(args.database_url)
    shop = stack.enter_context(
        Server(shlex.split(args.shopgraph), 1, env, workdir / "shopgraph.log", local_postgres=local)
    )
    servers[SHOPGRAPH] = shop
    if POSTGRAPHILE in targets and postgraphile is not None:
        node, home = postgraphile
        port = free_port()
        servers[POSTGRAPHILE] = stack.enter_context(
            ChildServer(
                "PostGraphile",
                peer_tools.postgraphile_command(node, home),
                peer_tools.postgraphile_env(node, libpq_url(args.database_url), port),
                workdir / "postgraphile.log",
                port=port,
                local_postgres=local,
                cwd=home,
            )
        )
    if FLOOR in targets:
        port = free_port()
        command = [sys.executable, str(BENCH / "floor_app.py")]
        command += ["--database-url", libpq_url(args.database_url), "--port", str(port)]
        servers[FLOOR] = stack.enter_context(
            ChildServer(
                "the floor app",
                command,
                {**os.environ, "SHOPGRAPH_ID_KEY": id_key.hex()},
                workdir / "floor.log",
                port=port,
                local_postgres=local,
            )
        )
    shop.wait_healthy(timeout=120)
    if POSTGRAPHILE in servers:
        servers[POSTGRAPHILE].wait_ready(120, _graphql_up)
    if FLOOR in servers:
        servers[FLOOR].wait_ready(60, _healthz)
    for name, server in servers.items():
        console.print(f"server    {LABELS[name]:<13} pid {server.pid:<8} {server.base_url}")
    return servers


def busy_before(seconds: float = 3.0) -> float | None:
    """How busy the machine is with the servers idle: % of one core over a few seconds."""
    before = procstat.machine_busy_seconds()
    time.sleep(seconds)
    after = procstat.machine_busy_seconds()
    return None if before is None or after is None else 100 * (after - before) / seconds


def wait_quiet(limit: float) -> None:
    """Wait (at most `limit` seconds) until the machine is quiet with every server idle."""
    deadline = time.monotonic() + limit
    waited = False
    while True:
        busy = busy_before(2.0)
        if busy is None or busy <= BUSY:
            break
        if time.monotonic() >= deadline:
            console.print(f"[yellow]still {busy:.0f} % busy after {limit:g} s: going on[/yellow]")
            return
        if not waited:
            console.print(f"[yellow]waiting for a quiet machine ({busy:.0f} % busy)[/yellow]")
            waited = True
        time.sleep(3.0)
    if waited:
        console.print("quiet again")


def print_idle(busy: float | None) -> None:
    if busy is None:
        return
    line = f"machine   {busy:.0f} % of a core busy with every server idle"
    if busy > BUSY:
        line = f"[yellow]{line}: something else is running, figures will be disturbed[/yellow]"
    console.print(line)


def say(message: str) -> None:
    console.print(f"setup     {message}")


def shopgraph_env(url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SHOPGRAPH_REDIS_URL", "SHOPGRAPH_RATE_LIMIT")
    }
    return {
        **env,
        "SHOPGRAPH_DATABASE_URL": url,
        "SHOPGRAPH_LOG_LEVEL": "warning",
        # A server database needs a configured key (src/shopgraph/signing_key.py).
        "SHOPGRAPH_SECRET_KEY": os.environ.get("SHOPGRAPH_SECRET_KEY") or secrets.token_urlsafe(48),
        # The peers limit nothing: no rate limits, and buckets that could never run dry.
        "SHOPGRAPH_RATE_LIMIT": "off",
        "SHOPGRAPH_RATE_LIMIT_TIERS": json.dumps(
            {tier: [10**9, 10**9] for tier in ("anonymous", "free", "standard", "enterprise")}
        ),
        # One access token serves the whole run.
        "SHOPGRAPH_ACCESS_TOKEN_MINUTES": "1440",
    }


# --- checking the answers ------------------------------------------------------------


def check_answers(
    workloads: Sequence[Workload], servers: dict[str, ChildServer]
) -> list[tuple[Workload, list[Answer]]]:
    checked = []
    clients = {
        name: httpx.Client(base_url=server.base_url, trust_env=False, timeout=60)
        for name, server in servers.items()
    }
    try:
        for workload in workloads:
            answers = [
                ask(clients[target], workload.plans[target], target, workload.extract[target])
                for target in workload.targets
            ]
            compare(workload, answers)
            checked.append((workload, answers))
    finally:
        for client in clients.values():
            client.close()
    table = Table(title="answers (each distinct request sent once, before measuring)")
    for column in ("workload", "target", "requests", "bytes", "objects", "values", "check"):
        table.add_column(column, justify="left" if column in ("workload", "target") else "right")
    for workload, answers in checked:
        for answer in answers:
            same = "same bytes" if workload.same_bytes else "same data"
            table.add_row(
                workload.name,
                LABELS[answer.target],
                str(answer.responses),
                f"{answer.mean_bytes:,.0f}",
                f"{answer.objects:,.0f}",
                f"{answer.values:,.0f}",
                "reference" if answer.target == SHOPGRAPH else same,
            )
    console.print(table)
    console.print(
        "bytes, objects, values: per answer, on average (values: strings, numbers, booleans "
        "and nulls); every peer's answer carries the same data as shopgraph's."
    )
    return checked


# --- measuring -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    round: int
    workload: str
    target: str
    result: WrkResult
    warmup_failures: int
    repeats: int = 0  # earlier attempts thrown away because other processes disturbed them


def _rotated(items: Sequence[str], by: int) -> list[str]:
    by %= len(items)
    return [*items[by:], *items[:by]]


def load(
    wrk: str,
    server: ChildServer,
    plan: Plan,
    args: argparse.Namespace,
    seconds: float,
    workdir: Path,
) -> WrkResult:
    return run_wrk(
        wrk,
        server.base_url,
        plan.requests,
        plan.headers,
        connections=args.connections,
        duration=seconds,
        timeout=args.timeout,
        cpu_probe=server.cpu_times,
        workdir=workdir,
    )


def measure(
    wrk: str,
    workloads: Sequence[Workload],
    servers: dict[str, ChildServer],
    args: argparse.Namespace,
    workdir: Path,
) -> Iterator[Run]:
    """Every round: every workload, its targets in an order that rotates each round."""
    for round_index in range(args.rounds):
        for workload in workloads:
            for target in _rotated(workload.targets, round_index):
                server, plan = servers[target], workload.plans[target]
                for attempt in range(args.repeat_disturbed + 1):
                    if args.wait_quiet:
                        wait_quiet(args.wait_quiet)
                    warmup_failures = 0
                    if args.warmup:
                        warmup = load(wrk, server, plan, args, args.warmup, workdir)
                        warmup_failures = warmup.failures
                    result = load(wrk, server, plan, args, args.duration, workdir)
                    if not server.alive():
                        raise ServerFailed(
                            f"{server.name} exited during {workload.name} "
                            f"(status {server.exit_code()}):\n{server.log_tail()}"
                        )
                    run = Run(
                        round_index + 1, workload.name, target, result, warmup_failures, attempt
                    )
                    console.print(progress_line(run, args.rounds))
                    if not disturbed(result):
                        break
                yield run


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def disturbed(result: WrkResult) -> bool:
    other = result.share(result.other_cpu_seconds)
    return other is not None and other > BUSY


def _flagged(other: float | None) -> str:
    """Other processes' CPU %, in yellow when it disturbed the figures."""
    text = _num(other, 0)
    return f"[yellow]{text}[/yellow]" if other is not None and other > BUSY else text


def progress_line(run: Run, rounds: int) -> str:
    r = run.result
    failed = f"  [red]{r.failures} failures[/red]" if r.failures else ""
    if disturbed(r):
        failed += "  [yellow](disturbed)[/yellow]"
    if run.repeats:
        failed += f"  (attempt {run.repeats + 1})"
    return (
        f"round {run.round}/{rounds}  {run.workload:<14} {LABELS[run.target]:<13}"
        f"{r.requests_per_second:>9,.1f} req/s  p50 {r.latency_ms('p50'):7.1f} ms  "
        f"p99 {r.latency_ms('p99'):7.1f} ms  srv {_num(r.server_cpu_ms_per_request, 2)} ms/req "
        f"({_num(r.share(r.cpu.server if r.cpu else None), 0)} %)  "
        f"db {_num(r.share(r.cpu.database if r.cpu else None), 0)} %  "
        f"wrk {_num(r.share(r.wrk_cpu_seconds), 0)} %  "
        f"other {_num(r.share(r.other_cpu_seconds), 0)} %{failed}"
    )


# --- summaries ---------------------------------------------------------------------------

Metric = Callable[[WrkResult], float | None]
METRICS: dict[str, Metric] = {
    "requests_per_second": lambda r: r.requests_per_second,
    "p50_ms": lambda r: r.latency_ms("p50"),
    "p99_ms": lambda r: r.latency_ms("p99"),
    "server_cpu_ms_per_request": lambda r: r.server_cpu_ms_per_request,
    "server_cpu_percent": lambda r: r.share(r.cpu.server if r.cpu else None),
    "database_cpu_ms_per_request": lambda r: r.database_cpu_ms_per_request,
    "database_cpu_percent": lambda r: r.share(r.cpu.database if r.cpu else None),
    "wrk_cpu_percent": lambda r: r.share(r.wrk_cpu_seconds),
    "wrk_cpu_ms_per_request": lambda r: r.wrk_cpu_ms_per_request,
    "other_cpu_percent": lambda r: r.share(r.other_cpu_seconds),
}


def _median(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def summarize(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """Per workload and target: the median over the rounds of every metric."""
    rows: list[dict[str, Any]] = []
    keys = list(dict.fromkeys((run.workload, run.target) for run in runs))
    for workload, target in keys:
        mine = [run.result for run in runs if (run.workload, run.target) == (workload, target)]
        row: dict[str, Any] = {"workload": workload, "target": target, "rounds": len(mine)}
        row["requests"] = sum(r.requests for r in mine)
        row["failures"] = sum(r.failures for r in mine)
        row |= {name: _median([metric(r) for r in mine]) for name, metric in METRICS.items()}
        rates = [r.requests_per_second for r in mine]
        row["requests_per_second_min"], row["requests_per_second_max"] = min(rates), max(rates)
        rows.append(row)
    return rows


def ratios(runs: Sequence[Run], workloads: Sequence[Workload]) -> list[dict[str, Any]]:
    """shopgraph / peer, paired within each round; the median and range over the rounds."""
    out: list[dict[str, Any]] = []
    by_key = {(run.round, run.workload, run.target): run.result for run in runs}
    rounds = sorted({run.round for run in runs})
    for workload in workloads:
        for peer in workload.peers:
            pairs = [
                (by_key[(n, workload.name, SHOPGRAPH)], by_key[(n, workload.name, peer)])
                for n in rounds
                if (n, workload.name, SHOPGRAPH) in by_key and (n, workload.name, peer) in by_key
            ]
            if not pairs:
                continue
            rate = [mine.requests_per_second / theirs.requests_per_second for mine, theirs in pairs]
            p99 = [mine.latency_ms("p99") / theirs.latency_ms("p99") for mine, theirs in pairs]
            cpu = [
                mine.server_cpu_ms_per_request / theirs.server_cpu_ms_per_request
                for mine, theirs in pairs
                if mine.server_cpu_ms_per_request and theirs.server_cpu_ms_per_request
            ]
            out.append(
                {
                    "workload": workload.name,
                    "peer": peer,
                    "rounds": len(pairs),
                    "requests_per_second_ratio": statistics.median(rate),
                    "requests_per_second_ratio_min": min(rate),
                    "requests_per_second_ratio_max": max(rate),
                    "p99_ratio": statistics.median(p99),
                    "server_cpu_per_request_ratio": statistics.median(cpu) if cpu else None,
                }
            )
    return out


def print_summary(rows: Sequence[dict[str, Any]], ratio_rows: Sequence[dict[str, Any]]) -> None:
    table = Table(title="medians over the rounds", title_justify="left")
    columns = (
        "workload",
        "target",
        "req/s",
        "req/s range",
        "p50 ms",
        "p99 ms",
        "srv CPU ms/req",
        "srv CPU %",
        "db CPU ms/req",
        "db CPU %",
        "wrk CPU %",
        "other CPU %",
        "failures",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("workload", "target") else "right")
    for row in rows:
        table.add_row(
            row["workload"],
            LABELS[row["target"]],
            _num(row["requests_per_second"]),
            f"{row['requests_per_second_min']:,.0f}-{row['requests_per_second_max']:,.0f}",
            _num(row["p50_ms"]),
            _num(row["p99_ms"]),
            _num(row["server_cpu_ms_per_request"], 2),
            _num(row["server_cpu_percent"], 0),
            _num(row["database_cpu_ms_per_request"], 2),
            _num(row["database_cpu_percent"], 0),
            _num(row["wrk_cpu_percent"], 0),
            _flagged(row["other_cpu_percent"]),
            f"[red]{row['failures']}[/red]" if row["failures"] else "0",
        )
    console.print(table)
    ratio_table = Table(title="shopgraph / peer (paired per round; median)", title_justify="left")
    for column in ("workload", "peer", "req/s ratio", "range", "p99 ratio", "srv CPU/req ratio"):
        ratio_table.add_column(
            column, justify="left" if column in ("workload", "peer") else "right"
        )
    for row in ratio_rows:
        ratio_table.add_row(
            row["workload"],
            LABELS[row["peer"]],
            f"{row['requests_per_second_ratio']:.2f}x",
            f"{row['requests_per_second_ratio_min']:.2f}-{row['requests_per_second_ratio_max']:.2f}",
            f"{row['p99_ratio']:.2f}",
            _num(row["server_cpu_per_request_ratio"], 2),
        )
    console.print(ratio_table)
    console.print(
        "req/s: wrk's completed requests / its duration; p50/p99: wrk's latency percentiles; "
        "srv CPU: the target's process tree; db CPU: every local PostgreSQL process; wrk "
        "CPU: the load generator; CPU % is of one core. Ratios: shopgraph's figure divided by "
        "the peer's in the same round (req/s: above 1 is shopgraph faster; p99 and CPU: "
        "below 1 is shopgraph better)."
    )
    console.print(f"[yellow]note:[/yellow] {NOTE}")


def report_dict(
    checked: Sequence[tuple[Workload, list[Answer]]],
    runs: Sequence[Run],
    rows: Sequence[dict[str, Any]],
    ratio_rows: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The answers, every run, the medians and the ratios, for --json."""
    return {
        "answers": [
            {
                "workload": workload.name,
                "target": answer.target,
                "requests": answer.responses,
                "mean_bytes": round(answer.mean_bytes),
                "objects": round(answer.objects, 1),
                "values": round(answer.values, 1),
            }
            for workload, answers in checked
            for answer in answers
        ],
        "runs": [
            {
                "round": run.round,
                "workload": run.workload,
                "target": run.target,
                "warmup_failures": run.warmup_failures,
                "repeats": run.repeats,
                **run.result.as_dict(),
            }
            for run in runs
        ],
        "medians": rows,
        "ratios": ratio_rows,
        "note": NOTE,
    }


# --- main --------------------------------------------------------------------------------


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the same clean-up as Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    started, started_at = time.monotonic(), datetime.now(UTC)
    command, machine = announce("shopgraph against its peers")
    if not procstat.available():
        console.print("[yellow]no /proc: CPU will not be measured[/yellow]")
    url = args.database_url
    shopgraph = shlex.split(args.shopgraph)
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-peers-"))
    versions = Versions(shopgraph=importlib.metadata.version("shopgraph"))
    runs: list[Run] = []
    try:
        targets = {target for name in args.workload for target in TARGETS[name]}
        wrk = peer_tools.ensure_wrk(say)
        versions.wrk = peer_tools.wrk_version(wrk)
        postgraphile = None
        if POSTGRAPHILE in targets:
            node = peer_tools.ensure_node(say)
            home = peer_tools.ensure_postgraphile(node, say)
            postgraphile = node, home
            versions.node = peer_tools.node_version(node)
            versions.postgraphile = peer_tools.installed_version(home)
        if asyncio.run(benchdb.create_postgres_database(url)):
            console.print(f"created database {benchdb.display(url)}")
        env = shopgraph_env(url)
        counts, versions.postgresql = prepare_database(url, args, shopgraph, env)
        console.print(
            f"database  PostgreSQL {versions.postgresql}  {benchdb.display(url)}  "
            f"({_counts_text(counts)}, {counts.order_lines} order lines)"
        )
        key = benchdb.admin_key(shopgraph, env)
        id_key = benchdb.id_key(url, env)
        ids.configure(id_key)  # the product ids of the workloads, as shopgraph makes them
        pks = asyncio.run(first_product_pks(url, PRODUCTS))
        with ExitStack() as stack:
            servers = start_servers(stack, targets, args, env, workdir, postgraphile, id_key)
            console.print(
                f"versions  shopgraph {versions.shopgraph}; PostGraphile {versions.postgraphile} "
                f"on Node.js {versions.node}; {versions.wrk}"
            )
            token = asyncio.run(access_token(servers[SHOPGRAPH].base_url, key))
            node_ids = (
                postgraphile_ids(servers[POSTGRAPHILE].base_url, pks)
                if POSTGRAPHILE in servers
                else {pk: "" for pk in pks}
            )
            workloads = [w for w in build(pks, node_ids, token) if w.name in args.workload]
            checked = check_answers(workloads, servers)
            print_idle(busy_before())
            per_round = sum(len(w.targets) for w in workloads)
            minutes = args.rounds * per_round * (args.warmup + args.duration) / 60
            console.print(
                f"measuring {args.rounds} round(s) x {per_round} runs of wrk -t1 "
                f"-c{args.connections}, {args.warmup:g} s warm-up + {args.duration:g} s each "
                f"(~{minutes:.0f} min)"
            )
            for workload in workloads:
                console.print(f"  {workload.name:<14} {workload.title}; {workload.note}")
            runs.extend(measure(wrk, workloads, servers, args, workdir))
    except (ServerFailed, CheckFailed, WrkFailed, peer_tools.SetupError) as error:
        fail(str(error))
    except subprocess.CalledProcessError as error:
        fail(str(error))
    except KeyboardInterrupt:
        console.print("[red]interrupted[/red]")
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started
    rows, ratio_rows = summarize(runs), ratios(runs, workloads)
    print_summary(rows, ratio_rows)
    console.print(f"run took {elapsed / 60:.1f} min")
    if args.json:
        report = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "seconds": round(elapsed, 1),
            "command": command,
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "machine": machine,
            "versions": asdict(versions),
            "database": {"url": benchdb.display(url), "counts": counts_dict(counts)},
            **report_dict(checked, runs, rows, ratio_rows),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
        console.print(f"results written to {args.json}")
    failed = any(run.result.failures or run.warmup_failures for run in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

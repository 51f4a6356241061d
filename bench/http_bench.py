"""HTTP benchmark of the real server: `shopgraph serve` in a child process, closed-loop load.

    .venv/bin/python bench/http_bench.py                       # a fresh SQLite file
    .venv/bin/python bench/http_bench.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_bench

The database is created if missing (PostgreSQL), migrated and seeded with the project's
own CLI when its row counts are not the ones asked for, then every scenario runs for
`--warmup` + `--duration` seconds against the server. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import benchdb
import httpx
import orjson
import procstat
from benchdb import Counts
from loadgen import LoadResult, clients, run_closed_loop, skip_missing_sniffio
from rich.console import Console
from rich.table import Table
from scenarios import SCENARIOS, SetupFailed
from serverproc import Server, ServerFailed

T = TypeVar("T")
Number = TypeVar("Number", int, float)
# Wide enough for the results table when the output goes to a file or a pipe.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 172)
SHARED_MACHINE_NOTE = (
    "The load generator runs on the same machine as the server and competes with it for "
    "CPU ('cli CPU' columns); figures are for comparing runs on one machine, not "
    "absolute capacity."
)


@dataclass(frozen=True, slots=True)
class Outcome:
    scenario: str
    result: LoadResult | None
    error: str | None = None  # the scenario could not run at all
    distinct_requests: int = 0

    @property
    def failed(self) -> bool:
        return self.error is not None or (
            self.result is not None and (self.result.failures > 0 or self.result.requests == 0)
        )


def _positive(kind: Callable[[str], Number], upper: Number) -> Callable[[str], Number]:
    def parse(value: str) -> Number:
        number = kind(value)
        if not 0 < number <= upper:
            raise argparse.ArgumentTypeError(f"must be > 0 and <= {upper}")
        return number

    return parse


def _default_shopgraph() -> str:
    beside = Path(sys.executable).parent / "shopgraph"
    found = str(beside) if beside.exists() else shutil.which("shopgraph")
    return shlex.quote(found) if found else "shopgraph"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the shopgraph server over HTTP (see docs/benchmarks.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL; default: a fresh SQLite file in a temporary directory",
    )
    parser.add_argument("--customers", type=_positive(int, 10_000_000), default=1_000)
    parser.add_argument("--products", type=_positive(int, 10_000_000), default=500)
    parser.add_argument("--orders", type=_positive(int, 10_000_000), default=10_000)
    parser.add_argument("--seed", type=int, default=42, help="seed of the generated data")
    parser.add_argument(
        "--duration", type=_positive(float, 3_600.0), default=10.0, help="seconds per scenario"
    )
    parser.add_argument(
        "--concurrency", type=_positive(int, 1_024), default=16, help="closed-loop workers"
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds per scenario before measuring"
    )
    parser.add_argument("--workers", type=_positive(int, 64), default=1, help="server processes")
    parser.add_argument(
        "--rate-limit",
        choices=("off", "memory", "redis"),
        action="append",
        help="the server's rate-limit backend (buckets sized never to refuse: this measures "
        "the cost of counting, not of being limited); repeat to compare backends in one run "
        "(default: off)",
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/0", help="for --rate-limit redis"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=list(SCENARIOS),
        help="run this scenario (repeatable); default: all",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results here")
    parser.add_argument(
        "--drop",
        action="store_true",
        help="drop the PostgreSQL database afterwards if this run created it",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="recreate an existing database whose row counts differ (else: refuse)",
    )
    parser.add_argument(
        "--client-per-worker",
        action="store_true",
        help="give each worker its own one-connection client instead of one shared client "
        "(costs the load generator less CPU per request; see docs/benchmarks.md)",
    )
    parser.add_argument(
        "--timeout", type=_positive(float, 300.0), default=30.0, help="per-request timeout"
    )
    parser.add_argument(
        "--shopgraph",
        default=_default_shopgraph(),
        help="the shopgraph command to run (default: the one installed beside this Python)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.warmup <= 600:
        parser.error("--warmup must be between 0 and 600")
    args.scenario = list(dict.fromkeys(args.scenario or SCENARIOS))
    return args


# --- facts about the run -----------------------------------------------------------


def _first_line_with(path: str, prefix: str) -> str | None:
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def announce(title: str) -> tuple[str, dict[str, Any]]:
    """Print a run's heading: the exact command and the machine it ran on (returned too,
    for the JSON report), so every figure can be traced to how it was made."""
    machine = machine_info()
    command = shlex.join(sys.orig_argv)
    console.rule(title)
    console.print(f"command   {command}")
    console.print(
        f"machine   nproc={machine['nproc']}  {machine['cpu_model']}  {machine['memory']}  "
        f"load {machine['load_average_at_start']}  {machine['python']}"
    )
    return command, machine


def machine_info() -> dict[str, Any]:
    memory = _first_line_with("/proc/meminfo", "MemTotal")
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "cpu_model": _first_line_with("/proc/cpuinfo", "model name"),
        "memory": memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def _event_loop_factory() -> tuple[Callable[[], asyncio.AbstractEventLoop] | None, str]:
    try:
        import uvloop
    except ImportError:
        return None, "asyncio"
    return uvloop.new_event_loop, f"uvloop {importlib.metadata.version('uvloop')}"


# --- the run ------------------------------------------------------------------------


async def access_token(base_url: str, key: str) -> str:
    """An OAuth access token for the key: stateless to verify, as a frontend would use."""
    async with httpx.AsyncClient(base_url=base_url, trust_env=False) as http:
        keys = await http.get("/v1/api-keys", headers={"Authorization": f"Bearer {key}"})
        keys.raise_for_status()
        prefix = key.split("_")[1]
        client_id = next(item["id"] for item in keys.json()["data"] if item["prefix"] == prefix)
        granted = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": key},
        )
        granted.raise_for_status()
        return str(granted.json()["access_token"])


async def run_scenarios(server: Server, args: argparse.Namespace, key: str) -> list[Outcome]:
    outcomes: list[Outcome] = []
    token = await access_token(server.base_url, key)
    async with clients(
        server.base_url,
        args.concurrency,
        args.timeout,
        per_worker=args.client_per_worker,
        headers={"Authorization": f"Bearer {token}"},
    ) as worker_clients:
        for name in args.scenario:
            scenario = SCENARIOS[name]
            try:
                requests = await scenario.prepare(worker_clients[0])
            except (SetupFailed, httpx.HTTPError, KeyError, TypeError, ValueError) as error:
                console.print(f"[red]{name}: setup failed: {error!r}[/red]")
                outcomes.append(Outcome(name, None, f"setup failed: {error}"))
                continue
            console.print(
                f"{name}: {len(requests)} distinct request(s), warm-up {args.warmup:g} s, "
                f"measuring {args.duration:g} s ..."
            )
            result = await run_closed_loop(
                worker_clients,
                requests,
                scenario.check,
                warmup=args.warmup,
                duration=args.duration,
                cpu_probe=server.cpu_times,
                drain_timeout=args.timeout + 5,
            )
            outcomes.append(Outcome(name, result, None, len(requests)))
            if not server.alive():
                raise ServerFailed(
                    f"the server exited during {name} "
                    f"(status {server.exit_code()}):\n{server.log_tail()}"
                )
    return outcomes


def prepare_database(
    url: str, args: argparse.Namespace, shopgraph: list[str], env: dict[str, str]
) -> tuple[Counts, str]:
    """Migrate; seed when empty; reuse when the counts match; else refuse or --reset."""
    wanted = Counts(args.customers, args.products, args.orders)
    benchdb.shopgraph_cli(shopgraph, ["db", "upgrade"], env)
    counts, version = benchdb.facts(url)
    if counts.matches(wanted):
        console.print(f"database already holds {_counts_text(counts)}: reusing it")
        return counts, version
    if counts.customers or counts.products or counts.orders:
        if not args.reset:
            fail(
                f"the database holds {_counts_text(counts)}, not the {_counts_text(wanted)} "
                "asked for; seeding adds rows, so pass --reset to recreate it, or use "
                "another database"
            )
        console.print(f"--reset: recreating the database (it held {_counts_text(counts)})")
        if benchdb.kind(url) == "postgresql":
            asyncio.run(benchdb.drop_postgres_database(url))
            asyncio.run(benchdb.create_postgres_database(url))
        else:
            benchdb.delete_sqlite(url)
        benchdb.shopgraph_cli(shopgraph, ["db", "upgrade"], env)
    console.print(f"seeding {_counts_text(wanted)} (seed {args.seed}) ...")
    benchdb.shopgraph_cli(shopgraph, benchdb.seed_args(wanted, args.seed), env)
    counts, version = benchdb.facts(url)
    if not counts.matches(wanted):
        fail(f"after seeding the database holds {_counts_text(counts)}")
    return counts, version


def _counts_text(counts: Counts) -> str:
    return f"{counts.customers} customers, {counts.products} products, {counts.orders} orders"


def fail(message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {message}")
    raise SystemExit(2)


def _run(
    coroutine: Coroutine[Any, Any, T], loop_factory: Callable[[], asyncio.AbstractEventLoop] | None
) -> T:
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(coroutine)


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # unwinds through the same clean-up as Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    shopgraph = shlex.split(args.shopgraph)
    loop_factory, loop_name = _event_loop_factory()
    sniffio_skipped = skip_missing_sniffio()
    client_text = (
        f"httpx {httpx.__version__} on {loop_name}, HTTP/1.1 keep-alive, "
        + (
            f"{args.concurrency} clients of 1 connection"
            if args.client_per_worker
            else f"1 shared client, {args.concurrency} connections"
        )
        + (" (sniffio absent: its import skipped)" if sniffio_skipped else "")
    )
    started_at = datetime.now(UTC)
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    database_kind = benchdb.kind(url)
    local_postgres = database_kind == "postgresql" and benchdb.is_local(url)
    created = False
    command, machine = announce("shopgraph HTTP benchmark")
    console.print(f"[yellow]note[/yellow]      {SHARED_MACHINE_NOTE}")
    if not procstat.available():
        console.print("[yellow]no /proc: server CPU will not be measured[/yellow]")
    try:
        if database_kind == "postgresql":
            created = asyncio.run(benchdb.create_postgres_database(url))
            if created:
                console.print(f"created database {benchdb.display(url)}")
        env = {
            **os.environ,
            "SHOPGRAPH_DATABASE_URL": url,
            "SHOPGRAPH_LOG_LEVEL": "warning",
            "SHOPGRAPH_REDIS_PREFIX": f"shopgraph-bench-{os.getpid()}:",
            # A server database needs a configured key (src/shopgraph/signing_key.py).
            "SHOPGRAPH_SECRET_KEY": os.environ.get("SHOPGRAPH_SECRET_KEY")
            or secrets.token_urlsafe(48),
            "SHOPGRAPH_RATE_LIMIT_TIERS": json.dumps(
                {tier: [10**9, 10**9] for tier in ("anonymous", "free", "standard", "enterprise")}
            ),
        }
        counts, db_version = prepare_database(url, args, shopgraph, env)
        key = benchdb.admin_key(shopgraph, env)
        console.print(
            f"database  {database_kind} {db_version}  {benchdb.display(url)}  "
            f"({_counts_text(counts)}, {counts.order_lines} order lines)"
        )
        modes = args.rate_limit or ["off"]
        outcomes = []
        for mode in modes:
            env["SHOPGRAPH_RATE_LIMIT"] = mode
            env.pop("SHOPGRAPH_REDIS_URL", None)
            if mode == "redis":
                env["SHOPGRAPH_REDIS_URL"] = args.redis_url
            with Server(
                shopgraph, args.workers, env, workdir / "server.log", local_postgres=local_postgres
            ) as server:
                server.wait_healthy(timeout=120)
                console.print(
                    f"server    shopgraph {server.version}  pid {server.pid}  "
                    f"{args.workers} worker(s)  {server.base_url}  rate limits: {mode}"
                )
                console.print(
                    f"client    {client_text}; concurrency {args.concurrency}, "
                    f"warm-up {args.warmup:g} s, duration {args.duration:g} s per scenario"
                )
                measured = _run(run_scenarios(server, args, key), loop_factory)
            suffix = f" ({mode})" if len(modes) > 1 else ""
            outcomes += [
                Outcome(o.scenario + suffix, o.result, o.error, o.distinct_requests)
                for o in measured
            ]
    except ServerFailed as error:
        fail(str(error))
    except KeyboardInterrupt:
        console.print("[red]interrupted[/red]")
        return 130
    except subprocess.CalledProcessError as error:
        fail(str(error))
    finally:
        if created and args.drop:
            asyncio.run(benchdb.drop_postgres_database(url))
            console.print(f"dropped database {benchdb.display(url)}")
        elif args.drop and database_kind == "postgresql":
            console.print("not dropping the database: it existed before this run")
        shutil.rmtree(workdir, ignore_errors=True)

    print_results(outcomes, database=local_postgres)
    print_ratios(outcomes)
    if args.json:
        report = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "command": command,
            "settings": vars(args),
            "machine": machine,
            "database": {
                "kind": database_kind,
                "version": db_version,
                "url": benchdb.display(url),
                "counts": counts_dict(counts),
            },
            "server": {"version": server.version, "workers": args.workers},
            "client": {
                "httpx": httpx.__version__,
                "event_loop": loop_name,
                "description": client_text,
            },
            "note": SHARED_MACHINE_NOTE,
            "results": [outcome_dict(outcome) for outcome in outcomes],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2, default=str))
        console.print(f"results written to {args.json}")
    return 1 if any(outcome.failed for outcome in outcomes) else 0


def counts_dict(counts: Counts) -> dict[str, int]:
    return {
        "customers": counts.customers,
        "products": counts.products,
        "orders": counts.orders,
        "order_lines": counts.order_lines,
    }


def _ms(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    result = outcome.result
    if result is None:
        return {"scenario": outcome.scenario, "error": outcome.error, "failed": True}
    return {
        "scenario": outcome.scenario,
        "failed": outcome.failed,
        "distinct_requests": outcome.distinct_requests,
        "requests": result.requests,
        "failures": result.failures,
        "failure_reasons": result.failure_reasons,
        "warmup_requests": result.warmup_requests,
        "warmup_failures": result.warmup_failures,
        "seconds": round(result.seconds, 3),
        "requests_per_second": round(result.requests_per_second, 1),
        "p50_ms": _round(result.percentile_ms(50)),
        "p90_ms": _round(result.percentile_ms(90)),
        "p99_ms": _round(result.percentile_ms(99)),
        "max_ms": _round(result.percentile_ms(100)),
        "mean_response_bytes": round(result.mean_response_bytes),
        "server_cpu_seconds": _round(result.server_cpu_seconds),
        "server_cpu_ms_per_request": _round(result.server_cpu_ms_per_request),
        "database_cpu_seconds": _round(result.database_cpu_seconds),
        "client_cpu_seconds": _round(result.client_cpu_seconds),
        "client_cpu_ms_per_request": _round(result.client_cpu_ms_per_request),
        "machine_busy_cpu_seconds": _round(None if result.cpu is None else result.cpu.machine),
        "other_processes_cpu_seconds": _round(result.other_cpu_seconds),
    }


def _share(cpu_seconds: float | None, seconds: float) -> float | None:
    """CPU seconds as a percentage of one core over the window."""
    return None if cpu_seconds is None or not seconds else 100 * cpu_seconds / seconds


def print_ratios(outcomes: list[Outcome]) -> None:
    """With several rate-limit backends: each scenario's req/s relative to `(off)`."""
    by_name = {o.scenario: o for o in outcomes if o.result is not None}
    for name, outcome in by_name.items():
        base_name = name.rsplit(" (", 1)[0] + " (off)"
        base = by_name.get(base_name)
        if base is None or base is outcome or outcome.result is None or base.result is None:
            continue
        ratio = outcome.result.requests_per_second / base.result.requests_per_second
        console.print(f"ratio     {name} / {base_name}: {ratio:.2f}")


def print_results(outcomes: list[Outcome], database: bool) -> None:
    table = Table(title="results (measured window only)", title_justify="left")
    for column in ("scenario", "requests", "failures", "req/s", "p50 ms", "p90 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for column in (
        "bytes",
        "srv CPU ms/req",
        "srv CPU %",
        "db CPU %",
        "cli CPU ms/req",
        "cli CPU %",
        "other CPU %",
    ):
        table.add_column(column, justify="right")
    for outcome in outcomes:
        result = outcome.result
        name = f"[red]{outcome.scenario} FAILED[/red]" if outcome.failed else outcome.scenario
        if result is None:
            table.add_row(name, *["-"] * 14)
            continue
        table.add_row(
            name,
            str(result.requests),
            f"[red]{result.failures}[/red]" if result.failures else "0",
            f"{result.requests_per_second:.1f}",
            _ms(result.percentile_ms(50)),
            _ms(result.percentile_ms(90)),
            _ms(result.percentile_ms(99)),
            f"{result.mean_response_bytes:,.0f}",
            _ms(result.server_cpu_ms_per_request, 2),
            _ms(_share(result.server_cpu_seconds, result.seconds), 0),
            _ms(_share(result.database_cpu_seconds, result.seconds), 0) if database else "-",
            _ms(result.client_cpu_ms_per_request, 2),
            _ms(_share(result.client_cpu_seconds, result.seconds), 0),
            _ms(_share(result.other_cpu_seconds, result.seconds), 0),
        )
    console.print(table)
    console.print(
        "req/s and percentiles cover requests completed in the measured window; bytes: mean "
        "response body; srv CPU: the server's processes; db CPU: every local PostgreSQL "
        "process; cli CPU: this load generator; CPU % is of one core (100 = one core busy); "
        "other CPU %: every other process on the machine during the window (interference)."
    )
    for outcome in outcomes:
        if outcome.error is not None:
            console.print(f"[red]{outcome.scenario}: {outcome.error}[/red]")
        elif outcome.result is not None and outcome.result.failure_reasons:
            reasons = ", ".join(
                f"{reason} x{count}"
                for reason, count in list(outcome.result.failure_reasons.items())[:5]
            )
            console.print(f"[red]{outcome.scenario} failures: {reasons}[/red]")
        if outcome.result is not None and outcome.result.warmup_failures:
            console.print(
                f"[yellow]{outcome.scenario}: {outcome.result.warmup_failures} failure(s) "
                "during warm-up[/yellow]"
            )
    console.print(f"[yellow]note:[/yellow] {SHARED_MACHINE_NOTE}")


if __name__ == "__main__":
    sys.exit(main())

"""Where shopgraph's CPU goes under one of the peers' workloads (a py-spy profile under wrk).

    .venv/bin/python bench/profile.py --workload Q --seconds 15
    .venv/bin/python bench/profile.py --workload S --top 40 --raw /tmp/s.txt

Starts `shopgraph serve` (one process) on the peers' database (`bench/peers.py` creates and
seeds it), loads it with wrk exactly as `bench/peers.py` does, and samples the server with
py-spy meanwhile (installed into .venv on first use: a profiling tool, not a dependency of
the server). Prints the functions with the most samples, by their own time and by the time
spent in them and below; `--raw` keeps the collapsed stacks (for flamegraph tools).
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import benchdb
import peer_tools
import procstat
from http_bench import _default_shopgraph, access_token, console
from peer_workloads import PRODUCTS, SHOPGRAPH, build
from peers import FULL, first_product_pks, shopgraph_env
from serverproc import Server
from wrkload import run_wrk

from shopgraph import ids

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopgraph_bench"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workload", default="Q", choices=("Q", "S", "rest_product", "rest_orders_50")
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="sampled seconds (default 15)")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=30, help="rows per table (default 30)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--raw", type=Path, metavar="PATH", help="keep the collapsed stacks")
    parser.add_argument("--shopgraph", default=_default_shopgraph())
    return parser.parse_args(argv)


def ensure_py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    return found


def frame_name(frame: str) -> str:
    """`function (path/to/module.py:line)` as `module.py:function`, shorter to read."""
    function, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    return f"{Path(path).name}:{function}"


def summarize(collapsed: str, top: int) -> None:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [frame_name(frame) for frame in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for name in set(frames):
            inclusive[name] += count
    for title, counter in (("own time", own), ("time in and below", inclusive)):
        console.rule(f"{title}: % of {total} samples")
        for name, count in counter.most_common(top):
            console.print(f"{100 * count / total:6.1f} %  {name}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shopgraph = shlex.split(args.shopgraph)
    py_spy = ensure_py_spy()
    wrk = peer_tools.ensure_wrk(console.print)
    env = shopgraph_env(args.database_url)
    counts, _version = benchdb.facts(args.database_url)
    expected = (FULL["customers"], FULL["products"], FULL["orders"])
    if (counts.customers, counts.products, counts.orders) != expected:
        console.print(f"[yellow]the database holds {counts}; bench/peers.py seeds {expected}")
    key = benchdb.admin_key(shopgraph, env)
    ids.configure(benchdb.id_key(args.database_url, env))
    pks = asyncio.run(first_product_pks(args.database_url, PRODUCTS))
    workdir = Path(tempfile.mkdtemp(prefix="shopgraph-profile-"))
    try:
        with Server(shopgraph, 1, env, workdir / "server.log", local_postgres=True) as server:
            server.wait_healthy(timeout=120)
            token = asyncio.run(access_token(server.base_url, key))
            workload = next(
                w for w in build(pks, {pk: "" for pk in pks}, token) if w.name == args.workload
            )
            plan = workload.plans[SHOPGRAPH]

            def probe() -> procstat.CpuTimes | None:
                return procstat.cpu_times(server.pid, count_postgres=True)

            def load(seconds: float) -> None:
                result = run_wrk(
                    wrk, server.base_url, plan.requests, plan.headers,
                    connections=args.connections, duration=seconds, timeout=30,
                    cpu_probe=probe, workdir=workdir,
                )  # fmt: skip
                rate = result.requests / result.seconds
                cpu = result.cpu.server / result.requests * 1000 if result.cpu else float("nan")
                console.print(
                    f"wrk: {rate:,.1f} req/s, server {cpu:.2f} ms CPU/request, "
                    f"{result.failures} failures"
                )

            load(args.warmup)
            raw = workdir / "profile.txt"
            spy = subprocess.Popen(
                [py_spy, "record", "--pid", str(server.pid), "--rate", str(args.rate),
                 "--duration", str(round(args.seconds)), "--format", "raw", "--output", str(raw),
                 "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            load(args.seconds)
            _out, err = spy.communicate(timeout=args.seconds + 60)
            if spy.returncode != 0:
                console.print(f"[red]py-spy failed: {err.decode(errors='replace')}")
                return 1
            summarize(raw.read_text(), args.top)
            if args.raw:
                shutil.copyfile(raw, args.raw)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

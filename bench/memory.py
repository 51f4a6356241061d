"""Does the server's memory stay flat under load? Its RSS after 5,000 and after 50,000 requests.

    .venv/bin/python bench/memory.py                        # Q, 5,000 then 50,000 requests
    .venv/bin/python bench/memory.py --workload S --total 200000

Starts `shopgraph serve` (one process) on the peers' database (`bench/peers.py` seeds it),
loads it with wrk in runs of `--chunk` seconds, and reads the process's resident set size
(VmRSS) after each run. A server that keeps something per request (a cache without a bound,
reference cycles the garbage collector reaches late) grows with the requests served; the
figure is the RSS after `--total` requests against the RSS after `--first`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from http_bench import _default_shopgraph, console
from loaded_server import DEFAULT_URL, WORKLOADS, loaded_server


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", default="Q", choices=WORKLOADS)
    parser.add_argument("--first", type=int, default=5_000, help="requests of the baseline")
    parser.add_argument("--total", type=int, default=50_000, help="requests in all")
    parser.add_argument("--chunk", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--shopgraph", default=_default_shopgraph())
    return parser.parse_args(argv)


def rss_kib(pid: int) -> int:
    """The process's resident set size, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with loaded_server(
        args.workload,
        database_url=args.database_url,
        connections=args.connections,
        shopgraph=args.shopgraph,
    ) as loaded:
        pid = loaded.server.pid
        console.print(f"RSS at start: {rss_kib(pid) / 1024:,.1f} MiB")
        served, readings, failures = 0, [], 0
        baseline: tuple[int, int] | None = None
        while served < args.total:
            result = loaded.load(args.chunk)
            served += result.requests
            failures += result.failures
            readings.append((served, rss_kib(pid)))
            console.print(f"after {served:>8,} requests: RSS {readings[-1][1] / 1024:,.1f} MiB")
            if baseline is None and served >= args.first:
                baseline = readings[-1]
    assert baseline is not None
    final = readings[-1]
    growth = final[1] / baseline[1] - 1
    console.print(
        f"{args.workload}: RSS {baseline[1] / 1024:,.1f} MiB after {baseline[0]:,} requests, "
        f"{final[1] / 1024:,.1f} MiB after {final[0]:,}: {growth:+.1%}"
        + (f" ({failures} failed requests)" if failures else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

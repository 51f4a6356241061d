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
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from http_bench import _default_shopgraph, console
from loaded_server import DEFAULT_URL, WORKLOADS, loaded_server


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", default="Q", choices=WORKLOADS)
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
    py_spy = ensure_py_spy()
    with loaded_server(
        args.workload,
        database_url=args.database_url,
        connections=args.connections,
        shopgraph=args.shopgraph,
    ) as loaded:
        loaded.load(args.warmup)
        raw = loaded.workdir / "profile.txt"
        spy = subprocess.Popen(
            [py_spy, "record", "--pid", str(loaded.server.pid), "--rate", str(args.rate),
             "--duration", str(round(args.seconds)), "--format", "raw", "--output", str(raw),
             "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        loaded.load(args.seconds)
        _out, err = spy.communicate(timeout=args.seconds + 60)
        if spy.returncode != 0:
            console.print(f"[red]py-spy failed: {err.decode(errors='replace')}")
            return 1
        summarize(raw.read_text(), args.top)
        if args.raw:
            shutil.copyfile(raw, args.raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CPU time from /proc (Linux only, no psutil): the server's process tree, the local
PostgreSQL server's processes, and the whole machine."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
POSTGRES = "postgres"  # the command name of every PostgreSQL server process


def available() -> bool:
    return (PROC / "stat").exists() and (PROC / "self" / "stat").exists()


@dataclass(frozen=True, slots=True)
class CpuTimes:
    """CPU seconds (user + system) used so far."""

    server: float  # the server process and every descendant (uvicorn workers)
    database: float  # every local `postgres` process, or 0 (SQLite runs in the server)
    machine: float  # every CPU of the machine, busy time of all processes

    def __sub__(self, earlier: CpuTimes) -> CpuTimes:
        return CpuTimes(
            self.server - earlier.server,
            self.database - earlier.database,
            self.machine - earlier.machine,
        )


@dataclass(frozen=True, slots=True)
class _Process:
    ppid: int
    name: str
    ticks: int


def _read_stat(pid: int) -> _Process | None:
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None  # it has just exited
    # The command name, in parentheses, may hold spaces: split after its closing one.
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 of proc(5): ppid is field 4; utime, stime, cutime, cstime
    # are fields 14-17. cutime/cstime hold the time of children already reaped, so a
    # process that exits mid-run keeps counting (in its parent) and never counts twice.
    return _Process(int(fields[1]), name, sum(int(value) for value in fields[11:15]))


def _machine_busy_ticks() -> int:
    with open(PROC / "stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    # user nice system idle iowait irq softirq steal (guest time is already in user).
    return sum(fields) - fields[3] - fields[4]


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy so far (None without /proc)."""
    return _machine_busy_ticks() / os.sysconf("SC_CLK_TCK") if available() else None


def cpu_times(server_pid: int, count_postgres: bool) -> CpuTimes | None:
    """A reading of every counter at once; None without /proc or once the server is gone.

    `count_postgres`: the server's database is a local PostgreSQL; else local `postgres`
    processes (serving someone else) stay in the machine's remaining, "other" time.
    """
    if not available():
        return None
    processes: dict[int, _Process] = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            process = _read_stat(int(entry.name))
            if process is not None:
                processes[int(entry.name)] = process
    if server_pid not in processes:
        return None
    children: defaultdict[int, list[int]] = defaultdict(list)
    for pid, process in processes.items():
        children[process.ppid].append(pid)
    server, pending = 0, [server_pid]
    while pending:
        pid = pending.pop()
        server += processes[pid].ticks
        pending.extend(children.get(pid, ()))
    database = (
        sum(p.ticks for p in processes.values() if p.name == POSTGRES) if count_postgres else 0
    )
    tick = os.sysconf("SC_CLK_TCK")
    return CpuTimes(server / tick, database / tick, _machine_busy_ticks() / tick)

"""Load from wrk: one run of `wrk -t1 -cN -dS -s bench/wrk_report.lua`, with the CPU that
the server, the database, the machine and wrk itself spent meanwhile.

wrk is a closed loop like bench/loadgen.py (each connection sends its next request when the
previous answer has arrived) but written in C: it costs the machine a fraction of the CPU
per request that an httpx client does, which matters when client and server share a few
cores. Its latency percentiles come from the script's `done()` as JSON.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from procstat import CpuTimes

SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
MARKER = "WRK_JSON "

CpuProbe = Callable[[], CpuTimes | None]


@dataclass(frozen=True, slots=True)
class HttpRequest:
    method: str
    path: str
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int  # completed within wrk's duration
    seconds: float  # wrk's duration
    response_bytes: int  # headers and bodies
    bad_responses: int  # not 200, empty, or with `"errors"`
    last_bad_status: int  # the status of a bad response, 0 if all were 200
    errors: dict[str, int]  # wrk's socket errors (connect, read, write, timeout) and status
    latency_us: dict[str, float]  # min, mean, stdev, max, p50, p90, p99, p999
    window_seconds: float  # between the two CPU readings (wrk's whole life)
    cpu: CpuTimes | None  # server tree, local PostgreSQL, machine; None without /proc
    wrk_cpu_seconds: float  # user + system time of the wrk process

    @property
    def failures(self) -> int:
        socket_errors = sum(v for k, v in self.errors.items() if k != "status")
        return self.bad_responses + socket_errors

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def latency_ms(self, name: str) -> float:
        return self.latency_us[name] / 1000

    @property
    def server_cpu_ms_per_request(self) -> float | None:
        if self.cpu is None or not self.requests:
            return None
        return self.cpu.server * 1000 / self.requests

    @property
    def database_cpu_ms_per_request(self) -> float | None:
        if self.cpu is None or not self.requests:
            return None
        return self.cpu.database * 1000 / self.requests

    @property
    def wrk_cpu_ms_per_request(self) -> float | None:
        return self.wrk_cpu_seconds * 1000 / self.requests if self.requests else None

    def share(self, cpu_seconds: float | None) -> float | None:
        """CPU seconds as a percentage of one core over the window."""
        if cpu_seconds is None or not self.window_seconds:
            return None
        return 100 * cpu_seconds / self.window_seconds

    @property
    def other_cpu_seconds(self) -> float | None:
        """The machine's busy time spent by none of server, database and wrk."""
        if self.cpu is None:
            return None
        used = self.cpu.server + self.cpu.database + self.wrk_cpu_seconds
        return max(0.0, self.cpu.machine - used)

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "latency_ms": {k: round(v / 1000, 3) for k, v in self.latency_us.items()},
            "failures": self.failures,
            "bad_responses": self.bad_responses,
            "errors": self.errors,
            "mean_response_bytes": round(self.response_bytes / self.requests)
            if self.requests
            else 0,
            "window_seconds": round(self.window_seconds, 3),
            "server_cpu_seconds": rounded(None if self.cpu is None else self.cpu.server),
            "database_cpu_seconds": rounded(None if self.cpu is None else self.cpu.database),
            "machine_busy_cpu_seconds": rounded(None if self.cpu is None else self.cpu.machine),
            "wrk_cpu_seconds": rounded(self.wrk_cpu_seconds),
            "other_cpu_seconds": rounded(self.other_cpu_seconds),
            "server_cpu_ms_per_request": rounded(self.server_cpu_ms_per_request),
            "database_cpu_ms_per_request": rounded(self.database_cpu_ms_per_request),
            "wrk_cpu_ms_per_request": rounded(self.wrk_cpu_ms_per_request),
        }


class WrkFailed(Exception):
    """wrk did not run, or printed no summary."""


def lua_string(value: str | bytes) -> str:
    """A Lua string literal of these bytes (decimal escapes for anything not printable)."""
    data = value.encode() if isinstance(value, str) else value
    chars = []
    for byte in data:
        if byte in (0x22, 0x5C):  # " and \
            chars.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            chars.append(chr(byte))
        else:
            chars.append(f"\\{byte:03d}")  # always three digits: a digit may follow
    return '"' + "".join(chars) + '"'


def lua_requests(headers: Mapping[str, str], requests: Sequence[HttpRequest]) -> str:
    """The file bench/wrk_report.lua loads: headers for every request, and the requests."""
    lines = ["return {", "  headers = {"]
    lines += [f"    [{lua_string(name)}] = {lua_string(value)}," for name, value in headers.items()]
    lines += ["  },", "  requests = {"]
    for item in requests:
        body = "nil" if item.body is None else lua_string(item.body)
        lines.append(
            f"    {{ method = {lua_string(item.method)}, path = {lua_string(item.path)}, "
            f"body = {body} }},"
        )
    lines += ["  },", "}", ""]
    return "\n".join(lines)


def run_wrk(
    wrk: str,
    base_url: str,
    requests: Sequence[HttpRequest],
    headers: Mapping[str, str],
    *,
    connections: int,
    duration: float,
    timeout: float,
    cpu_probe: CpuProbe,
    workdir: Path,
) -> WrkResult:
    """One wrk run of `duration` seconds (one thread, `connections` keep-alive connections)."""
    if not requests:
        raise ValueError("no requests to send")
    spec = workdir / "wrk-requests.lua"
    spec.write_text(lua_requests(headers, requests))
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={max(1, round(timeout))}s",
        "-s",
        str(SCRIPT),
        base_url + requests[0].path,
    ]
    env = {**os.environ, "BENCH_WRK_REQUESTS": str(spec)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = cpu_probe()
        started = time.perf_counter()
        try:
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as error:
            raise WrkFailed(f"could not start {wrk}: {error}") from error
        try:
            # wait4 rather than Popen.wait: it also reports the CPU that wrk used.
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        window = time.perf_counter() - started
        after = cpu_probe()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    summary = next(
        (line[len(MARKER) :] for line in stdout.splitlines() if line.startswith(MARKER)), None
    )
    if process.returncode != 0 or summary is None:
        raise WrkFailed(
            f"{' '.join(command)} exited with status {process.returncode}:\n{stdout}{stderr}"
        )
    report = orjson.loads(summary)
    return WrkResult(
        requests=int(report["requests"]),
        seconds=report["duration_us"] / 1e6,
        response_bytes=int(report["bytes"]),
        bad_responses=int(report["bad_responses"]),
        last_bad_status=int(report["last_bad_status"]),
        errors={name: int(count) for name, count in report["errors"].items()},
        latency_us={name: float(value) for name, value in report["latency_us"].items()},
        window_seconds=window,
        cpu=after - before if before is not None and after is not None else None,
        wrk_cpu_seconds=usage.ru_utime + usage.ru_stime,
    )

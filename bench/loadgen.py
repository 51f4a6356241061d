"""A closed-loop load generator: N workers, each sending its next request as soon as the
previous one has answered, over HTTP/1.1 keep-alive connections: one shared
`httpx.AsyncClient` with N connections (the default), or one single-connection client per
worker (`--client-per-worker`, much cheaper on the client's CPU; see `clients`).

Only requests that complete inside the measured window count; the window starts after
the warm-up and its CPU readings are taken at the same instants as its boundaries.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import math
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import httpx
from procstat import CpuTimes
from scenarios import Check, Request

CpuProbe = Callable[[], CpuTimes | None]


def skip_missing_sniffio() -> bool:
    """Make a missing `sniffio` fail fast; True if it was missing.

    httpcore tries `import sniffio` each time it creates a lock (several per request).
    When sniffio is not installed, every attempt searches sys.path again, which cost
    ~0.5 ms of the client's CPU per request here. A None entry in sys.modules makes the
    import fail at once, and httpcore falls back to asyncio, which is what runs.
    """
    if "sniffio" in sys.modules or importlib.util.find_spec("sniffio") is not None:
        return False
    sys.modules["sniffio"] = None  # type: ignore[assignment]
    return True


@asynccontextmanager
async def clients(
    base_url: str,
    concurrency: int,
    request_timeout: float,
    *,
    per_worker: bool,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One client per worker slot: the same shared client N times, or N clients.

    A shared client's connection pool walks every connection (checking each socket) on
    each request, so its CPU cost per request grows with the concurrency. Measured here at
    16 connections: `GET /healthz` 2.4 ms per request shared, 0.9 ms with a client per
    worker; `rest_product` 2.0 ms and 1.2 ms.
    """
    size = 1 if per_worker else concurrency
    limits = httpx.Limits(
        max_connections=size, max_keepalive_connections=size, keepalive_expiry=60.0
    )
    async with AsyncExitStack() as stack:
        made = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=base_url,
                    headers=headers,
                    limits=limits,
                    timeout=httpx.Timeout(request_timeout),
                    trust_env=False,  # no proxies: traffic goes to 127.0.0.1 only
                    http1=True,
                    http2=False,
                )
            )
            for _ in range(concurrency if per_worker else 1)
        ]
        yield made if per_worker else made * concurrency


@dataclass(slots=True)
class _Window:
    start: float = math.inf
    end: float = math.inf
    stop: bool = False


@dataclass(slots=True)
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, every completed request
    response_bytes: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    warmup_requests: int = 0
    warmup_failures: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    failures: int
    failure_reasons: dict[str, int]
    warmup_requests: int
    warmup_failures: int
    seconds: float
    latencies_ms: list[float]  # sorted
    mean_response_bytes: float
    cpu: CpuTimes | None  # used during the window; None without /proc
    client_cpu_seconds: float  # this process, during the window

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float | None:
        """Nearest-rank percentile (q in 0..100) of the window's latencies."""
        if not self.latencies_ms:
            return None
        rank = max(1, math.ceil(q / 100 * len(self.latencies_ms)))
        return self.latencies_ms[rank - 1]

    @property
    def server_cpu_seconds(self) -> float | None:
        return None if self.cpu is None else self.cpu.server

    @property
    def database_cpu_seconds(self) -> float | None:
        return None if self.cpu is None else self.cpu.database

    @property
    def server_cpu_ms_per_request(self) -> float | None:
        if self.cpu is None or not self.requests:
            return None
        return self.cpu.server * 1000 / self.requests

    @property
    def client_cpu_ms_per_request(self) -> float | None:
        return self.client_cpu_seconds * 1000 / self.requests if self.requests else None

    @property
    def other_cpu_seconds(self) -> float | None:
        """CPU used by neither the server, its database nor this load generator."""
        if self.cpu is None:
            return None
        used = self.cpu.server + self.cpu.database + self.client_cpu_seconds
        return max(0.0, self.cpu.machine - used)


async def _worker(
    client: httpx.AsyncClient,
    requests: Iterator[Request],
    check: Check,
    window: _Window,
    tally: Tally,
) -> None:
    perf_counter = time.perf_counter
    while not window.stop:
        request = next(requests)
        started = perf_counter()
        try:
            response = await client.request(
                request.method, request.path, content=request.body, headers=request.headers
            )
        except httpx.HTTPError as error:
            finished = perf_counter()
            reason: str | None = type(error).__name__
            size = 0
        else:
            finished = perf_counter()
            reason = check(response)  # after the clock: parsing is the client's cost
            size = len(response.content)
        if window.start <= finished <= window.end:
            tally.latencies.append(finished - started)
            tally.response_bytes += size
            if reason is not None:
                tally.failures[reason] += 1
        elif finished < window.start:
            tally.warmup_requests += 1
            if reason is not None:
                tally.warmup_failures[reason] += 1
        if reason is not None and size == 0:
            # A transport error (server gone?): do not spin at full speed.
            await asyncio.sleep(0.01)


async def run_closed_loop(
    worker_clients: Sequence[httpx.AsyncClient],
    requests: list[Request],
    check: Check,
    *,
    warmup: float,
    duration: float,
    cpu_probe: CpuProbe,
    drain_timeout: float,
) -> LoadResult:
    """One worker per client slot; warm up for `warmup` s, then measure `duration` s."""
    window, tally = _Window(), Tally()
    cycle = itertools.cycle(requests)
    workers = [
        asyncio.create_task(_worker(client, cycle, check, window, tally))
        for client in worker_clients
    ]
    try:
        await asyncio.sleep(warmup)
        cpu_before, client_before = cpu_probe(), time.process_time()
        window.start = time.perf_counter()
        await asyncio.sleep(duration)
        window.end = time.perf_counter()
        client_after, cpu_after = time.process_time(), cpu_probe()
        window.stop = True
        # In-flight requests finish outside the window and are not counted.
        _done, pending = await asyncio.wait(workers, timeout=drain_timeout)
        for task in pending:
            task.cancel()
        for task in workers:
            error = task.exception() if task.done() and not task.cancelled() else None
            if error is not None:
                raise error  # a bug in the worker itself, not a failed request
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    count = len(tally.latencies)
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return LoadResult(
        requests=count,
        failures=sum(tally.failures.values()),
        failure_reasons=dict(tally.failures.most_common()),
        warmup_requests=tally.warmup_requests,
        warmup_failures=sum(tally.warmup_failures.values()),
        seconds=window.end - window.start,
        latencies_ms=sorted(latency * 1000 for latency in tally.latencies),
        mean_response_bytes=tally.response_bytes / count if count else 0.0,
        cpu=cpu,
        client_cpu_seconds=client_after - client_before,
    )

"""Rate limits across real processes, and through a Redis outage."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import httpx
import orjson
import pytest
from redis.asyncio import Redis

from shopgraph.app import create_app
from shopgraph.context import Services
from shopgraph.settings import Settings

from .servers import free_port, serving

REDIS_URL = os.environ.get("SHOPGRAPH_TEST_REDIS_URL")
REDIS_SERVER = shutil.which("redis-server")


async def test_two_processes_share_one_bucket(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not REDIS_URL:
        pytest.skip("set SHOPGRAPH_TEST_REDIS_URL to test Redis")
    monkeypatch.setenv("SHOPGRAPH_REDIS_URL", REDIS_URL)
    prefix = f"shopgraph-test-{uuid.uuid4().hex[:8]}:"
    monkeypatch.setenv("SHOPGRAPH_REDIS_PREFIX", prefix)
    monkeypatch.setenv("SHOPGRAPH_RATE_LIMIT", "redis")
    # The admin key the helper creates is tier "standard": 10 tokens, 1 per second.
    monkeypatch.setenv(
        "SHOPGRAPH_RATE_LIMIT_TIERS",
        orjson.dumps({"anonymous": [5, 1.0], "standard": [10, 1.0]}).decode(),
    )
    try:
        statuses, elapsed = await _burst(database_url)
    finally:
        client = Redis.from_url(REDIS_URL)
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
    assert set(statuses) <= {200, 429}, statuses
    accepted = statuses.count(200)
    # One bucket for both processes: its 10 tokens plus what refilled during the burst.
    assert 10 <= accepted <= 10 + int(elapsed) + 1, (accepted, elapsed)


async def _burst(database_url: str) -> tuple[list[int], float]:
    with serving(database_url, "--workers", "2") as server:
        limits = httpx.Limits(max_connections=40, max_keepalive_connections=0)
        async with httpx.AsyncClient(
            base_url=server.base, headers=server.headers, limits=limits, timeout=30
        ) as http:
            started = time.monotonic()
            responses = await asyncio.gather(*(http.get("/v1/categories") for _ in range(40)))
            elapsed = time.monotonic() - started
    return [r.status_code for r in responses], elapsed


@pytest.fixture
def private_redis() -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A Redis server of this test's own, so stopping it disturbs nothing else."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = _start_redis(port)
    try:
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    assert REDIS_SERVER is not None
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.mark.parametrize("fail_open", [True, False])
async def test_redis_stopped_mid_run_and_back(
    database_url: str, private_redis: tuple[int, subprocess.Popen[bytes]], fail_open: bool
) -> None:
    port, process = private_redis
    settings = Settings(
        database_url=database_url,
        secret_key="test-secret",
        rate_limit="redis",
        redis_url=f"redis://127.0.0.1:{port}/0",
        rate_limit_fail_open=fail_open,
        rate_limit_tiers={"anonymous": (3, 0.1)},
    )
    app = create_app(settings, migrate=False)
    services = Services(settings)
    app.state.services = services
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            before = [(await http.get("/v1/categories")).status_code for _ in range(5)]
            assert before == [200, 200, 200, 429, 429]
            process.terminate()
            process.wait(timeout=10)
            started = time.monotonic()
            during = [(await http.get("/v1/categories")).status_code for _ in range(5)]
            assert time.monotonic() - started < 5  # never hangs
            assert during == ([200] * 5 if fail_open else [503] * 5)
            restarted = _start_redis(port)
            try:
                after = []
                for _ in range(8):
                    after.append((await http.get("/v1/categories")).status_code)
                    await asyncio.sleep(0.05)
            finally:
                restarted.terminate()
                restarted.wait(timeout=10)
            # Back on Redis: a fresh bucket of 3, then limits again.
            assert 429 in after, after
            assert 500 not in after
    finally:
        await services.close()

"""Run the real `shopgraph serve` in a child process, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import orjson

SHOPGRAPH = [sys.executable, "-m", "shopgraph.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    base: str
    headers: dict[str, str]  # an admin API key's `Authorization`
    output: list[str] = field(default_factory=list)  # its stderr, once it has stopped


@contextmanager
def serving(database_url: str, *args: str) -> Iterator[Server]:
    """`shopgraph serve ARGS` on a free port; yields once `/readyz` answers 200."""
    port = free_port()
    env = {
        **os.environ,
        "SHOPGRAPH_DATABASE_URL": database_url,
        "SHOPGRAPH_LOG_LEVEL": "warning",
        "SHOPGRAPH_SECRET_KEY": "test-secret",
    }
    created = subprocess.run(
        [*SHOPGRAPH, "apikey", "create", "--name", "tests", "--scope", "admin", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = orjson.loads(created.stdout)["key"]
    process = subprocess.Popen(
        [*SHOPGRAPH, "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"})
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx.get(f"{server.base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        server.output.append(errors)

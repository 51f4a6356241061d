"""Run the real `shopgraph serve` (and `shopgraph worker`) in child processes, as a user
would, and crash them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import IO

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
    output: list[str] = field(default_factory=list)  # its stderr, once per run that stopped


def _terminated(process: subprocess.Popen[bytes]) -> bool:
    """SIGTERM `process` (if it still runs) and wait for it; False if it hung past 30 s."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        return False
    return True


class ServerProcess:
    """`shopgraph serve ARGS` that a test can SIGKILL and start again on the same database,
    port and API key, the way a crash and a restart look to clients.

    The server runs in a process group of its own, so a kill reaches its uvicorn workers
    too, and nothing but this group is ever signalled. Its stderr goes to a file: a pipe
    that nobody reads fills up and stalls a chatty server mid-test.
    """

    def __init__(
        self,
        database_url: str,
        *args: str,
        env: Mapping[str, str] | None = None,
        tier: str = "standard",
    ) -> None:
        self.args = args
        self.port = free_port()
        self.env = {
            **os.environ,
            "SHOPGRAPH_DATABASE_URL": database_url,
            "SHOPGRAPH_LOG_LEVEL": "warning",
            "SHOPGRAPH_SECRET_KEY": "test-secret",
            **(env or {}),
        }
        create = ["apikey", "create", "--name", "tests", "--scope", "admin", "--tier", tier]
        created = subprocess.run(
            [*SHOPGRAPH, *create, "--json"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        key = orjson.loads(created.stdout)["key"]
        self.server = Server(f"http://127.0.0.1:{self.port}", {"Authorization": f"Bearer {key}"})
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 60) -> Server:
        """Start the server (again); returns once `/readyz` answers 200."""
        assert self._process is None, "already started"
        # Closed in `_collect`, once the process that writes to it is gone.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [*SHOPGRAPH, "serve", "--port", str(self.port), *self.args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                self._collect()
                raise AssertionError(f"server exited at start-up: {self.server.output[-1]}")
            try:
                if httpx.get(f"{self.server.base}/readyz", timeout=1).status_code == 200:
                    return self.server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"server did not start: {self.server.output[-1]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the server and its workers at once: no shutdown code runs, as in a crash."""
        if self._process is None:
            return
        group = self._process.pid
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self._process.wait(timeout=30)
        # Workers are children of the server: let them go too before the port is reused.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self._collect()

    def stop(self) -> None:
        """Stop the server gracefully (SIGTERM, as a supervisor would); kill it if it hangs."""
        if self._process is None:
            return
        if _terminated(self._process):
            self._collect()
        else:
            self.kill()

    def _collect(self) -> None:
        """Keep this run's stderr in `server.output` and forget the process."""
        if self._stderr is not None:
            self._stderr.seek(0)
            self.server.output.append(self._stderr.read().decode(errors="replace"))
            self._stderr.close()
        self._stderr = None
        self._process = None


@contextmanager
def serving(
    database_url: str, *args: str, env: Mapping[str, str] | None = None, tier: str = "standard"
) -> Iterator[Server]:
    """`shopgraph serve ARGS` on a free port; yields once `/readyz` answers 200."""
    process = ServerProcess(database_url, *args, env=env, tier=tier)
    try:
        yield process.start()
    finally:
        process.stop()


class WorkerProcess:
    """`shopgraph worker` on `database_url`, in a process group of its own, that a test can
    SIGKILL mid-delivery (stderr to a file, for the same reason as the server's)."""

    def __init__(self, database_url: str, env: Mapping[str, str] | None = None) -> None:
        self.env = {
            **os.environ,
            "SHOPGRAPH_DATABASE_URL": database_url,
            "SHOPGRAPH_LOG_LEVEL": "warning",
            "SHOPGRAPH_SECRET_KEY": "test-secret",
            **(env or {}),
        }
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in `_wait`)
        self._process = subprocess.Popen(
            [*SHOPGRAPH, "worker"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            start_new_session=True,
        )
        self.output = ""

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, its leases stay behind, as in a crash."""
        with suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._wait()

    def stop(self) -> None:
        """SIGTERM, as a supervisor stops it: it finishes what is in flight."""
        if _terminated(self._process):
            self._wait()
        else:
            self.kill()

    def _wait(self) -> None:
        self._process.wait(timeout=30)
        if not self._stderr.closed:
            self._stderr.seek(0)
            self.output = self._stderr.read().decode(errors="replace")
            self._stderr.close()

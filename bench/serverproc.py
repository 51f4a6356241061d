"""Servers under test as child processes: started, awaited, measured, stopped.

`ChildServer` is any server command (PostGraphile, the floor app); `Server` is the real
one, `shopgraph serve`.
"""

from __future__ import annotations

import importlib.metadata
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

import httpx
import procstat

HOST = "127.0.0.1"

# Given a client on the server's base URL: True once the server answers as it should.
Probe = Callable[[httpx.Client], bool]


class ServerFailed(Exception):
    """The server exited or never became healthy; carries the tail of its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ChildServer:
    """A server command in a session of its own, listening on `port` of 127.0.0.1."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        env: dict[str, str],
        log_path: Path,
        *,
        port: int,
        local_postgres: bool,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.local_postgres = local_postgres  # count local `postgres` processes as its database
        self.port = port
        self.base_url = f"http://{HOST}:{port}"
        self._env = env
        self._cwd = cwd
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ChildServer:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        with self._log_path.open("wb") as log:
            # Its own session: a Ctrl-C at the terminal reaches only us, and we stop it.
            self._process = subprocess.Popen(
                self.command,
                env=self._env,
                cwd=self._cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self._log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, timeout: float, probe: Probe) -> None:
        """Poll `probe` until it says yes; ServerFailed if the server exits or time runs out."""
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.base_url, trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self.alive():
                    raise ServerFailed(
                        f"{self.name} exited with status {self.exit_code()}:\n{self.log_tail()}"
                    )
                try:
                    if probe(client):
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise ServerFailed(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def cpu_times(self) -> procstat.CpuTimes | None:
        """CPU used so far by the server and its children (and the machine, the database)."""
        return procstat.cpu_times(self.pid, self.local_postgres) if self.alive() else None

    def stop(self, timeout: float = 15.0) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully, workers too
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            # Still running, so its process group (our own child's) still exists.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _installed_version() -> str | None:
    try:
        return importlib.metadata.version("shopgraph")
    except importlib.metadata.PackageNotFoundError:
        return None


class Server(ChildServer):
    """`shopgraph serve` with `workers` processes on a free port."""

    def __init__(
        self,
        shopgraph: Sequence[str],
        workers: int,
        env: dict[str, str],
        log_path: Path,
        *,
        local_postgres: bool,
    ) -> None:
        port = free_port()
        super().__init__(
            "the server",
            [
                *shopgraph,
                *("serve", "--host", HOST, "--port", str(port), "--workers", str(workers)),
            ],
            env,
            log_path,
            port=port,
            local_postgres=local_postgres,
        )
        self.version: str | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def wait_healthy(self, timeout: float) -> None:
        def healthy(client: httpx.Client) -> bool:
            response = client.get("/healthz")
            if response.status_code != 200:
                return False
            # /healthz no longer names the version (it is on /metrics): the installed one.
            self.version = response.json().get("version") or _installed_version()
            return True

        self.wait_ready(timeout, healthy)

"""The real server, `shopgraph serve`, as a child process: started, awaited, stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import httpx
import procstat

HOST = "127.0.0.1"


class ServerFailed(Exception):
    """The server exited or never became healthy; carries the tail of its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(
        self,
        shopgraph: Sequence[str],
        workers: int,
        env: dict[str, str],
        log_path: Path,
        *,
        local_postgres: bool,
    ) -> None:
        self.local_postgres = local_postgres  # count local `postgres` processes as its database
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.command = [
            *shopgraph,
            *("serve", "--host", HOST, "--port", str(self.port), "--workers", str(workers)),
        ]
        self._env = env
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self.version: str | None = None

    def __enter__(self) -> Server:
        with self._log_path.open("wb") as log:
            # Its own session: a Ctrl-C at the terminal reaches only us, and we stop it.
            self._process = subprocess.Popen(
                self.command,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

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

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.base_url, trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self.alive():
                    raise ServerFailed(
                        f"the server exited with status {self.exit_code()}:\n{self.log_tail()}"
                    )
                try:
                    response = client.get("/healthz")
                except httpx.TransportError:
                    time.sleep(0.1)
                    continue
                if response.status_code == 200:
                    self.version = response.json().get("version")
                    return
                time.sleep(0.1)
        raise ServerFailed(f"no healthy /healthz after {timeout:.0f} s:\n{self.log_tail()}")

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def cpu_times(self) -> procstat.CpuTimes | None:
        """CPU used so far by the server and its workers (and the machine, the database)."""
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

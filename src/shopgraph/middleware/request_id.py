"""Every request's id (the caller's `X-Request-Id` if sane), echoed, and its access log line.

Made ids are a random per-process prefix and a counter: unique across processes, cheap
(no system call per request), and never reused within a process.
"""

from __future__ import annotations

import itertools
import re
import secrets

import structlog
from starlette.types import Scope

HEADER = b"x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
log = structlog.get_logger("shopgraph.access")


class RequestIds:
    """The ids of one process's requests."""

    def __init__(self) -> None:
        self._prefix = secrets.token_hex(8)
        self._serial = itertools.count(1)

    def of(self, scope: Scope) -> str:
        """The caller's id when it is sane, else a new one."""
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == HEADER), "")
        if given and _SANE.match(given):
            return given
        return f"{self._prefix}{next(self._serial):016x}"


def log_request(scope: Scope, request_id: str, status: int, duration_ms: float) -> None:
    """The access log line; a request its client abandoned is logged as 499."""
    if scope["state"].get("client_gone"):
        status = 499  # the client closed the request: not a server error
    log.info(
        "request",
        method=scope["method"],
        path=scope["path"],
        status=status,
        duration_ms=round(duration_ms, 2),
        request_id=request_id,
    )

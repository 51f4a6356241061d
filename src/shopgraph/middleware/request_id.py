"""Give every request an id (the caller's `X-Request-Id` if sane), echo it, log with it.

Made ids are a random per-process prefix and a counter: unique across processes, cheap
(no system call per request), and never reused within a process.
"""

from __future__ import annotations

import itertools
import re
import secrets
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
log = structlog.get_logger("shopgraph.access")


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._prefix = secrets.token_hex(8)
        self._serial = itertools.count(1)

    def _made(self) -> str:
        return f"{self._prefix}{next(self._serial):016x}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == HEADER), "")
        request_id = given if given and _SANE.match(given) else self._made()
        scope.setdefault("state", {})["request_id"] = request_id
        echoed = (HEADER, request_id.encode("latin-1"))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.reset_contextvars(**bound)
            if scope["state"].get("client_gone"):
                status = 499  # the client closed the request: not a server error
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                request_id=request_id,
            )

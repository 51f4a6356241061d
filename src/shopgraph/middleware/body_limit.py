"""Refuse request bodies over a size limit with a 413 problem, before they fill memory.

A declared `Content-Length` over the limit is refused before the app runs; one within it
needs nothing more, since the HTTP server never hands on more than was declared. A body
without one (chunked, or HTTP/2) is counted as the app reads it: the read that passes the
limit raises, the rest is never read, and whatever the app then answers is replaced by the
413. An HTTP/1 request with neither header has no body at all.
"""

from __future__ import annotations

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import PayloadTooLarge, to_problem
from ..http_problems import PROBLEM_JSON, problem_body


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes the limit.

    An `HTTPException`, so the apps' own handlers answer it quietly instead of logging a bug;
    their answer is replaced by the 413 problem anyway.
    """

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Request body too large")


def _declared(scope: Scope) -> tuple[int | None, bool]:
    """The declared `Content-Length` (None: none, or not a number), and whether the body
    may come without one."""
    length = None
    unbounded = scope.get("http_version") not in ("1.0", "1.1")
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                unbounded = True
        elif name == b"transfer-encoding":
            unbounded = True
    return length, unbounded


def problem(scope: Scope, max_bytes: int) -> bytes:
    error = PayloadTooLarge(f"The request body exceeds the limit of {max_bytes} bytes.")
    request_id = scope.get("state", {}).get("request_id", "-")
    return orjson.dumps(problem_body(to_problem(error), request_id))


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def refuse(self, scope: Scope, send: Send) -> None:
        body = problem(scope, self.max_bytes)
        headers = [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, unbounded = _declared(scope)
        if declared is not None and declared > self.max_bytes:
            await self.refuse(scope, send)
            return
        if not unbounded:
            await self.app(scope, receive, send)
            return
        received = 0
        exceeded = False
        app_started = False  # the app's own response went out before the limit was passed
        refused = False

        async def receive_limited() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def send_or_refuse(message: Message) -> None:
            nonlocal app_started, refused
            if exceeded and not app_started:
                if not refused:
                    refused = True
                    await self.refuse(scope, send)
                return
            if message["type"] == "http.response.start":
                app_started = True
            await send(message)

        try:
            await self.app(scope, receive_limited, send_or_refuse)
        except BodyTooLarge:
            if app_started:
                raise
        if exceeded and not app_started and not refused:
            await self.refuse(scope, send)

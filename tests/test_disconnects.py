"""A client that goes away is not a server error, and a read it abandoned stops (issue 9.10).

A client that disconnected before its body was read was logged at error level with a
traceback and a 500; reads whose client had gone ran to completion.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Message

from shopgraph.middleware.edge import EdgeMiddleware
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def test_a_read_whose_client_left_is_cancelled() -> None:
    state = {"finished": False, "cancelled": False}

    async def slow(_request: Request) -> PlainTextResponse:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            state["cancelled"] = True
            raise
        state["finished"] = True
        return PlainTextResponse("late")

    app = EdgeMiddleware(Starlette(routes=[Route("/slow", slow)]))
    messages: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if messages:
            return messages.pop()
        await asyncio.sleep(0.1)  # the client hangs up while the answer is being made
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = _scope("GET", "/slow", {})
    await asyncio.wait_for(app(scope, receive, send), 2)
    assert state == {"finished": False, "cancelled": True}
    assert sent == []
    assert scope["state"]["client_gone"] is True


async def test_a_write_whose_client_left_is_not_cancelled() -> None:
    finished = asyncio.Event()

    async def write(_request: Request) -> PlainTextResponse:
        await asyncio.sleep(0.2)
        finished.set()
        return PlainTextResponse("done")

    app = EdgeMiddleware(Starlette(routes=[Route("/write", write, methods=["POST"])]))
    messages: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if messages:
            return messages.pop()
        return {"type": "http.disconnect"}

    async def send(_message: Message) -> None:
        pass

    await app(_scope("POST", "/write", {}), receive, send)
    assert finished.is_set()


@pytest.mark.parametrize("path", ["/v1/orders", "/graphql"])
async def test_a_client_gone_before_its_body_is_a_quiet_499(
    app: Starlette, settings: Settings, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    headers = {"content-type": "application/json", **bearer(settings, ADMIN)}

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        await app(_scope("POST", path, headers), receive, send)
    assert sent[0]["status"] == 499
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    access = [
        r.msg for r in caplog.records if r.name == "shopgraph.access" and isinstance(r.msg, dict)
    ]
    assert access[-1]["status"] == 499

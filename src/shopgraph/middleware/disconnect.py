"""Stop a read whose client has gone, and never count a vanished client as a server error.

A GET or HEAD changes nothing, so when its client disconnects before the answer is
ready, the work is cancelled: the database connection goes back to the pool instead of
serving a request nobody will read. Writes are left to finish (stopping one halfway is
what the write path's leases recover from, not something to do on purpose). Either way
the request is logged as 499 (client closed request), at info level, without a
traceback.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD"})
CLIENT_CLOSED = 499  # nginx's status for a request whose client went away


async def run_watched(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run `app` on a read (GET or HEAD), cancelled if its client disconnects first."""
    first = await receive()
    if first["type"] == "http.disconnect":
        client_gone(scope)
        return
    if first.get("more_body", False):  # a GET with a streamed body: left alone
        await app(scope, _replaying(first, receive), send)
        return
    # The request runs in this task; one watcher task cancels it if the client leaves.
    request = asyncio.current_task()
    assert request is not None
    disconnected = asyncio.Event()
    finished = False

    async def watch() -> None:
        message = await receive()
        if message["type"] == "http.disconnect" and not finished:
            disconnected.set()
            client_gone(scope)
            request.cancel()  # delivered inside the app, at the await it waits on

    watcher = asyncio.ensure_future(watch())
    try:
        await app(scope, _replaying(first, disconnected), send)
    except asyncio.CancelledError:
        if not disconnected.is_set():
            raise  # cancelled from outside (shutdown): not ours to swallow
        request.uncancel()
    finally:
        finished = True
        watcher.cancel()


def client_gone(scope: Scope) -> None:
    """Mark the request as abandoned by its client: logged as 499."""
    scope.setdefault("state", {})["client_gone"] = True


def _replaying(first: Message, then: Receive | asyncio.Event) -> Receive:
    """The message already taken, then `then`'s: the real `receive`, or a disconnect once
    the event is set (the watcher owns the real `receive` meanwhile)."""
    pending = [first]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        if isinstance(then, asyncio.Event):
            await then.wait()
            return {"type": "http.disconnect"}
        return await then()

    return replay

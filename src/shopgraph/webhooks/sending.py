"""Posting one delivery: the body every try of an event shares, signed, with bounded waits
and a bounded read of the answer; what went wrong classified for the partner's log."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx
import orjson

from .. import representations
from ..records import Event
from ..versioning import CURRENT, downgrade, undone_for
from . import secrets
from .addresses import RefusedAddress, check_destination
from .queue import Outcome

EXCERPT_BYTES = 1024  # of the receiver's answer, kept with the attempt
USER_AGENT = "shopgraph-webhooks/1"


def client(connect_timeout: float, timeout: float) -> httpx.AsyncClient:
    """The dispatcher's HTTP client: no redirects followed, no proxy from the environment."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
    )


def body_of(event: Event, version: str = CURRENT) -> bytes:
    """The delivery body: the event as GET /v1/events/{id} renders it in `version` (an
    endpoint's; the object was stored in the version current when the event was made)."""
    rendered = representations.event(event)
    if any(change.object_type == event.object_type for change in undone_for(version)):
        shaped = downgrade(event.object_type, orjson.loads(event.object), version)
        rendered["data"] = {"object": shaped}
    return orjson.dumps(rendered)


def _error_of(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "timeout"
    if isinstance(error, RefusedAddress):
        return "refused_address"
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return "tls"
        if isinstance(cause, ConnectionRefusedError):
            return "connection_refused"
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, httpx.ConnectError):
        return "connection"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "connection_reset"
    return "connection"


async def _read_excerpt(response: httpx.Response, kept: bytearray) -> None:
    """The start of the answer, into `kept` as it arrives; the rest is never read (a
    receiver cannot fill memory)."""
    async for chunk in response.aiter_raw():
        kept += chunk[: EXCERPT_BYTES - len(kept)]
        if len(kept) >= EXCERPT_BYTES:
            break


async def send(
    http: httpx.AsyncClient,
    url: str,
    event: Event,
    signing: Sequence[str],
    *,
    within: float,
    allow_private: bool,
    version: str = CURRENT,
) -> Outcome:
    """POST `event` to `url`, signed with every secret in `signing`, all within `within`
    seconds (the address check, connecting, sending and reading the answer)."""
    started = time.perf_counter()
    status = None
    kept = bytearray()
    excerpt = None
    error = None
    try:
        async with asyncio.timeout(within):
            await check_destination(url, allow_private=allow_private)
            body = body_of(event, version)
            headers = secrets.headers(event.id, datetime.now(UTC), body, signing)
            headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
            async with http.stream("POST", url, content=body, headers=headers) as response:
                status = response.status_code
                await _read_excerpt(response, kept)
    except (httpx.HTTPError, OSError, TimeoutError, RefusedAddress) as failure:
        # Once the status arrived the receiver has answered: a body that then stalls or
        # breaks off only cuts the excerpt short (a 2xx has taken the event).
        if status is None:
            error = _error_of(failure)
        if isinstance(failure, RefusedAddress):
            excerpt = str(failure)
    if status is not None:
        excerpt = kept.decode("utf-8", "replace")
    latency = round((time.perf_counter() - started) * 1000)
    if status is not None and not 200 <= status < 300:
        error = f"http_{status // 100}xx"
    return Outcome(status, latency, error, excerpt)

"""Turn the `Authorization` header into the request's principal, or refuse the request.

Bad credentials are refused here, before any route runs, on both surfaces alike: a
401 with `WWW-Authenticate` (RFC 6750), or a 403 for a key used from a disallowed
address. Each refusal costs the client's address a token of the anonymous tier, so an
address that keeps guessing gets 429 with `Retry-After` instead. No credentials at all
is not an error: the caller is anonymous, and the resolvers decide what an anonymous
caller may do.
"""

from __future__ import annotations

import math
from typing import Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from ..auth.authenticate import authenticate
from ..errors import RateLimited, ServiceUnavailable, ShopgraphError, Unauthenticated, to_problem
from ..http_problems import PROBLEM_JSON, problem_body

# Paths that authenticate their own way (the OAuth token endpoint reads client secrets).
EXEMPT = frozenset({"/oauth/token"})


class AuthenticationMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        client = scope.get("client")
        client_ip = client[0] if client else None
        header = next(
            (value.decode("latin-1") for key, value in scope["headers"] if key == b"authorization"),
            None,
        )
        try:
            state["principal"] = await authenticate(state["services"], header, client_ip)
        except ShopgraphError as error:
            refusal, headers = await _throttled(state["services"], client_ip, error)
            await _refuse(scope, send, refusal, state.get("request_id", "-"), headers)
            return
        state["client_ip"] = client_ip
        await self.app(scope, receive, send)


async def _throttled(
    services: Any, client_ip: str | None, error: ShopgraphError
) -> tuple[ShopgraphError, list[tuple[bytes, bytes]]]:
    """A failed sign-in costs its address a token; with none left, the answer is a 429.

    An outage (503) is no failed sign-in: it costs nothing and says when to retry."""
    if isinstance(error, ServiceUnavailable):
        return error, [(b"retry-after", str(error.retry_after).encode())]
    limiter = services.rate_limiter
    if limiter is None:
        return error, []
    try:
        decision = await limiter.take_for_address(client_ip)
    except ServiceUnavailable:
        return error, []
    if decision.allowed:
        return error, []
    wait = max(1, math.ceil(decision.retry_after))
    throttled = RateLimited(
        f"Too many failed sign-ins from this address; retry in {wait} s.",
        extra={"retry_after": wait},
    )
    return throttled, [(b"retry-after", str(wait).encode())]


async def _refuse(
    scope: Scope,
    send: Send,
    error: ShopgraphError,
    request_id: str,
    extra_headers: list[tuple[bytes, bytes]],
) -> None:
    problem = to_problem(error)
    headers = list(extra_headers)
    if isinstance(error, Unauthenticated):
        reason = str(error.extra.get("error", "invalid_token"))
        challenge = f'Bearer realm="shopgraph", error="{reason}"'
        headers.append((b"www-authenticate", challenge.encode()))
    if scope["path"].startswith("/graphql"):
        body = orjson.dumps(
            {"errors": [{"message": problem.detail, "extensions": {"code": problem.code}}]}
        )
        media_type = b"application/json"
    else:
        body = orjson.dumps(problem_body(problem, request_id))
        media_type = PROBLEM_JSON.encode()
    headers += [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

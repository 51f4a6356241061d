"""Token-bucket limits on the REST facade, with the IETF RateLimit headers on every answer.

One bucket per principal (API key, OAuth client, customer; anonymous callers by client
IP), sized by the principal's tier. Every `/v1` response carries `RateLimit-Policy` and
`RateLimit` (draft-ietf-httpapi-ratelimit-headers) and `X-RateLimit-Limit/Remaining/Reset`;
an empty bucket answers 429 RATE_LIMITED with `Retry-After`.
"""

from __future__ import annotations

import math
import time

import orjson
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..auth.principal import Principal
from ..errors import RateLimited, ServiceUnavailable, ShopgraphError, to_problem
from ..http_problems import PROBLEM_JSON, problem_body
from ..metrics import RATE_LIMITED
from ..ratelimit import Decision
from ..ratelimit.buckets import bucket_of


def headers_for(decision: Decision) -> list[tuple[str, str]]:
    policy = decision.policy
    remaining = max(0, math.floor(decision.remaining))
    return [
        ("RateLimit-Policy", f'"{policy.name}";q={policy.capacity};w={policy.window}'),
        ("RateLimit", f'"{policy.name}";r={remaining};t={decision.reset_after}'),
        ("X-RateLimit-Limit", str(policy.capacity)),
        ("X-RateLimit-Remaining", str(remaining)),
        ("X-RateLimit-Reset", str(int(time.time()) + decision.reset_after)),
    ]


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, prefix: str = "/v1") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state", {})
        limiter = getattr(state.get("services"), "rate_limiter", None)
        if scope["type"] != "http" or limiter is None or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        principal: Principal = state["principal"]
        try:
            decision = await limiter.take(
                bucket_of(principal.kind, principal.id, state.get("client_ip")), principal.tier
            )
        except ServiceUnavailable as unavailable:  # fail-closed and Redis is down
            await _answer(scope, send, unavailable, [("Retry-After", str(unavailable.retry_after))])
            return
        headers = headers_for(decision)
        if not decision.allowed:
            wait = max(1, math.ceil(decision.retry_after))
            error = RateLimited(
                f"Too many requests; retry in {wait} s.", extra={"retry_after": wait}
            )
            RATE_LIMITED.labels("rest").inc()
            await _answer(scope, send, error, [*headers, ("Retry-After", str(wait))])
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                for name, value in headers:
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _answer(
    scope: Scope, send: Send, error: ShopgraphError, headers: list[tuple[str, str]]
) -> None:
    body = orjson.dumps(problem_body(to_problem(error), scope["state"].get("request_id", "-")))
    raw = [(name.lower().encode(), value.encode()) for name, value in headers]
    raw += [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": error.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})

"""Prometheus metrics, served at `/metrics` (per process; scrape each one)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from starlette.requests import Request
from starlette.responses import Response

RATE_LIMIT_FALLBACKS = Counter(
    "shopgraph_rate_limit_fallbacks",
    "Rate-limit decisions taken without Redis because it could not be reached.",
    ["mode"],
)
RATE_LIMITED = Counter(
    "shopgraph_rate_limited_requests",
    "Requests refused because the caller's bucket was empty.",
    ["surface"],
)


async def metrics(_request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

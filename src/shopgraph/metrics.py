"""Prometheus metrics, served at `/metrics` (per process; scrape each one)."""

from __future__ import annotations

import ipaddress

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, Info, generate_latest
from starlette.requests import Request
from starlette.responses import Response

from . import __version__
from .errors import NotFound, to_problem
from .http_problems import PROBLEM_JSON, problem_body

Info("shopgraph_build", "The version this process runs.").info({"version": __version__})
RATE_LIMIT_FALLBACKS = Counter(
    "shopgraph_rate_limit_fallbacks",
    "Rate-limit decisions taken without Redis because it could not be reached.",
    ["mode"],
)
GRAPHQL_EXECUTIONS = Counter(
    "shopgraph_graphql_executions",
    "GraphQL requests by executor: planned, strawberry, or bailed (planned, then handed to "
    "Strawberry for an exact answer).",
    ["executor"],
)
RATE_LIMITED = Counter(
    "shopgraph_rate_limited_requests",
    "Requests refused because the caller's bucket was empty.",
    ["surface"],
)
WEBHOOK_ATTEMPTS = Counter(
    "shopgraph_webhook_attempts",
    "Webhook delivery attempts by endpoint and outcome: delivered, or the error class "
    "(timeout, connection_refused, http_5xx, ...; docs/webhooks.md).",
    ["endpoint", "outcome"],
)
WEBHOOK_LATENCY = Histogram(
    "shopgraph_webhook_latency_seconds",
    "How long webhook receivers took to answer, or to fail.",
    ["endpoint"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
WEBHOOK_QUEUE = Gauge(
    "shopgraph_webhook_queue_depth",
    "Deliveries owed and not yet made, by endpoint, as this dispatcher last counted them.",
    ["endpoint"],
)


LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _loopback(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in LOOPBACK)


async def metrics(request: Request) -> Response:
    """The process's metrics, for a scraper on this machine, an admin, or (if configured)
    anyone: they tell an outsider how the server is doing and what it runs."""
    state = request.scope.get("state", {})
    principal = state.get("principal")
    allowed = (
        state["services"].settings.metrics_public
        or _loopback(request.client.host if request.client else None)
        or (principal is not None and principal.can("admin"))
    )
    if not allowed:  # as absent as a path that does not exist
        problem = to_problem(NotFound(f"No route matches `GET {request.url.path}`."))
        body = orjson.dumps(problem_body(problem, state.get("request_id", "-")))
        return Response(body, 404, media_type=PROBLEM_JSON)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

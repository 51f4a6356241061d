"""The ASGI application: both surfaces, the operational endpoints and the middleware."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from . import housekeeping, ide
from .context import Services
from .db.migrate import upgrade_async
from .logs import configure_logging
from .metrics import metrics
from .middleware.authentication import AuthenticationMiddleware
from .middleware.body_limit import BodySizeLimitMiddleware
from .middleware.cors import cors
from .middleware.edge import EdgeMiddleware
from .middleware.rate_limit import RateLimitMiddleware
from .ratelimit import RedisBuckets
from .rest_facade import create_rest_app
from .rest_facade.documents import openapi_endpoint
from .rest_facade.problems import handle_http_exception
from .schema import build_schema
from .schema.http import graphql_endpoint
from .schema.planned import PlannedExecutor
from .settings import Settings, get_settings
from .token_endpoint import token
from .versioning import CURRENT, VERSIONS
from .web import services_of

log = structlog.get_logger("shopgraph.app")


async def healthz(_request: Request) -> Response:
    """Liveness: the process answers. Says nothing about its dependencies, nor (to an
    outsider looking for known weaknesses) which version it runs: /metrics does."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Readiness: whether this process can serve. The database must answer; Redis must
    answer only when rate limits fail closed without it (fail-open serves on, so pulling
    every instance out of rotation for a Redis outage would be the outage)."""
    services = services_of(request)
    checks: dict[str, str] = {}
    ready = True
    try:
        await services.database.ping()
        checks["database"] = "up"
    except Exception:
        checks["database"] = "down"
        ready = False
    backend = getattr(services.rate_limiter, "backend", None)
    if isinstance(backend, RedisBuckets):
        try:
            await backend.ping()
            checks["redis"] = "up"
        except Exception:
            checks["redis"] = "down"
            if backend.fail_open:
                checks["degraded"] = "rate limits are not enforced until Redis is back"
            ready = ready and backend.fail_open
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", **checks}, 200 if ready else 503
    )


def create_app(settings: Settings | None = None, *, migrate: bool | None = None) -> Starlette:
    """Build the app. `migrate` defaults to on for SQLite, the zero-configuration path."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    schema = build_schema(settings)
    openapi = openapi_endpoint()
    # One OpenAPI document per dated version in the docs page's list, the current one first.
    names = {v: f"{v} (current)" if v == CURRENT else v for v in VERSIONS}
    docs = ide.docs_html(
        definitions=[(names[v], f"/openapi.json?version={v}") for v in reversed(VERSIONS)]
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if migrate if migrate is not None else settings.is_sqlite:
            await upgrade_async(settings.database_url)
        services = Services(settings)
        await services.start()
        app.state.services = services
        background = housekeeping.start(services)
        # Everything built so far lives for the whole process: keep the GC off it, and
        # collect less often, since large responses allocate many short-lived objects.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await housekeeping.last_flush(services)
            await services.close()

    graphql = graphql_endpoint(
        PlannedExecutor(schema, settings), ide.graphiql_html("/graphql/static")
    )
    routes = [
        ide.graphiql_static_route("/graphql/static"),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Mount("/v1", create_rest_app()),
        Route("/openapi.json", openapi),
        Route("/docs", lambda _r: HTMLResponse(docs)),
        Route("/oauth/token", token, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/readyz", readyz),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(EdgeMiddleware),
            *cors(settings.cors_origins),
            Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(AuthenticationMiddleware),
            Middleware(RateLimitMiddleware),
        ],
        lifespan=lifespan,
        # Paths outside every route answer in the shared problem format too.
        exception_handlers={HTTPException: handle_http_exception},
    )
    app.state.schema = schema
    return app

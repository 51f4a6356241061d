"""The REST sub-app: Starlette routes built from the route table, problem+json errors."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .endpoint import Endpoint, with_context
from .problems import EXCEPTION_HANDLERS
from .routes import PREFIX, ROUTES


def _dispatch(by_method: Mapping[str, Endpoint]) -> Endpoint:
    """One endpoint per path, so a wrong method is a 405 listing every allowed one."""

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await by_method[method](request)

    return endpoint


def create_rest_app() -> Starlette:
    """The `/v1` sub-app; the app that mounts it provides the services (see `web`)."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for operation in ROUTES:
        by_path.setdefault(operation.path, {})[operation.method] = with_context(
            operation.handler,
            operation.query,
            route=f"{operation.method} {PREFIX}{operation.path}",
            has_body=operation.body is not None,
            response_model=operation.response,
        )
    routes = [
        Route(path, _dispatch(by_method), methods=list(by_method), name=path)
        for path, by_method in by_path.items()
    ]
    return Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS)

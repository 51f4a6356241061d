"""What both HTTP surfaces share: the request context and the request id."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from .auth.principal import ANONYMOUS
from .context import RequestContext, Services


def services_of(connection: HTTPConnection) -> Services:
    return connection.scope["state"]["services"]  # type: ignore[no-any-return]


def request_id_of(connection: HTTPConnection) -> str:
    return connection.scope.get("state", {}).get("request_id", "-")  # type: ignore[no-any-return]


def context_for(connection: HTTPConnection) -> RequestContext:
    """A fresh context for one request; the caller must `await ctx.close()` when done."""
    state = connection.scope.get("state", {})
    return RequestContext(
        services_of(connection),
        request_id=request_id_of(connection),
        principal=state.get("principal", ANONYMOUS),
        client_ip=state.get("client_ip"),
    )

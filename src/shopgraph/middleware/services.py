"""Hand each request the process's services through its scope.

Starlette points `request.app` at the innermost app, so a mounted sub-app (the REST
facade) cannot reach the root app's state; the scope's `state` travels everywhere.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class ServicesMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["services"] = scope["app"].state.services
        await self.app(scope, receive, send)

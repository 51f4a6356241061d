"""Errors as RFC 9457 `application/problem+json`, and the sub-app's exception handlers.

Every error the REST facade answers with goes through `problem_response`, starting from
`shopgraph.errors.to_problem`, so REST shows the same codes and field paths as GraphQL.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import orjson
import structlog
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..errors import (
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Problem,
    ShopgraphError,
    to_problem,
)
from ..http_problems import PROBLEM_JSON, problem_body
from ..web import request_id_of
from . import versions

log = structlog.get_logger("shopgraph.rest")

# Router-level HTTP errors that have no domain error class; codes by status.
_HTTP_CODES = {
    400: ("VALIDATION_FAILED", "Malformed request"),
    401: ("UNAUTHENTICATED", "Authentication required"),
    403: ("FORBIDDEN", "Forbidden"),
    405: (MethodNotAllowed.code, MethodNotAllowed.title),
    413: (PayloadTooLarge.code, PayloadTooLarge.title),
    429: ("RATE_LIMITED", "Rate limited"),
    503: ("SERVICE_UNAVAILABLE", "Service unavailable"),
}


def problem_response(
    request: Request, problem: Problem, headers: dict[str, str] | None = None
) -> Response:
    body = orjson.dumps(problem_body(problem, request_id_of(request)))
    if problem.status == 401:  # RFC 9110: a 401 names how to authenticate
        headers = {"WWW-Authenticate": 'Bearer realm="shopgraph"', **(headers or {})}
    answered = Response(body, problem.status, headers=headers, media_type=PROBLEM_JSON)
    return versions.named(request, answered)


def http_problem(request: Request, error: HTTPException) -> Problem:
    if error.status_code == 404:
        return to_problem(NotFound(f"No route matches `{request.method} {request.url.path}`."))
    if error.status_code == 405:
        return to_problem(
            MethodNotAllowed(f"`{request.method}` is not allowed on `{request.url.path}`.")
        )
    code, title = _HTTP_CODES.get(error.status_code, (None, None))
    if code is None or title is None:
        code = "INTERNAL" if error.status_code >= 500 else "VALIDATION_FAILED"
        title = HTTPStatus(error.status_code).phrase
    return Problem(code, error.status_code, title, str(error.detail))


def unexpected(request: Request, error: BaseException) -> Response:
    """Log a bug with its request id; show the client nothing of it."""
    log.error(
        "rest.unexpected_error",
        request_id=request_id_of(request),
        method=request.method,
        path=request.url.path,
        exc_info=error,
    )
    return problem_response(request, to_problem(error))


async def handle_shopgraph_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ShopgraphError)
    if error.status >= 500:
        log.warning(
            "rest.error", request_id=request_id_of(request), code=error.code, detail=error.detail
        )
    return problem_response(request, to_problem(error), retry_headers(error))


def retry_headers(error: ShopgraphError) -> dict[str, str] | None:
    """`Retry-After` for an error that says when to come back (503, 429)."""
    wait = error.extra.get("retry_after")
    return None if wait is None else {"Retry-After": str(wait)}


async def handle_http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    headers = (
        {"Allow": error.headers["Allow"]} if error.headers and "Allow" in error.headers else None
    )
    if error.headers and "Retry-After" in error.headers:
        headers = {**(headers or {}), "Retry-After": error.headers["Retry-After"]}
    return problem_response(request, http_problem(request, error), headers)


async def handle_unexpected(request: Request, error: Exception) -> Response:
    return unexpected(request, error)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ShopgraphError: handle_shopgraph_error,
    HTTPException: handle_http_exception,
    # Starlette runs this one in ServerErrorMiddleware, which re-raises after answering;
    # endpoints therefore answer their own unexpected errors (see `endpoint.py`) and this
    # is the backstop for anything raised outside an endpoint.
    Exception: handle_unexpected,
}

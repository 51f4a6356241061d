"""GraphQL over HTTP at `/graphql`: GET for queries, POST for anything, GraphiQL in a browser.

Follows the GraphQL-over-HTTP spec: `application/graphql-response+json` when the client
accepts it (request errors then answer 4xx), `application/json` otherwise (always 200
for a well-formed request); mutations over GET are 405. Errors carry `extensions.code`
from the shared taxonomy; unexpected ones are logged and masked. A request may name its
document by hash (`persisted.py`: APQ and the allow-list); a GET answer is cacheable
(`http_caching.py`).
"""

from __future__ import annotations

import re
from typing import Any

import orjson
import structlog
from graphql import GraphQLError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from ..errors import QueryTooComplex, RateLimited, ServiceUnavailable, ShopgraphError
from ..middleware.disconnect import CLIENT_CLOSED, client_gone
from ..versioning.deprecations import headers as deprecation_headers
from ..web import context_for
from .deprecated_use import DeprecatedUse
from .http_caching import get_answer
from .persisted import PersistedOperations, Refused, names_persisted_query
from .planned import PlannedExecutor
from .planned.executor import AmbiguousOperation

log = structlog.get_logger("shopgraph.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# How Strawberry's limiters and graphql-core's parser word a refused document.
LIMIT_PATTERN = re.compile(
    r"exceeds maximum operation depth of \d+$|^\d+ aliases found\. Allowed: \d+$"
    r"|^Syntax Error: Document contains more than \d+ tokens"
)


def _media_type(accept: str) -> str | None:
    """Pick the response type the client accepts; None if it accepts neither."""
    if not accept:
        return JSON
    types = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE in types:
        return GRAPHQL_RESPONSE
    if JSON in types or "*/*" in types or "application/*" in types:
        return JSON
    return None


def _request_error(
    message: str,
    status: int,
    media_type: str,
    code: str = "VALIDATION_FAILED",
    extensions: dict[str, Any] | None = None,
    **headers: str,
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, **(extensions or {})}}]}
    return Response(orjson.dumps(body), status, headers=headers or None, media_type=media_type)


def _refusal(refused: Refused, media_type: str) -> Response:
    status = refused.status
    if status is None:  # refused as an invalid document is
        status = 400 if media_type == GRAPHQL_RESPONSE else 200
    return _request_error(
        refused.message, status, media_type, refused.code, refused.extensions, **refused.headers
    )


def _format_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = error.path
    original = error.original_error
    if isinstance(original, ShopgraphError):
        formatted["message"] = original.detail
        extensions: dict[str, Any] = {"code": original.code, **original.extra}
        if original.errors:
            extensions["errors"] = [
                {"field": item.field, "code": item.code, "message": item.message}
                for item in original.errors
            ]
    elif isinstance(original, GraphQLError):
        # graphql-core's own, wrapped at a field: an argument that did not coerce.
        formatted["message"] = original.message
        extensions = {"code": "VALIDATION_FAILED"}
    elif original is not None and error.path:
        # An exception from a resolver that is not ours: a bug. Log it, show nothing.
        log.error("graphql.unexpected_error", request_id=request_id, exc_info=original)
        formatted["message"] = "An unexpected error occurred."
        extensions = {"code": "INTERNAL", "request_id": request_id}
    elif LIMIT_PATTERN.search(error.message):
        extensions = {"code": "QUERY_TOO_COMPLEX"}
    else:  # parse, validation and variable-coercion errors
        extensions = {"code": "VALIDATION_FAILED"}
    formatted["extensions"] = extensions
    return formatted


async def _params(request: Request) -> dict[str, Any] | str:
    """The GraphQL request parameters, or a message saying why they are malformed."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if name in params:
                try:
                    params[name] = orjson.loads(params[name])
                except orjson.JSONDecodeError:
                    return f"`{name}` is not valid JSON."
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != JSON:
            return "POST requests must have Content-Type: application/json."
        try:
            params = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return "The request body is not valid JSON."
        if not isinstance(params, dict):
            return "The request body must be a JSON object."
    if params.get("extensions") is not None and not isinstance(params["extensions"], dict):
        return "`extensions` must be an object."
    query = params.get("query")
    if not isinstance(query, str) and not (query is None and names_persisted_query(params)):
        return "`query` must be a string."
    if params.get("variables") is not None and not isinstance(params["variables"], dict):
        return "`variables` must be an object."
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        return "`operationName` must be a string."
    return params


def _status(
    errors: list[GraphQLError], refused: bool, media_type: str, retry_after: int | None
) -> tuple[int, dict[str, str] | None]:
    """The HTTP status and headers of a GraphQL answer.

    An outage of a backing service (the database, Redis when it fails closed) is the
    server's condition: 503 with `Retry-After` under both media types. Throttling is not a
    malformed request either: 200 with RATE_LIMITED and `Retry-After`. A document refused
    before execution is 400 under `application/graphql-response+json`, as the spec says.
    """
    outage = next(
        (e.original_error for e in errors if isinstance(e.original_error, ServiceUnavailable)),
        None,
    )
    if outage is not None:
        return 503, {"Retry-After": str(outage.retry_after)}
    if retry_after is not None:
        return 200, {"Retry-After": str(retry_after)}
    return (400 if media_type == GRAPHQL_RESPONSE and refused else 200), None


def graphql_endpoint(executor: PlannedExecutor, ide_html: str | None) -> Any:
    """The Starlette endpoint serving the executor's schema, and GraphiQL to browsers when
    `ide_html` is set."""
    persisted = PersistedOperations()
    deprecated = DeprecatedUse(executor.graphql)

    async def endpoint(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        # Browsers get GraphiQL, also for its shareable `?query=...` links.
        if request.method == "GET" and "text/html" in accept:
            if ide_html is None:
                return Response(status_code=404)
            return HTMLResponse(ide_html)
        media_type = _media_type(accept)
        if media_type is None:
            return Response(f"Accept {JSON} or {GRAPHQL_RESPONSE}.", 406, media_type="text/plain")
        try:
            params = await _params(request)
        except ClientDisconnect:  # gone before its body arrived: nothing to answer
            client_gone(request.scope)
            return Response(status_code=CLIENT_CLOSED)
        if isinstance(params, str):
            return _request_error(params, 400, media_type)
        allowed = (
            {OperationType.QUERY}
            if request.method == "GET"
            else {
                OperationType.QUERY,
                OperationType.MUTATION,
            }
        )
        ctx = context_for(request)
        try:
            document = await persisted.document(params, ctx)
            result = await executor.execute(
                document.query, params.get("variables"), params.get("operationName"), ctx, allowed
            )
        except Refused as refusal:
            return _refusal(refusal, media_type)
        except InvalidOperationTypeError:
            return _request_error(
                "Mutations are only allowed over POST.", 405, media_type, allow="POST"
            )
        except MissingQueryError:
            return _request_error("`query` must be a string.", 400, media_type)
        except (CannotGetOperationTypeError, AmbiguousOperation):
            name = params.get("operationName")
            message = (
                f"The document has no operation named `{name}`."
                if name
                else "The document has several operations: name one in `operationName`."
            )
            return _request_error(message, 400, media_type)
        finally:
            await ctx.close()
        if ctx.admission is not None:
            await persisted.store(ctx, document)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [_format_error(error, ctx.request_id) for error in result.errors]
        # Refused before execution (invalid, or too costly): no `data` at all, per the spec.
        errors = result.errors or []
        refused = isinstance(result, PreExecutionError) or (
            result.data is None
            and bool(errors)
            and all(
                isinstance(e.original_error, QueryTooComplex | RateLimited | ServiceUnavailable)
                for e in errors
            )
        )
        if not refused:
            body["data"] = result.data
        extensions: dict[str, Any] = {}
        if ctx.cost_report is not None:
            extensions["cost"] = ctx.cost_report
        if ctx.idempotency:
            extensions["idempotency"] = ctx.idempotency
        used = () if refused else deprecated.of(document.query, params.get("variables"))
        if used:
            extensions["deprecations"] = [item.as_extension() for item in used]
            ctx.services.deprecation_usage.note(ctx.principal, used)
        if extensions:
            body["extensions"] = extensions
        status, headers = _status(errors, refused, media_type, ctx.retry_after)
        if used:
            headers = {**(headers or {}), **deprecation_headers(used)}
        if request.method == "GET":
            max_age = ctx.settings.graphql_public_max_age_seconds
            return get_answer(request, body, status, headers, media_type, ctx.principal, max_age)
        return Response(orjson.dumps(body), status, headers=headers, media_type=media_type)

    return endpoint

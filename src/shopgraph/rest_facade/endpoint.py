"""What every endpoint shares: parsed input in, one request context, closed afterwards.

A handler receives a `Call` (the request, its context, its parsed query string and JSON
body) and returns a response. `with_context` wraps it: it parses the query string with
the route's query model and the body as a JSON object, builds the context, and always
closes the context, whatever happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ..context import RequestContext
from ..errors import FieldError, MalformedRequest, ShopgraphError, ValidationFailed
from ..middleware.disconnect import CLIENT_CLOSED, client_gone
from ..resolvers.inputs import parse
from ..versioning import deprecations
from ..versioning.deprecations import Deprecation
from ..web import context_for
from . import versions
from .problems import unexpected

Q = TypeVar("Q")


@dataclass(frozen=True, slots=True)
class Call(Generic[Q]):
    """One endpoint invocation: `query` is an instance of the route's query model."""

    request: Request
    ctx: RequestContext
    query: Q
    body: dict[str, Any]

    @property
    def id(self) -> str:
        """The `{id}` path parameter."""
        return str(self.request.path_params["id"])


Handler = Callable[[Call[Any]], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    """The query string as `model`; VALIDATION_FAILED names each bad or unknown parameter."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in params:
            raise ValidationFailed(
                f"`{name}` is given more than once.",
                errors=[FieldError(name, "INVALID", "Give this parameter once.")],
            )
        params[name] = value
    return parse(model, params)


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def integral_numbers(value: Any) -> Any:
    """`value` with every integral float (`2.0`) as the integer it is.

    JSON has one number type, and JSON Schema's `integer` (what the document says of every
    count and amount) includes `2.0`; GraphQL's `Int` takes it too. The input models are
    strict, so the body is normalised here; `2.5` stays a float and is refused there.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: integral_numbers(item) for key, item in value.items()}
    return value


async def read_json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; MALFORMED (400) for anything else."""
    if not is_json(request.headers.get("content-type", "")):
        raise MalformedRequest(
            "Send the body as JSON with `Content-Type: application/json`.",
            errors=[FieldError(None, "INVALID", "Expected Content-Type: application/json.")],
        )
    try:
        data = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise MalformedRequest(
            "The request body is not valid JSON.",
            errors=[FieldError(None, "INVALID", "Not valid JSON.")],
        ) from None
    if not isinstance(data, dict):
        raise MalformedRequest(
            "The request body must be a JSON object.",
            errors=[FieldError(None, "INVALID", "Expected a JSON object.")],
        )
    return integral_numbers(data)  # type: ignore[no-any-return]


def _deprecated_use(
    request: Request, route: Deprecation | None, parameters: Mapping[str, Deprecation]
) -> list[Deprecation]:
    """What deprecated `request` uses of its route and query parameters; Retired (410) for
    any of them past its sunset."""
    used = [route] if route is not None else []
    used += [parameters[name] for name in request.query_params if name in parameters]
    for item in used:
        if item.is_past_sunset():
            raise item.retired()
    return used


def with_context(
    handler: Handler,
    query: type[BaseModel],
    *,
    route: str,
    has_body: bool,
    response_model: type[BaseModel] | None = None,
) -> Endpoint:
    """A Starlette endpoint running `handler` with parsed input and its own context.

    `route` (`METHOD /v1/path`) names the operation in the deprecation registry. Domain and
    HTTP errors propagate to the sub-app's exception handlers. Anything else is a bug: it
    is logged and answered with a 500 problem here, because Starlette's handler for
    `Exception` re-raises after answering (the server would log it twice).
    """
    deprecated_route = deprecations.ROUTES.get(route)
    deprecated_parameters = deprecations.parameters_of(route)

    async def endpoint(request: Request) -> Response:
        used = _deprecated_use(request, deprecated_route, deprecated_parameters)
        parsed = parse_query(request, query)
        try:
            body = await read_json_object(request) if has_body else {}
        except ClientDisconnect:  # gone before its body arrived: nothing to answer
            client_gone(request.scope)
            return Response(status_code=CLIENT_CLOSED)
        ctx = context_for(request)
        try:
            versions.version_of(request, ctx.principal)
            answered = await handler(Call(request, ctx, parsed, body))
            adapted = await versions.adapt(ctx, request, response_model, answered)
            return versions.named(request, adapted, response_model, used)
        except (ShopgraphError, HTTPException):
            raise
        except Exception as error:
            return unexpected(request, error)
        finally:
            await ctx.close()

    return endpoint

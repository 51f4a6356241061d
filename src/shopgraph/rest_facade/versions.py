"""Dated versions at the REST edge: which version a request is answered in, and the
answer reshaped for it (docs/versioning.md).

The version is the `Shopgraph-Version` header if the request sends one, else the one its
API key is pinned to, else the current one; every answer names it in the same header. The
handlers render only the current version; for an older one, each resource in a successful
answer goes through `versioning.downgrade`, with what the older shape needs loaded here in
one batch per answer (a payment's refunds, say).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

import orjson
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from .. import representations
from ..auth.principal import ANONYMOUS, Principal
from ..context import RequestContext
from ..entity_tags import entity_tag
from ..events.catalog import EVENT_TYPES
from ..resolvers import payments as payment_reads
from ..versioning import (
    CURRENT,
    HEADER,
    VersionSunset,
    deprecations,
    downgrade,
    parse_version,
    undone_for,
)
from . import models

SCOPE_KEY: Final = "shopgraph.api_version"
Resource = dict[str, Any]
# The REST models that are resources a version change may reshape, by their object type.
RESOURCES: Final[dict[type[BaseModel], str]] = {
    models.Category: "Category",
    models.Product: "Product",
    models.Customer: "Customer",
    models.Order: "Order",
    models.Payment: "Payment",
    models.Refund: "Refund",
}


def version_of(request: Request, principal: Principal) -> str:
    """The version to answer `request` in (kept in its scope); UnknownVersion if it names
    one that does not exist."""
    known = request.scope.get(SCOPE_KEY)
    if known is not None:
        return str(known)
    asked = request.headers.get(HEADER)
    version = CURRENT if asked is None else parse_version(asked.strip())
    if asked is None and principal.api_version is not None:
        version = principal.api_version
    request.scope[SCOPE_KEY] = version
    retired = deprecations.VERSIONS.get(version)
    if retired is not None and retired.is_past_sunset():
        raise VersionSunset(
            f"Version {version} was retired on {retired.sunset.isoformat()}: send "
            f"`{HEADER}: {retired.successor}` (or pin your key to it) and see "
            f"{deprecations.DOCS}{retired.docs}.",
            extra={"successor": retired.successor},
        )
    return version


def named(
    request: Request,
    response: Response,
    model: type[BaseModel] | None = None,
    also: Sequence[deprecations.Deprecation] = (),
) -> Response:
    """`response` naming the version it was rendered in (the current one when the request
    named none that exists), and what it used that is deprecated: its version, fields of
    `model`, and `also` (its route and parameters)."""
    version = str(request.scope.get(SCOPE_KEY, CURRENT))
    response.headers[HEADER] = version
    used = [*also, *_deprecated_fields(model)] if 200 <= response.status_code < 300 else []
    if version in deprecations.VERSIONS:
        used.append(deprecations.VERSIONS[version])
    if used:
        origin = f"{request.url.scheme}://{request.url.netloc}"
        response.headers.update(deprecations.headers(used, origin, request.path_params))
        state = request.scope.get("state", {})
        if "services" in state:  # counted for the adoption report
            state["services"].deprecation_usage.note(state.get("principal", ANONYMOUS), used)
    return response


@functools.cache
def _deprecated_fields(model: type[BaseModel] | None) -> tuple[deprecations.Deprecation, ...]:
    """The deprecated fields an answer of `model` carries, however deep (once per model)."""
    found: dict[str, deprecations.Deprecation] = {}
    seen: set[type[BaseModel]] = set()

    def walk(current: type[BaseModel]) -> None:
        if current in seen:
            return
        seen.add(current)
        for name, field in current.model_fields.items():
            deprecated = deprecations.FIELDS.get(f"{current.__name__}.{name}")
            if deprecated is not None:
                found[deprecated.subject] = deprecated
            for inner in _models_in(field.annotation):
                walk(inner)

    if model is not None:
        walk(model)
    return tuple(found.values())


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for argument in getattr(annotation, "__args__", ()) for m in _models_in(argument)]


async def _refunds(
    ctx: RequestContext, payments: Sequence[Resource], version: str
) -> list[Resource]:
    found = await payment_reads.refunds_of_ids(ctx, [payment["id"] for payment in payments])
    return [
        {"refunds": [downgrade("Refund", representations.refund(item), version) for item in items]}
        for items in found
    ]


# What an older shape needs, loaded for all the resources of one answer at once, in the
# answer's version.
Loader = Callable[[RequestContext, Sequence[Resource], str], Awaitable[list[Any]]]
RELATED: Final[dict[str, Loader]] = {"refunds": _refunds}


def _resources(model: type[BaseModel] | None, body: Any) -> list[tuple[str, Resource, bool]]:
    """The resources in an answer of `model`: its object type, the resource, and whether it
    is live (the answer itself or the items of its `data`) rather than a snapshot (the
    object an event carries, as it was when the event happened: nothing is loaded for it)."""
    if model is None or not isinstance(body, dict):
        return []
    if model in RESOURCES:
        return [(RESOURCES[model], body, True)]
    if model is models.Event:
        return [(EVENT_TYPES[body["type"]].object_type, body["data"]["object"], False)]
    items = model.model_fields.get("data")
    if items is None or not isinstance(body.get("data"), list):
        return []
    found: list[tuple[str, Resource, bool]] = []
    for item in body["data"]:
        found += _resources(_item_model(items.annotation), item)
    return found


def _item_model(annotation: Any) -> type[BaseModel] | None:
    arguments = getattr(annotation, "__args__", ())
    return arguments[0] if arguments and isinstance(arguments[0], type) else None


async def adapt(
    ctx: RequestContext,
    request: Request,
    model: type[BaseModel] | None,
    response: Response,
) -> Response:
    """`response` as the request's version renders it."""
    version = version_of(request, ctx.principal)
    if version == CURRENT:
        return response
    changes = undone_for(version)
    if not changes or not 200 <= response.status_code < 300 or not response.body:
        return response
    body = orjson.loads(response.body)
    found = _resources(model, body)
    reshaped = {change.object_type for change in changes}
    if not any(object_type in reshaped for object_type, _, _ in found):
        return response
    wanted = {change.needs for change in changes if change.needs is not None}
    related: dict[int, dict[str, Any]] = {id(resource): {} for _, resource, _ in found}
    for need in wanted:
        kinds = {c.object_type for c in changes if c.needs == need}
        owners = [resource for kind, resource, live in found if live and kind in kinds]
        if owners:
            loaded = await RELATED[need](ctx, owners, version)
            for owner, extra in zip(owners, loaded, strict=True):
                related[id(owner)].update(extra)
    _replace_all(body, found, version, related)
    return _with_body(response, orjson.dumps(body))


def _replace_all(
    body: Any,
    found: list[tuple[str, Resource, bool]],
    version: str,
    related: dict[int, dict[str, Any]],
) -> None:
    """Swap each found resource for its older shape, where it sits in `body`."""
    swaps = {
        id(resource): downgrade(object_type, resource, version, related[id(resource)])
        for object_type, resource, _ in found
    }

    def walk(value: Any) -> Any:
        if id(value) in swaps:
            return swaps[id(value)]
        if isinstance(value, dict):
            for key, item in value.items():
                value[key] = walk(item)
        elif isinstance(value, list):
            value[:] = [walk(item) for item in value]
        return value

    if id(body) in swaps:
        replaced = swaps[id(body)]
        body.clear()
        body.update(replaced)
    else:
        walk(body)


def _with_body(response: Response, content: bytes) -> Response:
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "etag")}
    if "etag" in response.headers:
        headers["ETag"] = entity_tag(content)
    return Response(content, response.status_code, headers=headers, media_type=response.media_type)

"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Schemas come from `model_json_schema(ref_template=...)`; their `$defs` are collected into
`components.schemas`. A name that two different schemas claim is an error, not a silent
overwrite. Request bodies are the resolvers' own input models, so the document states
exactly what the service layer accepts.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Literal

from pydantic import BaseModel

from .. import __version__
from ..http_problems import PROBLEM_JSON
from ..resolvers.idempotency import MAX_KEY_LENGTH
from ..resolvers.inputs import NULLABLE_ON_UPDATE
from ..versioning import CURRENT, deprecations, undone_for
from ..versioning.deprecations import Deprecation
from .conditional import ENTITY_TAGS_PATTERN
from .models import Problem
from .render import JSON
from .routes import PREFIX, ROUTES, Operation

REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: (
        "MalformedRequest",
        "The body is not a JSON object or not sent as JSON, or a header such as `If-Match` "
        "is malformed.",
    ),
    402: (
        "PaymentDeclined",
        "The provider declined the payment; `decline_code` says why, `payment_id` names the "
        "failed payment. The order stays payable.",
    ),
    401: (
        "Unauthenticated",
        "No credentials, or credentials that are malformed, expired, revoked or forged. "
        "Comes with `WWW-Authenticate`.",
    ),
    403: ("Forbidden", "The credentials lack a required scope, or this address is not allowed."),
    404: ("NotFound", "No such resource (or route)."),
    409: (
        "Conflict",
        "Clashes with current data: a duplicate, a resource still in use, an order in a "
        "state that forbids this (`current_status`), INSUFFICIENT_INVENTORY for a short "
        "line, or an idempotency key (or a payment) still being processed: retry shortly.",
    ),
    412: (
        "PreconditionFailed",
        "`If-Match` names no current entity-tag: the resource changed since it was read. "
        "Nothing was changed; `current_version` is the resource's version now. GET it "
        "again for its current `ETag` and retry.",
    ),
    410: (
        "Gone",
        "What the request used is past its sunset: its version (VERSION_SUNSET), or this "
        "route or a parameter it sent (RETIRED). `successor` names what to use instead "
        "(docs/versioning.md).",
    ),
    422: ("ValidationFailed", "A field or query parameter is invalid; see `errors`."),
    500: ("Internal", "An unexpected error; quote `request_id` when reporting it."),
    502: (
        "PaymentProviderError",
        "The payment provider refused the request as invalid, or answered with something "
        "other than was asked. Nothing was recorded as paid or refunded; a payment whose "
        "money may have moved is `needs_review`.",
    ),
    503: (
        "ServiceUnavailable",
        "A backing service (the payment provider) failed transiently; retry with the same "
        "Idempotency-Key.",
    ),
}
TAGS = (
    ("Categories", "Product categories."),
    ("Products", "The catalog, with stock levels."),
    ("Customers", "Customers and their orders."),
    ("Orders", "Orders, with their lines embedded: place, cancel, fulfil."),
    ("Inventory", "Stock levels and the append-only ledger of stock movements."),
    ("Payments", "Charges against orders, and refunds (sandbox provider: see the test tokens)."),
    ("Access", "API keys, customer tokens and the audit trail."),
    ("Reports", "Sales, top products and stock value (docs/analytics.md)."),
    ("Webhooks", "Endpoints that events are delivered to, signed; every delivery attempt."),
    ("Events", "What happened to orders, payments, refunds, stock and products (webhooks)."),
)
DESCRIPTION = (
    "The shopgraph REST API. Lists are paged with opaque cursors (`limit`, "
    "`starting_after`, `ending_before`); errors are RFC 9457 `application/problem+json`. "
    "Single resources carry a strong `ETag`: send it back in `If-None-Match` (GET, 304 if "
    "unchanged) or `If-Match` (PATCH, 412 if it changed meanwhile: no lost updates). "
    "Creates with side effects (orders, payments, refunds) accept an `Idempotency-Key` "
    "header: a replay within 24 hours returns the first answer with "
    "`Idempotent-Replayed: true`. Answers are rendered in a dated version "
    "(`Shopgraph-Version`, docs/versioning.md); `/openapi.json?version=YYYY-MM-DD` is the "
    "document of an older one."
)

# Conditional requests (see `conditional`), by method and path pattern: the route table
# stays as it is and these add what the handlers implement. A new single-resource route
# that answers through `conditional` belongs in the matching pattern.
CONDITIONAL_GET = re.compile(r"^/(categories|products|customers|orders)/\{id\}$")
CONDITIONAL_PATCH = re.compile(r"^/(categories|products|customers)/\{id\}$")
TAGGED_CREATE = re.compile(r"^/(categories|products|customers)$")

ETAG_HEADER: dict[str, Any] = {
    "description": (
        'Strong entity-tag of this representation: `"` + the first 16 hex digits of the '
        'SHA-256 of the body + `"`. It changes whenever the body does (for a product, also '
        "when only its stock changes). Send it back in `If-None-Match` or `If-Match`."
    ),
    "schema": {"type": "string", "examples": ['"3f2a9c0d1e4b5a67"']},
}
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": (
        '`*` or a comma-separated list of entity-tags, compared weakly (`W/"x"` matches '
        '`"x"`). If one matches the current `ETag`, the answer is 304 with no body. '
        "A malformed value is ignored."
    ),
    "schema": {"type": "string"},
}
IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": (
        "`*` or a comma-separated list of entity-tags from `ETag`, compared strongly (weak "
        "tags never match). The update is applied only if one matches the current "
        "representation and nothing changes it before the write; otherwise 412 "
        "PRECONDITION_FAILED and nothing is changed. Malformed: 400. Without it the update "
        "is unconditional."
    ),
    "schema": {
        "type": "string",
        "pattern": ENTITY_TAGS_PATTERN,
        "examples": ['"3f2a9c0d1e4b5a67"'],
    },
}
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "1-255 printable ASCII characters, unique per intended request (a UUID). A replay "
        "within 24 hours returns the first answer, status and body, with "
        "`Idempotent-Replayed: true`; the same key with other parameters is 422 "
        "IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 CONFLICT. Answers to "
        "invalid input and 5xx answers are not kept, so a retry runs again."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": "^[ -~]+$",
    },
}
NOT_MODIFIED: dict[str, Any] = {
    "description": "Not modified: `If-None-Match` matches the current `ETag`. No body.",
    "headers": {"ETag": ETAG_HEADER},
}


def conditional_get(operation: Operation) -> bool:
    return operation.method == "GET" and CONDITIONAL_GET.match(operation.path) is not None


def conditional_patch(operation: Operation) -> bool:
    return operation.method == "PATCH" and CONDITIONAL_PATCH.match(operation.path) is not None


def carries_etag(operation: Operation) -> bool:
    """Whether the success response has an `ETag` header."""
    return (
        conditional_get(operation)
        or conditional_patch(operation)
        or (operation.method == "POST" and TAGGED_CREATE.match(operation.path) is not None)
    )


# Rules a resolver checks across fields after the model has parsed them, stated in the
# schema of that model: the model itself only knows each field on its own.
# StockAdjustment (`resolvers.inventory.adjust_stock`): a zero delta is refused, and a
# receipt adds stock, so its delta is positive.
RESOLVER_RULES: dict[str, dict[str, Any]] = {
    "StockAdjustment": {
        "properties": {"delta": {"not": {"const": 0}}},
        "anyOf": [
            {"properties": {"kind": {"const": "adjustment"}}},
            {"properties": {"delta": {"minimum": 1}}},
        ],
    },
}


def _with_resolver_rules(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    rules = RESOLVER_RULES.get(name)
    if rules is None:
        return schema
    properties = copy.deepcopy(schema.get("properties", {}))
    for field, extra in rules.get("properties", {}).items():
        properties[field] = properties.get(field, {}) | extra
    return (
        schema
        | {key: value for key, value in rules.items() if key != "properties"}
        | {"properties": properties}
    )


class Components:
    """`components.schemas`, filled as models are referenced."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def add(self, name: str, schema: dict[str, Any]) -> None:
        existing = self.schemas.setdefault(name, schema)
        if existing != schema:
            raise ValueError(f"Two different schemas are both named `{name}`.")

    def ref(self, model: type[BaseModel], mode: Mode) -> dict[str, Any]:
        schema = model.model_json_schema(ref_template=REF, mode=mode)
        if mode == "validation":
            schema = _with_resolver_rules(model.__name__, _input_nulls(schema))
        for name, definition in schema.pop("$defs", {}).items():
            self.add(name, definition)
        self.add(model.__name__, schema)
        return {"$ref": REF.format(model=model.__name__)}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None = None` as an optional X (for query parameters and non-nullable inputs)."""
    options = schema.get("anyOf")
    if not options or {"type": "null"} not in options or len(options) != 2:
        return schema
    (kept,) = [option for option in options if option != {"type": "null"}]
    merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "anyOf"} | kept
    if merged.get("default", 0) is None:
        del merged["default"]
    return merged


def _input_nulls(schema: dict[str, Any]) -> dict[str, Any]:
    """An input field may be sent as null only if `resolvers.inputs` accepts null for it."""
    properties = {
        name: prop if name in NULLABLE_ON_UPDATE else _without_null(prop)
        for name, prop in schema.get("properties", {}).items()
    }
    return schema | {"properties": properties} if properties else schema


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    if "$defs" in schema:
        raise ValueError(f"Query model `{model.__name__}` must have flat fields only.")
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = _without_null({key: value for key, value in prop.items() if key != "title"})
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameter["schema"] = prop
        parameters.append(parameter)
    return parameters


def path_parameters(path: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": "The resource's public id.",
            "schema": {"type": "string"},
        }
        for name in re.findall(r"{(\w+)}", path)
    ]


def page_links(operation: Operation) -> dict[str, Any]:
    """OpenAPI links from a page to its neighbours (a cursor is good only for the list, sort
    and direction it came from, which a link cannot carry when the request left them out)."""
    carried = {"path.id": "$request.path.id"} if "{id}" in operation.path else {}

    def link(param: str, cursor: str, where: str) -> dict[str, Any]:
        return {
            "operationId": operation.operation_id,
            "parameters": {**carried, f"query.{param}": f"$response.body#/{cursor}"},
            "description": f"The page {where}, with the same `sort` and `direction`.",
        }

    return {
        "NextPage": link("starting_after", "next_cursor", "after this one, while `has_more`"),
        "PreviousPage": link("ending_before", "previous_cursor", "before this one"),
    }


def success_response(operation: Operation, components: Components) -> dict[str, Any]:
    if operation.response is None:
        return {"description": "Done; no content."}
    response: dict[str, Any] = {
        "description": "Created." if operation.status == 201 else "OK.",
        "content": {JSON: {"schema": components.ref(operation.response, "serialization")}},
    }
    headers: dict[str, Any] = {}
    if operation.status == 201:
        headers["Location"] = {
            "description": "The new resource's URL.",
            "schema": {"type": "string"},
        }
    if operation.is_list:
        headers["Link"] = {
            "description": 'RFC 8288 links to neighbouring pages (`rel="next"`, `rel="prev"`).',
            "schema": {"type": "string"},
        }
    if carries_etag(operation):
        headers["ETag"] = ETAG_HEADER
    if headers:
        response["headers"] = headers
    if operation.is_list:
        response["links"] = page_links(operation)
    return response


def _deprecated(thing: dict[str, Any], deprecation: Deprecation) -> None:
    """Mark `thing` (an operation or a parameter) deprecated, with its dates in words and in
    `x-deprecated-at` / `x-sunset` for tools."""
    said = (
        f"Deprecated since {deprecation.since.isoformat()}, sunset "
        f"{deprecation.sunset.isoformat()} (410 after): {deprecation.reason}"
    )
    earlier = thing.get("description")
    thing["description"] = f"{said} {earlier}" if earlier else said
    thing["deprecated"] = True
    thing["x-deprecated-at"] = deprecation.since.isoformat()
    thing["x-sunset"] = deprecation.sunset.isoformat()


def operation_object(operation: Operation, components: Components) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "tags": [operation.tag],
    }
    if operation.description:
        result["description"] = operation.description
    route = f"{operation.method} {PREFIX}{operation.path}"
    if route in deprecations.ROUTES:
        _deprecated(result, deprecations.ROUTES[route])
    parameters = path_parameters(operation.path) + query_parameters(operation.query)
    retiring = deprecations.parameters_of(route)
    for parameter in parameters:
        if parameter["name"] in retiring:
            _deprecated(parameter, retiring[parameter["name"]])
    error_statuses = set(operation.error_statuses)
    if conditional_get(operation):
        parameters.append(IF_NONE_MATCH)
    if conditional_patch(operation):
        parameters.append(IF_MATCH)
        error_statuses |= {400, 412}
    if operation.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
        error_statuses |= {409}
    if parameters:
        result["parameters"] = parameters
    if operation.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": components.ref(operation.body, "validation")}},
        }
    responses = {str(operation.status): success_response(operation, components)}
    if conditional_get(operation):
        responses["304"] = copy.deepcopy(NOT_MODIFIED)
    for status in sorted(error_statuses):
        name, _ = ERROR_RESPONSES[status]
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
    result["responses"] = responses
    return result


def openapi_document(version: str = CURRENT) -> dict[str, Any]:
    """The whole document as consumers of `version` are answered; paths are absolute
    (`/v1/...`), so no `servers` entry is needed."""
    components = Components()
    paths: dict[str, dict[str, Any]] = {}
    for operation in ROUTES:
        paths.setdefault(PREFIX + operation.path, {})[operation.method.lower()] = operation_object(
            operation, components
        )
    problem = {PROBLEM_JSON: {"schema": components.ref(Problem, "serialization")}}
    responses = {
        name: {"description": description, "content": copy.deepcopy(problem)}
        for name, description in ERROR_RESPONSES.values()
    }
    schemas = dict(sorted(components.schemas.items()))
    for change in undone_for(version):
        schemas[change.object_type] = change.undo_schema(schemas[change.object_type])
    info = {"title": "shopgraph REST API", "version": __version__, "description": DESCRIPTION}
    if version != CURRENT:
        info["x-api-version"] = version
    return {
        "openapi": "3.1.0",
        "info": info,
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": paths,
        "components": {"schemas": schemas, "responses": responses},
    }

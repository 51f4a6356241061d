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
from ..resolvers.inputs import NULLABLE_ON_UPDATE
from .models import Problem
from .problems import PROBLEM_JSON
from .render import JSON
from .routes import PREFIX, ROUTES, Operation

REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("MalformedRequest", "The body is not a JSON object, or not sent as JSON."),
    404: ("NotFound", "No such resource (or route)."),
    409: ("Conflict", "Clashes with current data: a duplicate, or a resource still in use."),
    422: ("ValidationFailed", "A field or query parameter is invalid; see `errors`."),
    500: ("Internal", "An unexpected error; quote `request_id` when reporting it."),
}
TAGS = (
    ("Categories", "Product categories."),
    ("Products", "The catalog, with stock levels."),
    ("Customers", "Customers and their orders."),
    ("Orders", "Orders, with their lines embedded."),
)
DESCRIPTION = (
    "The shopgraph REST API. Lists are paged with opaque cursors (`limit`, "
    "`starting_after`, `ending_before`); errors are RFC 9457 `application/problem+json`."
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
            schema = _input_nulls(schema)
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


def success_response(operation: Operation, components: Components) -> dict[str, Any]:
    if operation.response is None:
        return {"description": "Done; no content."}
    response: dict[str, Any] = {
        "description": "Created." if operation.status == 201 else "OK.",
        "content": {JSON: {"schema": components.ref(operation.response, "serialization")}},
    }
    if operation.status == 201:
        response["headers"] = {
            "Location": {"description": "The new resource's URL.", "schema": {"type": "string"}}
        }
    if operation.is_list:
        response["headers"] = {
            "Link": {
                "description": 'RFC 8288 links to neighbouring pages (`rel="next"`, `rel="prev"`).',
                "schema": {"type": "string"},
            }
        }
    return response


def operation_object(operation: Operation, components: Components) -> dict[str, Any]:
    result: dict[str, Any] = {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "tags": [operation.tag],
    }
    if operation.description:
        result["description"] = operation.description
    parameters = path_parameters(operation.path) + query_parameters(operation.query)
    if parameters:
        result["parameters"] = parameters
    if operation.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": components.ref(operation.body, "validation")}},
        }
    responses = {str(operation.status): success_response(operation, components)}
    for status in operation.error_statuses:
        name, _ = ERROR_RESPONSES[status]
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
    result["responses"] = responses
    return result


def openapi_document() -> dict[str, Any]:
    """The whole document; paths are absolute (`/v1/...`), so no `servers` entry is needed."""
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
    return {
        "openapi": "3.1.0",
        "info": {"title": "shopgraph REST API", "version": __version__, "description": DESCRIPTION},
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": paths,
        "components": {"schemas": dict(sorted(components.schemas.items())), "responses": responses},
    }

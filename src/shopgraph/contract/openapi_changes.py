"""REST changes: one OpenAPI document against another, route by route.

A route is matched by method and path shape (`/v1/products/{}`: a renamed path variable
is not a new route). For each route: its parameters (a removed or renamed one, one that
became required, a new required one), its request body (new required fields, narrowed
types), and its 2xx responses (removed fields, fields that may now be null or absent,
changed types, enum values). Error responses are not compared: their shape is the one
problem+json document every route shares, and a route may gain an error status without
breaking anyone who handles errors by class. Schemas are compared by `openapi_schemas`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .change import Change, Severity
from .json_schema import Json, resolve
from .openapi_schemas import Direction, Place, SchemaComparison

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_VARIABLE = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True)
class Operation:
    label: str  # "GET /v1/products/{id}"
    path: str
    spec: Json
    path_item: Json


def openapi_changes(old_doc: Json, new_doc: Json) -> list[Change]:
    """Every change from the API `old_doc` describes to the one `new_doc` describes."""
    schemas = SchemaComparison(old_doc, new_doc)
    found: list[Change] = []
    old_operations, new_operations = _operations(old_doc), _operations(new_doc)
    for key, old in old_operations.items():
        new = new_operations.get(key)
        if new is None:
            found.append(
                _change(
                    old.label, "OPERATION_REMOVED", Severity.BREAKING, f"{old.label} was removed."
                )
            )
            continue
        if new.spec.get("deprecated") and not old.spec.get("deprecated"):
            found.append(
                _change(old.label, "DEPRECATED", Severity.SAFE, f"{old.label} is deprecated.")
            )
        found += _parameter_changes(old, new, schemas)
        found += _body_changes(old, new, schemas)
        found += _response_changes(old, new, schemas)
    for key, new in new_operations.items():
        if key not in old_operations:
            found.append(
                _change(new.label, "OPERATION_ADDED", Severity.SAFE, f"{new.label} was added.")
            )
    labels = {operation.label for operation in old_operations.values()}
    return found + schemas.changes(labels)


def _operations(doc: Json) -> dict[tuple[str, str], Operation]:
    operations: dict[tuple[str, str], Operation] = {}
    for path, path_item in (doc.get("paths") or {}).items():
        path_item = resolve(doc, path_item)
        shape = PATH_VARIABLE.sub("{}", path)
        for method in METHODS:
            if isinstance(path_item.get(method), dict):
                label = f"{method.upper()} {path}"
                operations[method, shape] = Operation(label, path, path_item[method], path_item)
    return operations


def _parameters(doc: Json, operation: Operation) -> dict[tuple[str, str], Json]:
    """Parameters by (location, key): path variables by position, headers by lower case."""
    variables = PATH_VARIABLE.findall(operation.path)
    found: dict[tuple[str, str], Json] = {}
    for declared in [
        *(operation.path_item.get("parameters") or ()),
        *(operation.spec.get("parameters") or ()),
    ]:
        parameter = resolve(doc, declared)
        location, name = parameter.get("in", ""), parameter.get("name", "")
        if location == "path" and name in variables:
            key = str(variables.index(name))
        else:
            key = name.lower() if location == "header" else name
        found[location, key] = parameter  # an operation's own overrides its path item's
    return found


def _parameter_changes(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    found: list[Change] = []
    old_parameters = _parameters(schemas.old_doc, old)
    new_parameters = _parameters(schemas.new_doc, new)
    removed = [key for key in old_parameters if key not in new_parameters]
    added = [key for key in new_parameters if key not in old_parameters]
    renames: dict[tuple[str, str], Json] = {}
    for location in {key[0] for key in removed}:
        gone = [key for key in removed if key[0] == location]
        arrived = [key for key in added if key[0] == location]
        if len(gone) == len(arrived) == 1:  # one out, one in, same place: a rename
            renames[gone[0]] = new_parameters[arrived[0]]
            added.remove(arrived[0])
    for key in removed:
        parameter = old_parameters[key]
        where = str(_parameter_place(old, parameter))
        what = f"{_parameter_noun(parameter)} of {old.label}"
        if key in renames:
            successor = renames[key]["name"]
            found.append(
                _change(
                    where,
                    "PARAMETER_RENAMED",
                    Severity.BREAKING,
                    f"{what} was renamed to `{successor}` (or removed, and `{successor}` "
                    f"added): requests that send `{parameter['name']}` are no longer understood.",
                )
            )
        else:
            found.append(
                _change(
                    where,
                    "PARAMETER_REMOVED",
                    Severity.BREAKING,
                    f"{what} was removed: requests that send it are no longer understood.",
                )
            )
    for key in added:
        parameter = new_parameters[key]
        required = bool(parameter.get("required"))
        found.append(
            _change(
                str(_parameter_place(new, parameter)),
                "REQUIRED_PARAMETER_ADDED" if required else "OPTIONAL_PARAMETER_ADDED",
                Severity.BREAKING if required else Severity.SAFE,
                f"A{' required' if required else 'n optional'} "
                f"{_parameter_noun(parameter).lower()} was added to {new.label}.",
            )
        )
    for key in old_parameters.keys() & new_parameters.keys():
        before, after = old_parameters[key], new_parameters[key]
        place = _parameter_place(old, before)
        what = f"{_parameter_noun(before)} of {old.label}"
        if after.get("required") and not before.get("required"):
            found.append(
                _change(
                    str(place),
                    "PARAMETER_BECAME_REQUIRED",
                    Severity.BREAKING,
                    f"{what} is now required.",
                )
            )
        elif before.get("required") and not after.get("required"):
            found.append(
                _change(
                    str(place),
                    "PARAMETER_BECAME_OPTIONAL",
                    Severity.SAFE,
                    f"{what} is now optional.",
                )
            )
        if after.get("deprecated") and not before.get("deprecated"):
            found.append(_change(str(place), "DEPRECATED", Severity.SAFE, f"{what} is deprecated."))
        schemas.compare(before.get("schema") or {}, after.get("schema") or {}, place, "request")
    return found


def _body_changes(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    before = (
        resolve(schemas.old_doc, old.spec["requestBody"]) if "requestBody" in old.spec else None
    )
    after = resolve(schemas.new_doc, new.spec["requestBody"]) if "requestBody" in new.spec else None
    where = f"{old.label} body"
    if before is None and after is None:
        return []
    if after is None:
        return [
            _change(
                where,
                "REQUEST_BODY_REMOVED",
                Severity.BREAKING,
                f"{old.label} no longer takes a request body.",
            )
        ]
    if before is None:
        required = bool(after.get("required"))
        return [
            _change(
                where,
                "REQUEST_BODY_ADDED",
                Severity.BREAKING if required else Severity.SAFE,
                f"{old.label} takes a{' required' if required else 'n optional'} request body.",
            )
        ]
    found: list[Change] = []
    if after.get("required") and not before.get("required"):
        found.append(
            _change(
                where,
                "REQUEST_BODY_BECAME_REQUIRED",
                Severity.BREAKING,
                f"{old.label} now requires a request body.",
            )
        )
    found += _content_changes(before, after, Place(old.label, " body"), "request", schemas)
    return found


def _response_changes(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    found: list[Change] = []
    before: Json = old.spec.get("responses") or {}
    after: Json = new.spec.get("responses") or {}
    for status in before:
        if not str(status).startswith("2"):
            continue
        where = f"{old.label} {status}"
        if status not in after:
            found.append(
                _change(
                    where,
                    "RESPONSE_REMOVED",
                    Severity.BREAKING,
                    f"{old.label} no longer answers {status}.",
                )
            )
            continue
        old_response = resolve(schemas.old_doc, before[status])
        new_response = resolve(schemas.new_doc, after[status])
        found += _header_changes(old_response, new_response, where)
        place = Place(old.label, f" {status}")
        found += _content_changes(old_response, new_response, place, "response", schemas)
    for status in after:
        if str(status).startswith("2") and status not in before:
            found.append(
                _change(
                    f"{old.label} {status}",
                    "RESPONSE_ADDED",
                    Severity.DANGEROUS,
                    f"{old.label} may now answer {status}.",
                )
            )
    return found


def _header_changes(before: Json, after: Json, where: str) -> list[Change]:
    old_headers = {name.lower(): name for name in before.get("headers") or {}}
    new_headers = {name.lower(): name for name in after.get("headers") or {}}
    found = [
        _change(
            f"{where} header.{name}",
            "RESPONSE_HEADER_REMOVED",
            Severity.BREAKING,
            f"Response header {name} of {where} was removed.",
        )
        for key, name in old_headers.items()
        if key not in new_headers
    ]
    found += [
        _change(
            f"{where} header.{name}",
            "RESPONSE_HEADER_ADDED",
            Severity.SAFE,
            f"Response header {name} was added to {where}.",
        )
        for key, name in new_headers.items()
        if key not in old_headers
    ]
    return found


def _content_changes(
    before: Json,
    after: Json,
    place: Place,
    direction: Direction,
    schemas: SchemaComparison,
) -> list[Change]:
    found: list[Change] = []
    old_content: Json = before.get("content") or {}
    new_content: Json = after.get("content") or {}
    for media_type, old_media in old_content.items():
        new_media = new_content.get(media_type)
        if new_media is None:
            found.append(
                _change(
                    f"{place} {media_type}",
                    "MEDIA_TYPE_REMOVED",
                    Severity.BREAKING,
                    f"{place} no longer {'accepts' if direction == 'request' else 'sends'} "
                    f"{media_type}.",
                )
            )
            continue
        schemas.compare(
            old_media.get("schema") or {}, new_media.get("schema") or {}, place, direction
        )
    for media_type in new_content.keys() - old_content.keys():
        found.append(
            _change(
                f"{place} {media_type}",
                "MEDIA_TYPE_ADDED",
                Severity.SAFE if direction == "request" else Severity.DANGEROUS,
                f"{place} now also {'accepts' if direction == 'request' else 'sends'} "
                f"{media_type}.",
            )
        )
    return found


def _parameter_place(operation: Operation, parameter: Json) -> Place:
    return Place(operation.label, f" {parameter.get('in')}.{parameter.get('name')}")


def _parameter_noun(parameter: Json) -> str:
    return f"{str(parameter.get('in', '')).capitalize()} parameter `{parameter.get('name')}`"


def _change(where: str, kind: str, severity: Severity, description: str) -> Change:
    return Change("rest", kind, where, description, severity)

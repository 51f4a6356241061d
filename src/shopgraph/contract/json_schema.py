"""Reading a JSON Schema as OpenAPI 3.1 writes one: references, unions, kinds, values.

What a schema allows, told apart from how it is written: a `$ref` is followed, `anyOf`
of alternatives and a list of types are the same union, and `enum` and `const` both limit
the values. Comparing two schemas (`openapi_schemas`) then only compares what they allow.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

Json = dict[str, Any]
SCHEMAS = "#/components/schemas/"


def resolve(doc: Json, schema: Json) -> Json:
    """`schema` with its `$ref` chain followed within `doc`; siblings of a `$ref` win."""
    for _ in range(64):
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema
        target: Any = doc
        for step in ref[2:].split("/"):
            try:
                target = target[step.replace("~1", "/").replace("~0", "~")]
            except (KeyError, IndexError, TypeError):
                raise ValueError(f"$ref to nothing: {ref}") from None
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        schema = {**target, **siblings}
    raise ValueError(f"a $ref chain does not end: {schema.get('$ref')}")


def ref_name(schema: Json) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMAS):
        return ref[len(SCHEMAS) :]
    return None


def has_own_kind(schema: Json) -> bool:
    return any(key in schema for key in ("type", "properties", "items", "enum", "const"))


def alternatives(schema: Json) -> list[Json]:
    union = schema.get("anyOf", schema.get("oneOf"))
    if isinstance(union, list) and not has_own_kind(schema):
        return [alternative for part in union for alternative in alternatives(part)]
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return [{**schema, "type": kind} for kind in kinds]
    return [schema]


def kind_of(schema: Json) -> str:
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    values = enum_values(schema)
    if values:
        kinds = {_json_kind(json.loads(value)) for value in values}
        if len(kinds) == 1:
            return kinds.pop()
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "any"


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def covers(kinds: Collection[str], kind: str) -> bool:
    return kind in kinds or "any" in kinds or (kind == "integer" and "number" in kinds)


def enum_values(schema: Json) -> dict[str, str] | None:
    """The values a schema is limited to, canonical JSON to JSON as shown, or None."""
    if "const" in schema:
        values: list[Any] = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = schema["enum"]
    else:
        return None
    return {canonical(value): json.dumps(value) for value in values}


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True)

"""A field's arguments as its Python function receives them, for the planned executor.

graphql-core coerces the literals and variables of a field node (`get_argument_values`);
Strawberry then converts them into its own Python types (input objects into their classes,
enums into their members). The conversion is Strawberry's own function
(`strawberry.types.arguments.convert_arguments`, not a documented API): it is used here
only, and tests pin that the planned executor's arguments equal what a resolver receives.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import FieldNode, GraphQLField, get_named_type, is_leaf_type
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.relay.types import GlobalID
from strawberry.types.arguments import convert_arguments
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.field import StrawberryField


class Arguments:
    """Reads one field node's arguments for a request's variables."""

    __slots__ = (
        "_complex",
        "_config",
        "_definition",
        "_field",
        "_names",
        "_node",
        "_scalars",
        "constant",
    )

    def __init__(
        self, schema: strawberry.Schema, definition: GraphQLField, node: FieldNode
    ) -> None:
        self._definition = definition
        self._node = node
        self._field: StrawberryField = definition.extensions["strawberry-definition"]
        self._scalars = schema.schema_converter.scalar_registry
        self._config = schema.config
        # Arguments of scalar and enum types are converted by renaming alone (lists copied);
        # the others (input objects...) need Strawberry's conversion, when they are given.
        self._names = {
            schema.config.name_converter.from_argument(argument): argument.python_name
            for argument in self._field.arguments
        }
        plain = {
            argument.python_name for argument in self._field.arguments if _plain(argument.type)
        }
        self._complex = [
            name
            for name, python in self._names.items()
            if python not in plain or not is_leaf_type(get_named_type(definition.args[name].type))
        ]
        # Without variables the arguments are the same for every request.
        uses_variables = any(_has_variable(argument.value) for argument in node.arguments or ())
        self.constant: dict[str, Any] | None = None if uses_variables else self._convert(None)

    def __call__(self, variables: VariableValues | None) -> dict[str, Any]:
        if self.constant is not None:
            return dict(self.constant)
        return self._convert(variables)

    def _convert(self, variables: VariableValues | None) -> dict[str, Any]:
        values = get_argument_values(self._definition, self._node, variables)
        if any(values.get(name) is not None for name in self._complex):
            return convert_arguments(values, self._field.arguments, self._scalars, self._config)
        return {
            python: list(value) if isinstance(value := values[name], list) else value
            for name, python in self._names.items()
            if name in values
        }


def _plain(kind: Any) -> bool:
    """A type Strawberry converts as it is: no `Maybe`, no relay `GlobalID` inside."""
    while isinstance(kind, StrawberryOptional | StrawberryList):
        if isinstance(kind, StrawberryMaybe):
            return False
        kind = kind.of_type
    return not isinstance(kind, StrawberryMaybe) and kind is not GlobalID


def _has_variable(value: Any) -> bool:
    kind = getattr(value, "kind", "")
    if kind == "variable":
        return True
    if kind == "list_value":
        return any(_has_variable(item) for item in value.values)
    if kind == "object_value":
        return any(_has_variable(item.value) for item in value.fields)
    return False

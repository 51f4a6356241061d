"""Which deprecated fields, arguments and input fields a GraphQL operation uses.

The answer to an operation that uses any carries them in `extensions.deprecations` and in
the same `Deprecation`/`Sunset`/`Link` headers as REST (`versioning/deprecations.py`), so a
consumer hears of it on every use, not only when reading the schema. What the document
itself names is found once per document; an input field can also arrive inside a variable
(`orders(filter: $filter)`), so the variables whose type may hold one are walked per
request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    ObjectFieldNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_input_type,
    parse,
    type_from_ast,
    visit,
)

from ..versioning.deprecations import FIELDS, INPUTS, Deprecation

CACHED = 1_000  # documents


@dataclass(frozen=True, slots=True)
class _Uses:
    named: tuple[Deprecation, ...]  # what the document's text uses
    variables: tuple[tuple[str, GraphQLInputType], ...]  # variables that may carry inputs


_NONE = _Uses((), ())


class _Named(Visitor):
    """Collects the deprecated fields, arguments and input fields a document's text names."""

    def __init__(self, info: TypeInfo) -> None:
        super().__init__()
        self.info = info
        self.found: dict[str, Deprecation] = {}
        self.fields: list[str] = []  # the names of the fields being visited, innermost last

    def note(self, registry: Mapping[str, Deprecation], coordinate: str) -> None:
        deprecated = registry.get(coordinate)
        if deprecated is not None:
            self.found[deprecated.subject] = deprecated

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields.append(node.name.value)
        parent = self.info.get_parent_type()
        if parent is not None:
            self.note(FIELDS, f"{parent.name}.{node.name.value}")

    def leave_field(self, *_: Any) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        parent = self.info.get_parent_type()
        if self.info.get_directive() is None and parent is not None and self.fields:
            self.note(INPUTS, f"{parent.name}.{self.fields[-1]}({node.name.value}:)")

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        parent = self.info.get_parent_input_type()
        if parent is not None:
            self.note(INPUTS, f"{get_named_type(parent).name}.{node.name.value}")


class DeprecatedUse:
    """The deprecated things each document uses, cached by its text (bounded)."""

    def __init__(self, schema: GraphQLSchema, size: int = CACHED) -> None:
        self._schema = schema
        self._size = size
        self._known: OrderedDict[str, _Uses] = OrderedDict()

    def of(
        self, document: str, variables: Mapping[str, Any] | None = None
    ) -> tuple[Deprecation, ...]:
        """What `document`, run with `variables`, uses that is deprecated."""
        if not FIELDS and not INPUTS:
            return ()
        known = self._known.get(document)
        if known is None:
            known = self._find(document)
            self._known[document] = known
            while len(self._known) > self._size:
                self._known.popitem(last=False)
        if not known.variables or not isinstance(variables, Mapping):
            return known.named
        found = dict.fromkeys(known.named)
        for name, kind in known.variables:
            found.update(dict.fromkeys(_inputs_in(kind, variables.get(name))))
        return tuple(found)

    def _find(self, document: str) -> _Uses:
        try:
            parsed = parse(document)
        except GraphQLError:
            return _NONE
        info = TypeInfo(self._schema)
        uses = _Named(info)
        visit(parsed, TypeInfoVisitor(info, uses))
        return _Uses(tuple(uses.found.values()), self._input_variables(parsed))

    def _input_variables(self, parsed: Any) -> tuple[tuple[str, GraphQLInputType], ...]:
        """The variables whose values are input objects, which may hold deprecated fields."""
        if not INPUTS:
            return ()
        carrying: list[tuple[str, GraphQLInputType]] = []
        for definition in parsed.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            for variable in definition.variable_definitions or ():
                kind = type_from_ast(self._schema, variable.type)
                if is_input_type(kind) and isinstance(get_named_type(kind), GraphQLInputObjectType):
                    carrying.append((variable.variable.name.value, kind))
        return tuple(carrying)


def _inputs_in(kind: Any, value: Any) -> Iterator[Deprecation]:
    """The deprecated input fields `value` (a variable's value, of type `kind`) sets."""
    if value is None:
        return
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    if isinstance(kind, GraphQLList):
        for item in value if isinstance(value, list) else [value]:
            yield from _inputs_in(kind.of_type, item)
    elif isinstance(kind, GraphQLInputObjectType) and isinstance(value, Mapping):
        for name, field in kind.fields.items():
            if value.get(name) is None:
                continue
            deprecated = INPUTS.get(f"{kind.name}.{name}")
            if deprecated is not None:
                yield deprecated
            yield from _inputs_in(field.type, value[name])

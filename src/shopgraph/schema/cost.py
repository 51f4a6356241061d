"""What a GraphQL query costs, computed from the document before anything runs.

The model, in the spirit of Shopify's and GitHub's:
- every field that returns an object (or a list of objects) costs 1; scalars and enums 0;
- inside a connection (`…Connection`), `edges` and `nodes` are paid once per item the
  connection can return: `first` or `last`, or the default page size when neither is
  given; the connection field itself and its `pageInfo` are paid once;
- `nodes(ids:)` pays its selection once per id; other lists are paid once (their length is
  bounded by the data, not by the caller);
- introspection is priced like the rest: `__schema`, `__type` and every object below them
  cost 1, and its lists are paid once per item the schema holds (`types` once per type,
  `fields` once per field of an average type, and so on), so the standard introspection
  query costs what it returns;
- fragments count where they are spread; for an abstract type every type condition is
  summed (an upper bound);
- each mutation field costs 10 on top of its selection;
- aggregates and reports cost what they return plus a surcharge for the rows they add up
  (`AGGREGATE_COSTS`: 2 per `Product.sales`, 10 per report), and `topProducts` pays its
  selection once per product it can return (`first`).
Arguments are priced as execution will see them: variables coerced by their declared type
(`{"n": 100.0}` is 100), defaults of variables and of arguments applied.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_enum_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from .cost_gate import returned_objects

MUTATION_COST = 10
MULTIPLIED = ("edges", "nodes")
SIZED_BY = frozenset({"first", "last", "ids"})  # the only arguments the model reads
# What an aggregate or a report costs on top of the objects it returns: each is a GROUP BY
# over many rows, per level (aggregates) or over a whole range (reports).
AGGREGATE_COSTS = {
    ("Product", "sales"): 2,
    ("Category", "stats"): 2,
    ("Customer", "stats"): 2,
    ("Query", "salesReport"): 10,
    ("Query", "topProducts"): 10,
    ("Query", "inventoryValuation"): 10,
    ("Query", "lowStockProducts"): 2,
}
# Plain lists whose length an argument bounds (with its default): paid once per item.
SIZED_LISTS = {("Query", "topProducts"): ("first", 10)}


def _is_list(field: GraphQLField) -> bool:
    kind = field.type.of_type if is_non_null_type(field.type) else field.type
    return is_list_type(kind)


def _wrappers(kind: Any) -> int:
    count = 0
    while is_non_null_type(kind) or is_list_type(kind):
        kind, count = kind.of_type, count + 1
    return count


def introspection_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], float]:
    """How many items each introspection list holds, on average where it is nested.

    `ofType` is one object or null: it is priced at the share r = m / (1 + m), where m is
    the average number of wrappers (`!`, `[]`) on a type reference, so a chain of
    `ofType`s costs m on average, as it returns.
    """
    types = list(schema.type_map.values())
    fields = [f for t in types for f in (getattr(t, "fields", None) or {}).values()]
    object_fields = [f for f in fields if isinstance(f, GraphQLField)]
    references = [f.type for f in fields] + [a.type for f in object_fields for a in f.args.values()]
    mean = sum(_wrappers(r) for r in references) / max(1, len(references))

    def per(total: int, among: int) -> float:
        return total / max(1, among)

    count_of = {
        "interfaces": sum(len(getattr(t, "interfaces", ())) for t in types),
        "possibleTypes": sum(
            len(schema.get_possible_types(t)) for t in types if is_abstract_type(t)
        ),
        "enumValues": sum(len(t.values) for t in types if is_enum_type(t)),
        "inputFields": sum(len(t.fields) for t in types if is_input_object_type(t)),
    }
    sizes = {
        ("__Schema", "types"): float(len(types)),
        ("__Schema", "directives"): float(len(schema.directives)),
        ("__Type", "ofType"): mean / (1 + mean),
        ("__Type", "fields"): per(len(object_fields), len(types)),
        ("__Field", "args"): per(sum(len(f.args) for f in object_fields), len(object_fields)),
        ("__Directive", "args"): per(
            sum(len(d.args) for d in schema.directives), len(schema.directives)
        ),
    }
    for name, total in count_of.items():
        sizes[("__Type", name)] = per(total, len(types))
    return sizes


class CostCalculator:
    def __init__(self, schema: GraphQLSchema, default_page_size: int) -> None:
        self.schema = schema
        self.default_page_size = default_page_size
        self.introspection = introspection_sizes(schema)

    def cost(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The cost of the operation `operation_name` of `document` (0 if it is absent, or
        if its variables do not coerce: then nothing runs)."""
        chosen = operation(document, operation_name)
        root = None if chosen is None else self._root(chosen)
        if chosen is None or root is None:
            return 0
        coerced = self._variables(chosen, variables)
        if coerced is None:
            return 0
        walk = _Walk(self, _fragments(document), coerced)
        total = math.ceil(walk.selection(root, chosen.selection_set, connection_size=None))
        if chosen.operation == OperationType.MUTATION:
            total += MUTATION_COST * walk.root_fields(root, chosen.selection_set)
        return total

    def actual(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        data: Any,
    ) -> int:
        """What the response holds, priced by the same model: each object returned costs 1
        (an object selected twice under one key is returned, and costs, once)."""
        chosen = operation(document, operation_name)
        root = None if chosen is None else self._root(chosen)
        if chosen is None or root is None or not isinstance(data, dict):
            return 0
        total = returned_objects(data)
        if chosen.operation == OperationType.MUTATION:
            walk = _Walk(self, _fragments(document), None)
            total += MUTATION_COST * walk.root_fields(root, chosen.selection_set)
        return total

    def _variables(
        self, chosen: OperationDefinitionNode, variables: Mapping[str, Any] | None
    ) -> VariableValues | None:
        coerced = get_variable_values(
            self.schema, chosen.variable_definitions or (), dict(variables or {}), max_errors=1
        )
        return coerced if isinstance(coerced, VariableValues) else None

    def _root(self, chosen: OperationDefinitionNode) -> GraphQLObjectType | None:
        if chosen.operation == OperationType.MUTATION:
            return self.schema.mutation_type
        return self.schema.query_type


def priced_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables a price can depend on: those given to `first`, `last` or `ids` anywhere
    in the document (a price is the same for equal values of these)."""
    found: dict[str, None] = {}
    for node in _walk(document):
        if isinstance(node, FieldNode):
            for argument in node.arguments or ():
                if argument.name.value in SIZED_BY:
                    for inner in _walk(argument.value):
                        if isinstance(inner, VariableNode):
                            found[inner.name.value] = None
    return tuple(found)


def _walk(node: Node) -> list[Node]:
    """Every AST node below `node`, itself included."""
    seen: list[Node] = []
    pending = [node]
    while pending:
        current = pending.pop()
        seen.append(current)
        for key in current.keys:
            child = getattr(current, key, None)
            if isinstance(child, Node):
                pending.append(child)
            elif isinstance(child, tuple | list):
                pending.extend(item for item in child if isinstance(item, Node))
    return seen


def operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation `name` of `document`, or its only one when `name` is None."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((d for d in operations if d.name is not None and d.name.value == name), None)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


class _Walk:
    def __init__(
        self,
        calculator: CostCalculator,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues | None,
    ) -> None:
        self.calculator = calculator
        self.fragments = fragments
        self.variables = variables

    def _fields(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode
    ) -> list[tuple[GraphQLNamedType, FieldNode]]:
        found: list[tuple[GraphQLNamedType, FieldNode]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append((parent, selection))
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    self.calculator.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                found += self._fields(condition or parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    condition = self.calculator.schema.get_type(fragment.type_condition.name.value)
                    found += self._fields(condition or parent, fragment.selection_set)
        return found

    def root_fields(self, root: GraphQLObjectType, selection_set: SelectionSetNode) -> int:
        return sum(
            1
            for _, node in self._fields(root, selection_set)
            if not node.name.value.startswith("__")
        )

    def _arguments(self, definition: GraphQLField, node: FieldNode) -> dict[str, Any]:
        """The field's arguments exactly as execution will coerce them, defaults included."""
        try:
            return get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}  # execution refuses the field: it costs nothing

    def _field_definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if parent is self.calculator.schema.query_type:
            if name == "__schema":
                return SchemaMetaFieldDef
            if name == "__type":
                return TypeMetaFieldDef
        fields = getattr(parent, "fields", None)
        found = None if fields is None else fields.get(name)
        return found if isinstance(found, GraphQLField) else None

    def selection(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode,
        connection_size: int | None,
    ) -> float:
        total = 0.0
        for owner, node in self._fields(parent, selection_set):
            name = node.name.value
            definition = self._field_definition(owner, name)
            if definition is None:
                continue  # __typename: free
            named = get_named_type(definition.type)
            if not is_composite_type(named) or node.selection_set is None:
                continue
            arguments = self._arguments(definition, node)
            inner = self.selection(named, node.selection_set, self._size(named, arguments))
            listed = self.calculator.introspection.get((owner.name, name))
            total += AGGREGATE_COSTS.get((owner.name, name), 0)
            sized = SIZED_LISTS.get((owner.name, name))
            if sized is not None:
                size = arguments.get(sized[0], sized[1])
                listed = size if isinstance(size, int) and size >= 0 else sized[1]
            if connection_size is not None and name in MULTIPLIED:
                total += connection_size * (1 + inner)
            elif name == "nodes" and connection_size is None and _is_list(definition):
                ids = arguments.get("ids")
                total += (len(ids) if isinstance(ids, list) else 1) * (1 + inner)
            elif listed is not None:
                total += listed * (1 + inner)
            else:
                total += 1 + inner
        return total

    def _size(self, named: GraphQLNamedType, arguments: dict[str, Any]) -> int | None:
        if not named.name.endswith("Connection"):
            return None
        for name in ("first", "last"):
            value = arguments.get(name)
            if isinstance(value, int) and value >= 0:
                return value
        return self.calculator.default_page_size

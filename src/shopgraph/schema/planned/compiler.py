"""From a validated query to a plan: response builders compiled per selection.

For every selection the compiler writes Python source that builds the response value
directly from records: plain fields are attribute reads, each leaf is serialised inline
the way graphql-core serialises it (identity for a `str` String, a range check for an
Int, the type's own `serialize` otherwise), and a null where the schema allows none raises
`Bail`. Objects without relations become dict displays inside their parent's expression;
an object with relations selected becomes a function that also registers `(record, dict)`
in its slot, so the relation steps of the next level can fill those keys in bulk.

Expressions also know how many response objects they build when nothing in them is null
or a list: counted once per function call, or per list by its length, they give the cost
model's "objects returned" without walking the response afterwards.

What a field is comes from the schema and the registry: a field with a resolver on an
entity type is one of the entity's relations (`registry.relations_of`), one of its
aggregates (`registry.aggregates_of`, loaded in bulk per level like a relation) or a guarded field
(`Entity.guards`); anything else with a resolver, introspection, and abstract types whose
members are not entities make the document `Unsupported`.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from strawberry.types.field import StrawberryField

from ... import codegen, registry
from ...registry import Entity, Many, One, Paged, Relation
from ...registry.aggregate import Aggregate
from ..connections import Connection
from ..cost import priced_variables
from ..introspection import is_introspection_only
from ..plannable import ROOT, Root
from .arguments import Arguments
from .fields import collect
from .plan import Bail, Plan, RelationStep, RootStep, Run, Unsupported

Built = tuple[str, int]  # an expression, and the response objects it builds when nothing is null


def _bail(*_ignored: Any) -> Any:
    raise Bail


def _present(value: Any) -> Any:
    """A serialised leaf: graphql-core refuses a `serialize` that returns null."""
    if value is None:
        raise Bail
    return value


def _counted(run: Run, objects: int, value: Any) -> Any:
    """`value`, holding `objects` response objects, counted (see `Run.objects`)."""
    run.objects += objects
    return value


def _each(run: Run, objects: int, items: list[Any]) -> list[Any]:
    """`items`, each holding `objects` response objects, counted."""
    run.objects += objects * len(items)
    return items


def _strawberry_field(definition: GraphQLField) -> StrawberryField:
    found = (definition.extensions or {}).get("strawberry-definition")
    if not isinstance(found, StrawberryField):
        raise Unsupported("a field Strawberry did not define")
    return found


def _guarded_reader(entity: Entity[Any], field: str) -> Any:
    """Reads a guarded field as `related.guarded_field` does, bailing where it refuses
    (Strawberry then answers the refusal, at its path)."""
    guard = entity.guards[field]

    def read(record: Any, run: Run) -> Any:
        if not guard.allows(run.principal, record):
            raise Bail
        if guard.audited:
            run.audited.append(record.id)
        return getattr(record, field)

    return read


class Compiler:
    """Plans one query operation of one document (see the module docstring)."""

    def __init__(
        self,
        schema: strawberry.Schema,
        graphql_schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> None:
        self.schema = schema
        self.graphql = graphql_schema
        self.document = document
        self.operation = operation
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.namespace: dict[str, Any] = {
            "_bail": _bail,
            "_present": _present,
            "_counted": _counted,
            "_each": _each,
            "_connection": Connection.of,
        }
        self.functions: list[str] = []
        self.serial = 0
        self.slots = 0
        self.reads_once = True  # so far, every root field reads with one statement
        # The record fields the plan looks at, per entity; None: some it cannot name.
        self.fields: dict[str, set[str] | None] = {}
        # Filled with functions once the generated source is compiled:
        self.roots: list[tuple[str, Any, Arguments | None, str]] = []
        self.steps: list[
            tuple[int, int, str, Relation | Aggregate[Any], Arguments | None, str]
        ] = []
        self.members: list[tuple[dict[type, Any], type, str]] = []

    def plan(self) -> Plan:
        if self.operation.operation != OperationType.QUERY:
            raise Unsupported("not a query")
        if self.operation.directives:
            raise Unsupported("directives on the operation")
        if is_introspection_only(self.operation):  # `{ __typename }` too: answers are kept
            raise Unsupported("introspection")
        query = self.graphql.query_type
        assert query is not None
        grouped = collect(self.graphql, self.fragments, query, [self.operation.selection_set])
        for key, nodes in grouped.items():
            self._root(query, key, nodes)
        source = "\n\n".join(self.functions) + "\n"
        codegen.define("plan", source, self.namespace, keep_source=False)
        for table, record, name in self.members:
            table[record] = self.namespace[name]
        function = self.namespace.__getitem__
        # Every one-to-one relation joins into its owner's statements, and a list relation
        # too where it is the only one (`loaders.joins`): only paged relations, and lists
        # beyond the first, need statements of their own.
        relations = [step[3] for step in sorted(self.steps, key=lambda step: step[0])]
        joined = tuple(dict.fromkeys(r for r in relations if isinstance(r, One | Many)))
        fetching = [root for root in self.roots if root[1] is not None]
        single_read = (
            len(fetching) == 1
            and self.reads_once
            and not any(isinstance(r, Paged | Aggregate) for r in relations)
            and sum(isinstance(r, Many) for r in relations) <= 1
        )
        return Plan(
            self.document,
            self.operation,
            roots=[
                RootStep(key, fetch, arguments, function(complete))
                for key, fetch, arguments, complete in self.roots
            ],
            steps=[
                RelationStep(depth, slot, key, relation, arguments, function(complete))
                for depth, slot, key, relation, arguments, complete in sorted(
                    self.steps, key=lambda step: step[0]
                )
            ],
            slots=self.slots,
            joined=joined,
            single_read=single_read,
            source=source,
            priced_by=priced_variables(self.document),
            narrowed={
                name: frozenset(fields)
                for name, fields in self.fields.items()
                if fields is not None
            },
        )

    def _look_at(self, entity: Entity[Any], fields: set[str]) -> None:
        """Note that the plan reads these fields of `entity`'s records (a name that is no
        record field, a property, means: every field)."""
        known = self.fields.get(entity.name, set())
        if known is None or not fields <= set(entity.fields):
            self.fields[entity.name] = None
        else:
            self.fields[entity.name] = known | fields

    # --- generated source ----------------------------------------------------------------

    def _name(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def _constant(self, value: Any, prefix: str) -> str:
        name = self._name(prefix)
        self.namespace[name] = value
        return name

    def _returning(self, prefix: str, built: Built) -> str:
        """A function `(value, R)` returning a built expression, its objects counted."""
        expression, objects = built
        body = [f"R.objects += {objects}"] if objects else []
        return self._function(prefix, "value, R", [*body, f"return {expression}"])

    def _function(self, prefix: str, parameters: str, body: list[str]) -> str:
        name = self._name(prefix)
        self.functions.append(
            "\n".join([f"def {name}({parameters}):", *(f"    {b}" for b in body)])
        )
        return name

    # --- fields ----------------------------------------------------------------------------

    def _root(self, query: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> None:
        name = nodes[0].name.value
        if name == "__typename":
            complete = self._function("_typename", "value, R", [f"return {query.name!r}"])
            self.roots.append((key, None, None, complete))
            return
        if name.startswith("__"):
            raise Unsupported("introspection")
        definition = query.fields[name]
        root = _strawberry_field(definition).metadata.get(ROOT)
        if not isinstance(root, Root):
            raise Unsupported(f"the root field {name}")
        self.reads_once = self.reads_once and root.reads_once
        source = "_connection(value)" if root.connection else "value"
        complete = self._returning("_root", self._complete(definition.type, nodes, source, 0))
        arguments = Arguments(self.schema, definition, nodes[0])
        self.roots.append((key, root.fetch, arguments, complete))

    def _object(
        self, kind: GraphQLObjectType, nodes: list[FieldNode], variable: str, depth: int
    ) -> Built:
        selections = [node.selection_set for node in nodes if node.selection_set]
        fields = collect(self.graphql, self.fragments, kind, selections)
        entity = registry.ENTITIES.get(kind.name)
        relations: dict[str, Relation | Aggregate[Any]] = {}
        if entity is not None:
            relations.update(registry.relations_of(kind.name))
            relations.update(registry.aggregates_of(kind.name))
        deferred: dict[str, tuple[Relation | Aggregate[Any], list[FieldNode], GraphQLField]] = {}
        looked_at: set[str] = set()
        for key, selected in fields.items():
            name = selected[0].name.value
            if name.startswith("__"):
                continue
            definition = kind.fields[name]
            field = _strawberry_field(definition)
            relation = relations.get(field.python_name)
            if relation is not None and field.base_resolver is not None:
                deferred[key] = (relation, selected, definition)
                looked_at.add(relation.owner_key)
            else:
                looked_at.add(field.python_name)
        if entity is not None:
            self._look_at(entity, looked_at)
        owner = "o" if deferred else variable
        parts = []
        objects = 1  # this one
        for key, selected in fields.items():
            if key in deferred:
                parts.append(f"{key!r}: None")
                continue
            value, inside = self._field(kind, entity, selected, owner, depth)
            parts.append(f"{key!r}: {value}")
            objects += inside
        display = "{" + ", ".join(parts) + "}"
        if not deferred:
            return display, objects
        slot = self.slots
        self.slots += 1
        for key, (relation, selected, definition) in deferred.items():
            self._relation(depth + 1, slot, key, relation, selected, definition)
        body = [
            f"R.objects += {objects}",
            f"d = {display}",
            f"R.owners[{slot}].append((o, d))",
            "return d",
        ]
        return f"{self._function('_owner', 'o, R', body)}({variable}, R)", 0

    def _field(
        self,
        kind: GraphQLObjectType,
        entity: Entity[Any] | None,
        selected: list[FieldNode],
        owner: str,
        depth: int,
    ) -> Built:
        name = selected[0].name.value
        if name == "__typename":
            return repr(kind.name), 0
        if name.startswith("__"):
            raise Unsupported("introspection")
        definition = kind.fields[name]
        field = _strawberry_field(definition)
        if entity is not None and field.python_name in entity.guards:
            read = self._constant(_guarded_reader(entity, field.python_name), "_guard")
            return self._complete(definition.type, selected, f"{read}({owner}, R)", depth)
        if field.base_resolver is not None:
            raise Unsupported(f"the resolver of {kind.name}.{name}")
        if any(node.arguments for node in selected):
            raise Unsupported(f"arguments on {kind.name}.{name}")
        return self._complete(definition.type, selected, f"{owner}.{field.python_name}", depth)

    def _relation(
        self,
        depth: int,
        slot: int,
        key: str,
        relation: Relation | Aggregate[Any],
        selected: list[FieldNode],
        definition: GraphQLField,
    ) -> None:
        arguments = None
        source = "value"
        if isinstance(relation, Aggregate):
            arguments = Arguments(self.schema, definition, selected[0])
        elif isinstance(relation, Paged):
            arguments = Arguments(self.schema, definition, selected[0])
            source = "_connection(value)"
        elif any(node.arguments for node in selected):
            raise Unsupported(f"arguments on {relation.name}")
        complete = self._returning(
            "_related", self._complete(definition.type, selected, source, depth)
        )
        self.steps.append((depth, slot, key, relation, arguments, complete))

    # --- values ------------------------------------------------------------------------------

    def _complete(
        self, kind: GraphQLOutputType, nodes: list[FieldNode], source: str, depth: int
    ) -> Built:
        """An expression completing `source` as a value of `kind`, nulls checked."""
        variable = self._name("v")
        if is_non_null_type(kind):
            inner, objects = self._present(kind.of_type, nodes, variable, depth)
            return f"(_bail() if ({variable} := {source}) is None else {inner})", objects
        inner, objects = self._present(kind, nodes, variable, depth)
        if objects:
            inner = f"_counted(R, {objects}, {inner})"
        return f"(None if ({variable} := {source}) is None else {inner})", 0

    def _present(
        self, kind: GraphQLOutputType, nodes: list[FieldNode], variable: str, depth: int
    ) -> Built:
        """An expression completing `variable`, known not to be null, as a `kind`."""
        if is_list_type(kind):
            item = self._name("x")
            inner, objects = self._complete(kind.of_type, nodes, item, depth)
            listed = f"[{inner} for {item} in {variable}]"
            return (f"_each(R, {objects}, {listed})" if objects else listed), 0
        if is_leaf_type(kind):
            return self._leaf(kind, variable), 0
        if is_object_type(kind):
            return self._object(kind, nodes, variable, depth)
        if is_abstract_type(kind):
            return self._abstract(kind, nodes, variable, depth), 0
        raise Unsupported(f"the output type {kind}")

    def _leaf(self, kind: GraphQLLeafType, v: str) -> str:
        serialize = self._constant(kind.serialize, "_serialize")
        # graphql-core refuses a `serialize` that returns null; inline, not a call to
        # `_present`: a timestamp or a Long takes this way on every row.
        s = self._name("s")
        slow = f"(_bail() if ({s} := {serialize}({v})) is None else {s})"
        if kind is GraphQLString or kind is GraphQLID:
            return f"({v} if {v}.__class__ is str else {slow})"
        if kind is GraphQLInt:
            return f"({v} if {v}.__class__ is int and -2147483648 <= {v} <= 2147483647 else {slow})"
        if kind is GraphQLBoolean:
            return f"({v} if {v}.__class__ is bool else {slow})"
        if kind.serialize is int:  # Long: `int` gives an int back as it is
            return f"({v} if {v}.__class__ is int else {slow})"
        if isinstance(kind, GraphQLEnumType):
            # Every value the enum has, serialised once; anything else the slow way.
            names = {value.value: kind.serialize(value.value) for value in kind.values.values()}
            known = self._constant(names, "_names")
            return f"({known}[{v}] if {v} in {known} else {slow})"
        return slow

    def _abstract(
        self, kind: GraphQLAbstractType, nodes: list[FieldNode], variable: str, depth: int
    ) -> str:
        members: dict[type, Any] = {}
        for member in self.graphql.get_possible_types(kind):
            entity = registry.ENTITIES.get(member.name)
            if entity is None:
                raise Unsupported(f"{member.name} of {kind.name} is not an entity")
            function = self._returning("_member", self._object(member, nodes, "value", depth))
            self.members.append((members, entity.record, function))
        table = self._constant(members, "_members")
        # A record of no member type is an error graphql-core reports: Strawberry's to answer.
        return f"{table}.get({variable}.__class__, _bail)({variable}, R)"

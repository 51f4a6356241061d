"""Look-ahead prefetch: load what a query selects below a list before it is walked.

A list field's resolver hands its records and its AST field nodes to `prefetch`, which
walks the selection level by level and bulk-loads every selected relation into the
request's loaders (one statement per relation per level, as before). Relation fields
then find their values already cached and return them as plain values: graphql-core
completes them synchronously instead of awaiting a future per row, which spares a task
and several event-loop turns for each of them. Anything not prefetched (unknown fields,
paged relations) still goes through the loaders as usual, so this is only ever faster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    is_abstract_type,
)
from graphql.execution.values import VariableValues, get_directive_values

from .. import registry
from ..loaders import Loaders
from ..registry import Many, One

# What can be prefetched below a record: its one and many relations (a paged relation has
# per-field arguments, so it is left to its own field), as the registry describes them.
RELATIONS: dict[type, dict[str, One[Any] | Many[Any]]] = {
    entity.record: {
        name: relation
        for name, relation in registry.relations_of(entity.name).items()
        if isinstance(relation, One | Many)
    }
    for entity in registry.ENTITIES.values()
}

TYPE_NAMES = {entity.record: entity.name for entity in registry.ENTITIES.values()}
Selections = list[SelectionSetNode]


def _fields(
    selection_sets: Iterable[SelectionSetNode],
    fragments: dict[str, FragmentDefinitionNode],
    variables: VariableValues | None,
    applies: Callable[[str], bool] = lambda _condition: True,
) -> dict[str, Selections]:
    """Selected field names (aliases merged, `@skip`/`@include` applied, fragments inlined
    where `applies` to their type condition) -> their sub-selections."""
    found: dict[str, Selections] = {}
    pending = list(selection_sets)
    while pending:
        for selection in pending.pop().selections:
            if not _included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                subs = found.setdefault(selection.name.value, [])
                if selection.selection_set is not None:
                    subs.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or applies(condition.name.value):
                    pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and applies(fragment.type_condition.name.value):
                    pending.append(fragment.selection_set)
    return found


def _included(node: SelectionNode, variables: VariableValues | None) -> bool:
    """What `@skip` and `@include` say of a selection, as execution will apply them."""
    if not node.directives:
        return True
    try:
        skip = get_directive_values(GraphQLSkipDirective, node, variables)
        include = get_directive_values(GraphQLIncludeDirective, node, variables)
    except GraphQLError:
        return True  # execution reports it; reading ahead more than needed costs no answer
    return not (skip and skip["if"]) and not (include and not include["if"])


def _applies_to(schema: GraphQLSchema, runtime: str) -> Callable[[str], bool]:
    """Whether a fragment's type condition takes in objects of type `runtime`."""
    kind = schema.get_type(runtime)

    def applies(condition: str) -> bool:
        conditional = schema.get_type(condition)
        if conditional is kind:
            return True
        return (
            is_abstract_type(conditional)
            and isinstance(kind, GraphQLObjectType)
            and schema.is_sub_type(conditional, kind)
        )

    return applies


async def prefetch(
    loaders: Loaders,
    items: Sequence[Any],
    selections: Selections,
    fragments: dict[str, FragmentDefinitionNode],
    schema: GraphQLSchema,
    variables: VariableValues | None,
) -> None:
    """Bulk-load every relation `selections` asks for below `items`, level by level."""
    level: list[tuple[Sequence[Any], Selections]] = [(items, selections)]
    while level:
        following: list[tuple[Sequence[Any], Selections]] = []
        for batch, selection in level:
            by_type: dict[type, list[Any]] = {}
            for item in batch:
                by_type.setdefault(type(item), []).append(item)
            for kind, group in by_type.items():
                if kind not in TYPE_NAMES:
                    continue
                applies = _applies_to(schema, TYPE_NAMES[kind])
                fields = _fields(selection, fragments, variables, applies)
                for name, relation in RELATIONS.get(kind, {}).items():
                    if name not in fields:
                        continue
                    keys = [key for item in group if (key := relation.key(item)) is not None]
                    values: list[Any] = await loaders.follow(relation).load_all(keys)
                    children = (
                        [child for value in values for child in value]
                        if isinstance(relation, Many)
                        else [value for value in values if value is not None]
                    )
                    if children and fields[name]:
                        following.append((children, fields[name]))
        level = following


async def prefetch_connection(
    info: GraphQLResolveInfo[Any], loaders: Loaders, items: Sequence[Any]
) -> None:
    """Prefetch below a connection: under `edges { node }` and under `nodes`."""
    if not items:
        return
    variables = info.variable_values
    connection = _fields(
        (node.selection_set for node in info.field_nodes if node.selection_set),
        info.fragments,
        variables,
    )
    below = connection.get("nodes", [])
    if "edges" in connection:
        below = below + _fields(connection["edges"], info.fragments, variables).get("node", [])
    if below:
        await prefetch(loaders, items, below, info.fragments, info.schema, variables)

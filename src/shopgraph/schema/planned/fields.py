"""Field collection, as GraphQL execution does it, done once when a document is planned.

Selections are grouped by response key in the order they first appear, fragments inlined
where their type condition matches, each named fragment once per selection set, and
`@skip`/`@include` applied. Only literal conditions can be applied ahead of a request; a
condition on a variable makes the document `Unsupported` (Strawberry runs it).
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionNode,
    SelectionSetNode,
    is_abstract_type,
)

from .plan import Unsupported

Grouped = dict[str, list[FieldNode]]


def _included(node: SelectionNode) -> bool:
    skip = include = None
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            raise Unsupported(f"the @{name} directive")
        (argument,) = directive.arguments or ()
        if not isinstance(argument.value, BooleanValueNode):
            raise Unsupported(f"@{name} on a variable")
        if name == "skip":
            skip = argument.value.value
        else:
            include = argument.value.value
    return not skip and include is not False


def _matches(
    schema: GraphQLSchema, condition: NamedTypeNode | None, runtime: GraphQLObjectType
) -> bool:
    if condition is None:
        return True
    conditional = schema.get_type(condition.name.value)
    if conditional is runtime:
        return True
    return is_abstract_type(conditional) and schema.is_sub_type(conditional, runtime)


def collect(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    runtime: GraphQLObjectType,
    selection_sets: Iterable[SelectionSetNode],
) -> Grouped:
    """The fields selected on an object of type `runtime`, by response key."""
    grouped: Grouped = {}
    visited: set[str] = set()

    def visit(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if not _included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if _matches(schema, selection.type_condition, runtime):
                    visit(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or not _matches(schema, fragment.type_condition, runtime):
                    continue
                if name in visited:
                    continue
                visited.add(name)
                visit(fragment.selection_set)

    for selection_set in selection_sets:
        visit(selection_set)
    return grouped

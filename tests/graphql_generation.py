"""Random GraphQL queries over shopgraph's real schema, for `test_planned_differential.py`.

The documents follow the graphql-core schema the server builds (`build_schema`): every
field of every object type it reaches, the `Node` interface through inline and named
fragments on its members, and each field's real arguments. Choices are drawn with
Hypothesis, so failures shrink; the values come from `Pools`, read from the test database
(real ids and cursors of every type and sort order, and ids that name nothing).

What a document may hold: aliases (also one field twice under two aliases with different
selections), named fragments (spread once, twice, or nested in other fragments) and
inline fragments with and without a type condition, `__typename` anywhere, literal
`@skip`/`@include`, page sizes 0..100 through `first`/`last` as literals or variables
(variables with and without defaults, Ints sent as `5.0`), every sort value and both
directions, `after`/`before` cursors of the same list and order, filters, `node`/`nodes`
with ids of every type and unknown or malformed ones. A few documents ask for something the
server refuses at run time (a page size out of range, `first` and `last` together, a cursor
of another order, a null sort): those are flagged in `Generated.deliberate`.

The documents are valid by construction and within the server's limits of depth, aliases
and tokens (`check_limits` proves it with the server's own rules); responses sharing a
key always merge (arguments on a shared key only where no other selection can meet it,
aliases unique in the document). Cost is kept low by bounding nested page sizes by the
number of parents; the few documents still above the maximum are filtered by the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    parse,
    specified_rules,
    validate,
)
from hypothesis import strategies as st

from shopgraph.schema import Schema, graphql_schema

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]
Composite = GraphQLObjectType | GraphQLInterfaceType

# Bounds of aggregates' time ranges: before any order, around now, and far ahead.
INSTANTS = (None, "2020-01-01T00:00:00Z", "2026-12-01T00:00:00Z", "2100-01-01T00:00:00Z")
ROOT_FIELDS = (
    "orders",
    "order",
    "products",
    "product",
    "customers",
    "customer",
    "categories",
    "category",
    "node",
    "nodes",
)
# The deepest a field may sit (root fields at 0). The server allows 12; one level is kept
# spare so no choice below has to look ahead further than one level.
MAX_LEAF_DEPTH = 11
MAX_ALIASES = 30
# Instances a selection may be repeated (page sizes of the pages above it multiplied):
# nested page sizes are bounded by INSTANCES // instances so far, which keeps most
# documents under the maximum query cost.
INSTANCES = 400
MAX_FIELDS = 120  # fields per document, well under the token limit
DIRECTIVES = (
    *([""] * 30),
    "@skip(if: false)",
    "@include(if: true)",
    "@skip(if: true)",
    "@include(if: false)",
    "@include(if: true) @skip(if: false)",
    "@skip(if: true) @include(if: true)",
)
FILTERS: dict[str, tuple[str, ...]] = {
    "orders": ("{status: PAID}", "{status: CANCELLED}", "{status: PENDING}", "customer"),
    "products": ('{search: "Mug"}', "{priceMin: 1000, priceMax: 9000}", "category"),
    "customers": ('{search: "Ada"}', '{search: "nobody-at-all"}'),
}


@dataclass(frozen=True, slots=True)
class Pools:
    """Values the generator picks from, read from the database the test runs on."""

    ids: dict[str, tuple[str, ...]]  # real public ids, by type name
    # Cursors of real rows, by (node type, sort value, direction).
    cursors: dict[tuple[str, str, str], tuple[str, ...]]
    unknown: tuple[str, ...]  # ids that name nothing: unknown keys, malformed, empty


@dataclass(frozen=True, slots=True)
class Generated:
    query: str
    variables: dict[str, Any]
    # Why the request may answer errors (an argument the server refuses at run time);
    # empty when it must answer data without any error.
    deliberate: tuple[str, ...]


@dataclass(slots=True)
class _Scope:
    """A selection set, as far as merging responses is concerned.

    `mergeable`: another selection set may be merged with this one (it belongs to a field
    without an alias, or to a named fragment), so fields with arguments get unique
    aliases here. `exclusive`: its fields may meet fields of other types of an abstract
    parent under one key, so fields whose type differs between those types get aliases.
    """

    mergeable: bool
    exclusive: bool = False
    unaliased_arguments: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Fragment:
    name: str
    on: str
    height: int  # levels of fields below the spread
    aliases: int  # aliases it holds, as the server's limiter counts them per spread
    instances: int  # the instances it was generated for: not reused below more


class _Builder:
    def __init__(self, draw: Draw[Any], schema: GraphQLSchema, pools: Pools) -> None:
        self.draw = draw
        self.schema = schema
        self.pools = pools
        self.serial = itertools.count(1)
        self.aliases = 0
        self.fields = 0
        self.definitions: list[str] = []
        self.values: dict[str, Any] = {}
        self.fragments: list[_Fragment] = []
        self.fragment_text: list[str] = []
        self.deliberate: list[str] = []
        node = schema.get_type("Node")
        assert isinstance(node, GraphQLInterfaceType)
        self.node = node
        self.members = sorted(schema.get_possible_types(node), key=lambda t: t.name)
        self.node_types: list[Composite] = [*self.members, node]
        # Fields whose type differs between members of Node: not merged unaliased.
        types: dict[str, set[str]] = {}
        for member in self.members:
            for name, definition in member.fields.items():
                types.setdefault(name, set()).add(str(definition.type))
        self.conflicting = frozenset(name for name, seen in types.items() if len(seen) > 1)

    # --- helpers ---------------------------------------------------------------------------

    def chance(self, percent: int) -> bool:
        return bool(self.draw(st.integers(0, 99)) < percent)

    def pick(self, options: tuple[T, ...] | list[T]) -> T:
        return self.draw(st.sampled_from(options))  # type: ignore[no-any-return]

    def alias(self, prefix: str = "a") -> str | None:
        if self.aliases >= MAX_ALIASES:
            return None
        self.aliases += 1
        return f"{prefix}{next(self.serial)}"

    def variable(self, kind: str, value: Any, *, default: str | None = None) -> str:
        """`$vN` of type `kind`, sent as `value`; with a default, sometimes not sent."""
        name = f"v{next(self.serial)}"
        if default is not None:
            self.definitions.append(f"${name}: {kind} = {default}")
            if self.chance(50):
                return f"${name}"  # the default applies
        else:
            self.definitions.append(f"${name}: {kind}")
        self.values[name] = value
        return f"${name}"

    def integer(self, value: int) -> str:
        """An Int argument: a literal, or a variable (with or without a default, sent as an
        int or as an integral float)."""
        if not self.chance(35):
            return str(value)
        sent: Any = float(value) if self.chance(20) else value
        if self.chance(30):
            return self.variable("Int", sent, default=str(value))
        return self.variable(self.pick(("Int", "Int!")), sent)

    def string(self, value: str, kind: str = "String") -> str:
        """A String or (with `kind` "ID!") an ID argument: a literal or a variable."""
        if not self.chance(35):
            return '"' + value + '"'
        return self.variable(kind if kind.endswith("!") else self.pick((kind, f"{kind}!")), value)

    # --- documents -------------------------------------------------------------------------

    def document(self) -> Generated:
        query = self.schema.query_type
        assert query is not None
        scope = _Scope(mergeable=False)
        items: list[str] = []
        for _ in range(self.draw(st.integers(1, 3))):
            if self.chance(10):
                items.append(self.typename())
            elif self.chance(12):
                items.append(self.query_fragment(query))
            else:
                items.append(self.root_field(query, scope))
        operation = "query"
        if self.chance(50):
            operation += f" Q{next(self.serial)}"
        if self.definitions:
            operation += "(" + ", ".join(self.definitions) + ")"
        elif operation == "query" and self.chance(50):
            operation = ""  # the shorthand form
        text = "\n".join([f"{operation} {{ {' '.join(items)} }}".strip(), *self.fragment_text])
        return Generated(text, dict(self.values), tuple(self.deliberate))

    def typename(self) -> str:
        alias = self.alias("t") if self.chance(30) else None
        return f"{alias}: __typename" if alias else "__typename"

    def query_fragment(self, query: GraphQLObjectType) -> str:
        name = f"Root{next(self.serial)}"
        scope = _Scope(mergeable=True)
        body = [self.root_field(query, scope) for _ in range(self.draw(st.integers(1, 2)))]
        self.fragment_text.append(f"fragment {name} on Query {{ {' '.join(body)} }}")
        return f"...{name}"

    def root_field(self, query: GraphQLObjectType, scope: _Scope) -> str:
        """A root field; sometimes inside an inline fragment on the root type."""
        name = self.pick(ROOT_FIELDS)
        text, _ = self.field(query, name, query.fields[name], 0, 1, scope)
        if not text:
            return self.typename()
        if self.chance(10):
            condition = self.pick(("", " on Query"))
            return f"...{condition} {self.pick(DIRECTIVES)} {{ {text} }}".replace("  ", " ")
        return text

    # --- selections --------------------------------------------------------------------------

    def selection_set(
        self, kind: Composite, depth: int, instances: int, scope: _Scope
    ) -> tuple[str, int]:
        """`{ ... }` for a value of `kind` whose fields sit at `depth`; and its height."""
        items: list[str] = []
        height = 0
        wanted = self.draw(st.integers(1, 4 if depth < 4 else 2))
        for _ in range(wanted):
            item, tall = self.selection(kind, depth, instances, scope)
            if item:
                items.append(item)
                height = max(height, tall)
        if not items:
            items.append("id" if "id" in kind.fields and self.chance(50) else "__typename")
            height = max(height, 1)
        return "{ " + " ".join(items) + " }", height

    def selection(
        self, kind: Composite, depth: int, instances: int, scope: _Scope
    ) -> tuple[str, int]:
        """One selection of a `kind` selection set: a field, `__typename`, or a fragment;
        and its height (levels of fields, 1 for a leaf)."""
        self.fields += 1
        if self.fields > MAX_FIELDS:
            return "", 1
        roll = self.draw(st.integers(0, 99))
        abstract = is_abstract_type(kind)
        if roll < 8:
            return self.typename(), 1
        if roll < 16 or (abstract and roll < 60):
            return self.inline_fragment(kind, depth, instances, scope)
        if roll < 24 or (abstract and roll < 80):
            return self.spread(kind, depth, instances, scope)
        names = [
            name
            for name, definition in kind.fields.items()
            if depth < MAX_LEAF_DEPTH or is_leaf_type(get_named_type(definition.type))
        ]
        if not names:
            return self.typename(), 1
        name = self.pick(names)
        definition = kind.fields[name]
        composite = not is_leaf_type(get_named_type(definition.type))
        if composite and roll < 30 and not definition.args:
            # The same field twice, under two aliases, each with a selection of its own.
            first = self.field(kind, name, definition, depth, instances, scope, alias=True)
            second = self.field(kind, name, definition, depth, instances, scope, alias=True)
            joined = " ".join(part for part, _ in (first, second) if part)
            return joined, max(first[1], second[1])
        return self.field(kind, name, definition, depth, instances, scope)

    def inline_fragment(
        self, kind: Composite, depth: int, instances: int, scope: _Scope
    ) -> tuple[str, int]:
        if is_abstract_type(kind):
            on: Composite = self.pick(self.node_types)
            inner = _Scope(scope.mergeable, True, scope.unaliased_arguments)
            condition = f" on {on.name}"
        else:
            assert isinstance(kind, GraphQLObjectType)
            options: list[Composite] = [kind, *kind.interfaces]
            on = self.pick(options)
            inner = _Scope(scope.mergeable, scope.exclusive, scope.unaliased_arguments)
            condition = "" if on is kind and self.chance(40) else f" on {on.name}"
        directive = self.pick(DIRECTIVES)
        body, height = self.selection_set(on, depth, instances, inner)
        return f"...{condition} {directive} {body}".replace("  ", " "), height

    def spread(self, kind: Composite, depth: int, instances: int, scope: _Scope) -> tuple[str, int]:
        """A named fragment: one made before that fits here, or a new one."""
        if is_abstract_type(kind):
            applicable = {member.name for member in self.members} | {kind.name}
        else:
            assert isinstance(kind, GraphQLObjectType)
            applicable = {kind.name, *(i.name for i in kind.interfaces)}
        reusable = [
            fragment
            for fragment in self.fragments
            if fragment.on in applicable
            and depth + fragment.height - 1 <= MAX_LEAF_DEPTH
            and self.aliases + fragment.aliases <= MAX_ALIASES
            and instances <= fragment.instances
        ]
        directive = self.pick(DIRECTIVES)
        if reusable and self.chance(50):
            fragment = self.pick(reusable)
            self.aliases += fragment.aliases
            return f"...{fragment.name} {directive}".strip(), fragment.height
        if is_abstract_type(kind):
            on: Composite = self.pick(self.node_types)
        else:
            assert isinstance(kind, GraphQLObjectType)
            on = self.pick([kind, *kind.interfaces])
        name = f"F{next(self.serial)}"
        before = self.aliases
        # Spread anywhere its type fits, maybe beside fragments of other types: every
        # field with arguments gets an alias, and so do fields typed differently by types
        # of Node.
        body, height = self.selection_set(on, depth, instances, _Scope(True, True))
        self.fragments.append(_Fragment(name, on.name, height, self.aliases - before, instances))
        self.fragment_text.append(f"fragment {name} on {on.name} {body}")
        return f"...{name} {directive}".strip(), height

    def field(
        self,
        parent: Composite,
        name: str,
        definition: GraphQLField,
        depth: int,
        instances: int,
        scope: _Scope,
        *,
        alias: bool = False,
    ) -> tuple[str, int]:
        """The field `name` of `parent` at `depth`, with arguments and a selection, and its
        height; empty if it would need an alias and none is left."""
        named = get_named_type(definition.type)
        must = bool(definition.args) and (scope.mergeable or name in scope.unaliased_arguments)
        must = must or (scope.exclusive and name in self.conflicting)
        label = None
        if alias or must or self.chance(15):
            label = self.alias()
            if label is None:
                return "", 1
        elif definition.args:
            scope.unaliased_arguments.add(name)
        arguments, repeat = self.arguments(parent, name, definition, instances)
        text = f"{label}: {name}" if label else name
        if arguments:
            text += f"({arguments})"
        directive = self.pick(DIRECTIVES)
        if directive:
            text += f" {directive}"
        if is_leaf_type(named):
            return text, 1
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        child = _Scope(mergeable=label is None)
        body, height = self.selection_set(named, depth + 1, max(1, instances * repeat), child)
        return f"{text} {body}", height + 1

    # --- arguments -----------------------------------------------------------------------------

    def arguments(
        self, parent: Composite, name: str, definition: GraphQLField, instances: int
    ) -> tuple[str, int]:
        """The arguments of a field, and how many times its selection is repeated."""
        args = definition.args
        if not args:
            kind = definition.type
            if is_non_null_type(kind):
                kind = kind.of_type
            return "", 4 if is_list_type(kind) else 1  # lines, payments, refunds: a few each
        if set(args) <= {"from", "to"}:  # an aggregate over a time range
            return self.time_range(args), 1
        if "ids" in args:
            return self.ids_argument(instances)
        if "id" in args:
            target = get_named_type(definition.type).name
            return f"id: {self.identifier(target)}", 1
        node = get_named_type(definition.type)
        assert isinstance(node, GraphQLObjectType)
        edge_type = get_named_type(node.fields["nodes"].type)
        sort_enum = get_named_type(args["sort"].type)
        assert isinstance(sort_enum, GraphQLEnumType)
        return self.paging(
            edge_type.name,
            sort_enum,
            filtered=name if "filter" in args else None,
            instances=instances,
        )

    def time_range(self, args: Any) -> str:
        """`from:` and `to:` of an aggregate: open, bounded, empty, or (deliberately) reversed."""
        parts = []
        chosen: dict[str, str | None] = {
            name: self.pick(INSTANTS) for name in args if self.chance(60)
        }
        start, end = chosen.get("from"), chosen.get("to")
        if start is not None and end is not None and end < start:
            self.deliberate.append("a reversed range")
        for name, value in chosen.items():
            if value is not None:
                parts.append(f"{name}: {self.string(value, 'DateTime')}")
        return ", ".join(parts)

    def identifier(self, target: str) -> str:
        """An id for `field(id:)`: mostly one of `target`'s, else another type's or none."""
        roll = self.draw(st.integers(0, 99))
        if target in self.pools.ids and roll < 70:
            value = self.pick(self.pools.ids[target])
        elif roll < 85:
            value = self.pick(self.pick(sorted(self.pools.ids.values())))
        else:
            value = self.pick(self.pools.unknown)
        return self.string(value, "ID!")

    def ids_argument(self, instances: int) -> tuple[str, int]:
        count = self.draw(st.integers(0, 6 if instances == 1 else 2))
        values = [
            self.pick(self.pools.unknown)
            if self.chance(20)
            else self.pick(self.pick(sorted(self.pools.ids.values())))
            for _ in range(count)
        ]
        roll = self.draw(st.integers(0, 2))
        if roll == 0:
            listed = "[" + ", ".join(f'"{value}"' for value in values) + "]"
        elif roll == 1:
            listed = self.variable("[ID!]!", values)
        else:
            listed = "[" + ", ".join(self.variable("ID!", value) for value in values) + "]"
        return f"ids: {listed}", max(count, 1)

    def paging(
        self,
        node_type: str,
        sort_enum: GraphQLEnumType,
        *,
        filtered: str | None,
        instances: int,
    ) -> tuple[str, int]:
        parts: list[str] = []
        sort = self.pick([None, *sort_enum.values])
        direction = self.pick((None, "ASC", "DESC"))
        if sort is not None:
            if self.chance(30):
                nullable = self.chance(30)
                kind = sort_enum.name if nullable else f"{sort_enum.name}!"
                if nullable and self.chance(10):
                    parts.append(f"sort: {self.variable(kind, None)}")
                    self.deliberate.append("a null sort")
                else:
                    parts.append(f"sort: {self.variable(kind, sort)}")
            else:
                parts.append(f"sort: {sort}")
        if direction is not None:
            if self.chance(30):
                parts.append(f"direction: {self.variable('SortDirection!', direction)}")
            else:
                parts.append(f"direction: {direction}")
        cap = min(100, INSTANCES // instances)
        # The bounds (an empty page, one item, the largest page) as often as the rest.
        size = self.draw(st.sampled_from((0, 1, cap)) | st.integers(0, cap))
        mode = self.pick(("default", "first", "first", "first", "last", "after", "after", "before"))
        if self.chance(2):
            mode = "bad"
        if mode == "default" and cap < 20:
            mode = "first"  # the default page is 20
        repeat = 20 if mode == "default" else size
        cursors = self.pools.cursors.get((node_type, sort or "CREATED_AT", direction or "ASC"), ())
        if mode in ("first", "after"):
            parts.append(f"first: {self.integer(size)}")
        elif mode in ("last", "before"):
            parts.append(f"last: {self.integer(size)}")
        if mode == "after" and cursors:
            parts.append(f"after: {self.string(self.pick(cursors))}")
        if mode == "before" and cursors:
            parts.append(f"before: {self.string(self.pick(cursors))}")
        if mode == "bad":
            parts.append(self.refused(node_type, sort, direction, size))
            repeat = max(size, 1)
        if filtered is not None and self.chance(20):
            parts.append(f"filter: {self.filter(filtered)}")
        return ", ".join(parts), repeat

    def refused(self, node_type: str, sort: str | None, direction: str | None, size: int) -> str:
        """Paging arguments the server refuses when the field runs."""
        problem = self.pick(("too many", "negative", "first and last", "foreign cursor"))
        self.deliberate.append(problem)
        if problem == "too many":
            return f"first: {self.integer(101)}"
        if problem == "negative":
            return f"last: {self.integer(-1)}"
        if problem == "first and last":
            return f"first: {size}, last: {self.integer(size)}"
        other = "DESC" if (direction or "ASC") == "ASC" else "ASC"
        cursors = self.pools.cursors.get((node_type, sort or "CREATED_AT", other), ("garbage",))
        return f"first: {size}, after: {self.string(self.pick(cursors))}"

    def filter(self, field_name: str) -> str:
        chosen = self.pick(FILTERS[field_name])
        if chosen == "customer":
            return f'{{customerId: "{self.pick(self.pools.ids["Customer"])}"}}'
        if chosen == "category":
            return f'{{categoryId: "{self.pick(self.pools.ids["Category"])}"}}'
        return chosen


@st.composite
def documents(draw: Draw[Any], schema: GraphQLSchema, pools: Pools) -> Generated:
    """A query document over `schema`, with its variables."""
    return _Builder(draw, schema, pools).document()


def check_limits(schema: Schema, generated: Generated) -> list[str]:
    """Why the server would refuse the document before running it (empty: it would not)."""
    document = parse(generated.query, max_tokens=schema.max_tokens)
    rules = (*specified_rules, *schema.validation_limits)
    return [error.message for error in validate(graphql_schema(schema), document, rules)]

"""A planned query: what runs it, and the two ways a plan gives a request back to Strawberry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, OperationDefinitionNode

from ...registry import Many, One, Relation
from ...registry.aggregate import Aggregate
from .arguments import Arguments


class Unsupported(Exception):
    """The document uses something the planner does not plan: Strawberry runs it, always."""


class Bail(Exception):
    """This request met something only Strawberry answers exactly (a null where none may
    be, a refused field, a value that does not serialise): Strawberry runs it again."""


class Run:
    """One request's state while a plan runs."""

    __slots__ = ("audited", "context", "objects", "owners", "principal")

    def __init__(self, context: Any, slots: int) -> None:
        self.context = context
        self.principal = context.principal
        # Per slot, the (record, response dict) pairs whose relations are still to load.
        self.owners: list[list[tuple[Any, dict[str, Any]]]] = [[] for _ in range(slots)]
        self.audited: list[str] = []  # ids of customer data read, for the audit trail
        # Objects the response holds, as the cost model counts them (`cost_gate`).
        self.objects = 0


Complete = Callable[[Any, Run], Any]  # a value as the response shows it


@dataclass(frozen=True, slots=True)
class RootStep:
    """A root field: fetched by its own function, then completed."""

    key: str
    fetch: Callable[..., Awaitable[Any]] | None  # None: `__typename`
    arguments: Arguments | None
    complete: Complete


@dataclass(frozen=True, slots=True)
class RelationStep:
    """A relation (or an aggregate) to load for every owner registered in `slot`, one bulk
    call per level."""

    depth: int
    slot: int
    key: str
    relation: Relation | Aggregate[Any]
    arguments: Arguments | None  # a paged relation's page arguments, an aggregate's range
    complete: Complete


@dataclass(frozen=True, slots=True)
class Plan:
    document: DocumentNode
    operation: OperationDefinitionNode
    roots: list[RootStep]
    steps: list[RelationStep]  # in the order they run: by depth
    slots: int  # how many owner lists a run keeps (`Run.owners`)
    joined: tuple[One[Any] | Many[Any], ...]  # relations read in their owners' statements
    single_read: bool  # the plan sends one statement: it needs no snapshot transaction
    source: str  # the generated code, for reading and debugging
    priced_by: tuple[str, ...]  # the variables its price depends on (`cost.priced_variables`)
    narrowed: dict[str, frozenset[str]]  # per entity, the record fields the plan looks at
    prices: dict[tuple[Any, ...], int] = field(default_factory=dict)  # by those variables
    # What its joins and shapes make of each entity's reads (`Loaders.prepare`).
    prepared: dict[str, Any] = field(default_factory=dict)

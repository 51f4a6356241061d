"""One-to-one relations read in their owner's statement (LEFT JOIN), not one of their own.

A request that knows it will follow a `One` relation from every record of an entity (the
planned executor knows it from its plan) says so once (`Loaders.join`). From then on every
statement that reads that entity's records also reads the related record, joined, and
primes the relation's loader with it; following the relation then finds every key loaded.
Joins chain: order lines joined with their product, and the product with its category and
stock, is one statement where following them one by one is four.

What is read is what the relation's own loader would have read: the same records by the
same keys, in the same shape (`Shape`: the columns the request reads of that entity), so
the answer cannot tell the two apart, and `rows_read` counts each record once, as the
separate statement would have.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, FromClause, literal_column, select, true
from sqlalchemy.engine import Dialect

from ..registry import Entity, One, Shape

if TYPE_CHECKING:
    from . import Loaders


@dataclass(frozen=True, slots=True)
class Join:
    """A relation joined to its owner, the shape its target is read in, and what is joined
    to the target in turn."""

    relation: One[Any]
    target: Shape[Any]
    below: tuple[Join, ...] = ()


Joins = tuple[Join, ...]


def joins_for(
    hints: Mapping[str, Sequence[One[Any]]],
    entity: Entity[Any],
    shape_of: Callable[[Entity[Any]], Shape[Any]],
) -> Joins:
    """What to join below `entity`'s records, following `hints` (entity name -> relations);
    an entity already on the path is not joined again (no cycles)."""

    def below(owner: Entity[Any], path: frozenset[str]) -> Joins:
        return tuple(
            Join(
                relation,
                shape_of(relation.target),
                below(relation.target, path | {relation.target.name}),
            )
            for relation in hints.get(owner.name, ())
            if relation.target.name not in path
        )

    return below(entity, frozenset({entity.name}))


def signature(joins: Joins) -> tuple[Any, ...]:
    """The joins as a hashable value: part of a compiled statement's key."""
    return tuple(
        (join.relation.name, fields_of(join.target), signature(join.below)) for join in joins
    )


def fields_of(shape: Shape[Any]) -> tuple[str, ...] | None:
    """A shape as a hashable value."""
    return None if shape.fields is None else tuple(sorted(shape.fields))


def join_onto(
    base: FromClause,
    columns: Sequence[ColumnElement[Any]],
    shape: Shape[Any],
    joins: Joins,
    dialect: Dialect,
) -> tuple[list[ColumnElement[Any]], FromClause]:
    """`columns` of `base` (rows of `shape`) followed by every joined record's columns, and
    the FROM clause with the LEFT JOINs; `Layout` reads rows of that shape.

    On PostgreSQL each join is a LATERAL subquery with LIMIT 1 (one index lookup per owner
    row, whatever the row estimate of a generic plan: a plain join to a small table is
    planned as a hash join over all of it); SQLite, which has no LATERAL, joins plainly and
    looks each row up by index anyway.
    """
    selected = list(columns)
    joined = base
    serial = 0

    def attach(parent: FromClause, below: Joins) -> None:
        nonlocal joined, serial
        for join in below:
            relation, table = join.relation, join.relation.target.table
            serial += 1
            name = f"joined_{serial}"
            target: FromClause
            if dialect.name == "postgresql":
                condition = table.c[relation.by.name] == parent.c[relation.owner_column.name]
                one: ColumnElement[int] = literal_column("1")
                wanted = (table.c[column.name] for column in join.target.columns)
                target = select(*wanted).where(condition).limit(one).lateral(name)
                joined = joined.outerjoin(target, true())
            else:
                target = table.alias(name)
                condition = target.c[relation.by.name] == parent.c[relation.owner_column.name]
                joined = joined.outerjoin(target, condition)
            selected.extend(target.c[column.name] for column in join.target.columns)
            attach(target, join.below)

    attach(base, joins)
    return selected, joined


class Layout:
    """Where each joined record sits in a row of `join_onto`'s shape, and how to prime its
    relation's loader from it."""

    def __init__(self, shape: Shape[Any], joins: Joins, dialect: Dialect) -> None:
        # (relation, key position in the row, target's key position, reader), depth first
        self.parts: list[tuple[One[Any], int, int, Any]] = []
        width = len(shape.columns)

        def place(owner: Shape[Any], owner_offset: int, below: Joins) -> None:
            nonlocal width
            for join in below:
                relation, target = join.relation, join.target
                key = owner_offset + owner.position(relation.owner_column.name)
                offset = width
                width += len(target.columns)
                found = offset + target.position(relation.by.name)
                self.parts.append((relation, key, found, target.reader(dialect, offset)))
                place(target, offset, join.below)

        place(shape, 0, joins)

    def prime(self, loaders: Loaders, rows: Sequence[Any]) -> int:
        """Hand every joined record to its relation's loader; how many records were new."""
        primed = 0
        for relation, key_at, found_at, read in self.parts:
            loader = loaders.follow(relation)
            for row in rows:
                key = row[key_at]
                if key is None or loader.has(key):
                    continue
                if row[found_at] is None:  # none to join: what its own statement would say
                    loader.prime(key, None)
                else:
                    loader.prime(key, read(row))
                    primed += 1
        return primed

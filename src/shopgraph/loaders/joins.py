"""One-to-one relations read in their owner's statement (LEFT JOIN), not one of their own.

A request that knows it will follow a `One` relation from every record of an entity (the
planned executor knows it from its plan) says so once (`Loaders.join`). From then on every
statement that reads that entity's records also reads the related record, joined, and
primes the relation's loader with it; following the relation then finds every key loaded.
Joins chain: order lines joined with their product, and the product with its category and
stock, is one statement where following them one by one is four.

What is read is what the relation's own loader would have read: the same records by the
same keys, so the answer cannot tell the two apart, and `rows_read` counts each record
once, as the separate statement would have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, FromClause, literal_column, select, true
from sqlalchemy.engine import Dialect

from ..registry import Entity, One

if TYPE_CHECKING:
    from . import Loaders


@dataclass(frozen=True, slots=True)
class Join:
    """A relation joined to its owner, and what is joined to its target in turn."""

    relation: One[Any]
    below: tuple[Join, ...] = ()


Joins = tuple[Join, ...]


def joins_for(hints: Mapping[str, Sequence[One[Any]]], entity: Entity[Any]) -> Joins:
    """What to join below `entity`'s records, following `hints` (entity name -> relations);
    an entity already on the path is not joined again (no cycles)."""

    def below(owner: Entity[Any], path: frozenset[str]) -> Joins:
        return tuple(
            Join(relation, below(relation.target, path | {relation.target.name}))
            for relation in hints.get(owner.name, ())
            if relation.target.name not in path
        )

    return below(entity, frozenset({entity.name}))


def shape(joins: Joins) -> tuple[Any, ...]:
    """The joins as a hashable value: part of a compiled statement's key."""
    return tuple((join.relation.name, shape(join.below)) for join in joins)


def join_onto(
    base: FromClause,
    columns: Sequence[ColumnElement[Any]],
    entity: Entity[Any],
    joins: Joins,
    dialect: Dialect,
) -> tuple[list[ColumnElement[Any]], FromClause]:
    """`columns` of `base` (rows of `entity`) followed by every joined record's columns, and
    the FROM clause with the LEFT JOINs; `Layout` reads rows of that shape.

    On PostgreSQL each join is a LATERAL subquery with LIMIT 1 (one index lookup per owner
    row, whatever the row estimate of a generic plan: a plain join to a small table is
    planned as a hash join over all of it); SQLite, which has no LATERAL, joins plainly and
    looks each row up by index anyway.
    """
    selected = list(columns)
    joined = base
    serial = 0

    def attach(parent: FromClause, owner: Entity[Any], below: Joins) -> None:
        nonlocal joined, serial
        for join in below:
            relation, table = join.relation, join.relation.target.table
            serial += 1
            name = f"joined_{serial}"
            condition = table.c[relation.by.name] == parent.c[relation.owner_column.name]
            target: FromClause
            if dialect.name == "postgresql":
                names = [column.name for column in relation.target.columns]
                one: ColumnElement[int] = literal_column("1")
                lookup = select(*(table.c[n] for n in names)).where(condition).limit(one)
                target = lookup.lateral(name)
                joined = joined.outerjoin(target, true())
            else:
                target = table.alias(name)
                joined = joined.outerjoin(
                    target, target.c[relation.by.name] == parent.c[relation.owner_column.name]
                )
            selected.extend(target.c[column.name] for column in relation.target.columns)
            attach(target, relation.target, join.below)

    attach(base, entity, joins)
    return selected, joined


class Layout:
    """Where each joined record sits in a row of `join_onto`'s shape, and how to prime its
    relation's loader from it."""

    def __init__(self, entity: Entity[Any], joins: Joins, dialect: Dialect) -> None:
        # (relation, key position in the row, target's key position, reader), depth first
        self.parts: list[tuple[One[Any], int, int, Any]] = []
        width = len(entity.columns)

        def place(owner: Entity[Any], owner_offset: int, below: Joins) -> None:
            nonlocal width
            for join in below:
                relation, target = join.relation, join.relation.target
                key = owner_offset + owner.position(relation.owner_column.name)
                offset = width
                width += len(target.columns)
                found = offset + target.position(relation.by.name)
                self.parts.append((relation, key, found, target.reader(dialect, offset)))
                place(target, offset, join.below)

        place(entity, 0, joins)

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

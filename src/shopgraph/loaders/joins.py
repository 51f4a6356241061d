"""Relations read in their owner's statement (LEFT JOIN), not in one of their own.

A request that knows it will follow a relation from every record of an entity (the
planned executor knows it from its plan) says so once (`Loaders.join`). From then on every
statement that reads that entity's records also reads the related records, joined, and
primes the relation's loader with them; following the relation then finds every key
loaded. Joins chain: orders joined with their lines, each line with its product, and the
product with its category and stock, is one statement where following them one by one is
five. One-to-one relations join anywhere; one `Many` relation per statement joins too (a
row per related record; two would multiply each other), with one-to-one ones below it.

What is read is what the relation's own loader would have read: the same records by the
same keys, in the same shape (`Shape`: the columns the request reads of that entity), so
the answer cannot tell the two apart; a joined record counts as read when it is first
asked for (`BatchLoader`), as the separate statement would have read it then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, FromClause, literal_column, select, true
from sqlalchemy.engine import Dialect

from ..registry import Entity, Many, One, Shape

if TYPE_CHECKING:
    from . import Loaders


Joinable = One[Any] | Many[Any]


@dataclass(frozen=True, slots=True)
class Join:
    """A relation joined to its owner, the shape its target is read in, and what is joined
    to the target in turn."""

    relation: Joinable
    target: Shape[Any]
    below: tuple[Join, ...] = ()


Joins = tuple[Join, ...]


def joins_for(
    hints: Mapping[str, Sequence[Joinable]],
    entity: Entity[Any],
    shape_of: Callable[[Entity[Any]], Shape[Any]],
) -> Joins:
    """What to join below `entity`'s records, following `hints` (entity name -> relations):
    an entity already on the path is not joined again (no cycles), and of the `Many`
    relations only the first met (none below it)."""
    many_taken = False

    def below(owner: Entity[Any], path: frozenset[str], under_many: bool) -> Joins:
        nonlocal many_taken
        found = []
        for relation in hints.get(owner.name, ()):
            if relation.target.name in path:
                continue
            many = isinstance(relation, Many)
            if many:
                if many_taken or under_many:
                    continue
                many_taken = True
            inner = below(relation.target, path | {relation.target.name}, under_many or many)
            found.append(Join(relation, shape_of(relation.target), inner))
        return tuple(found)

    return below(entity, frozenset({entity.name}), False)


def has_many(joins: Joins) -> bool:
    """Whether a `Many` relation is joined: rows then repeat their owner's columns."""
    return any(isinstance(join.relation, Many) or has_many(join.below) for join in joins)


def signature(joins: Joins) -> tuple[Any, ...]:
    """The joins as a hashable value: part of a compiled statement's key."""
    return tuple(
        (join.relation.name, fields_of(join.target), signature(join.below)) for join in joins
    )


def fields_of(shape: Shape[Any]) -> tuple[str, ...] | None:
    """A shape as a hashable value."""
    return None if shape.fields is None else tuple(sorted(shape.fields))


@dataclass(frozen=True, slots=True)
class Joined:
    """What `join_onto` makes: the columns to select, the FROM clause, and the ordering to
    add after the owner's own (a joined `Many`'s records in id order)."""

    columns: list[ColumnElement[Any]]
    source: FromClause
    order: list[ColumnElement[Any]]


def join_onto(
    base: FromClause,
    columns: Sequence[ColumnElement[Any]],
    shape: Shape[Any],
    joins: Joins,
    dialect: Dialect,
) -> Joined:
    """`columns` of `base` (rows of `shape`) followed by every joined record's columns, and
    the FROM clause with the LEFT JOINs; `Layout` reads rows of that shape.

    On PostgreSQL each join is a LATERAL subquery (a one-to-one one with LIMIT 1): one
    index lookup per owner row, whatever the row estimate of a generic plan (a plain join to
    a small table is planned as a hash join over all of it). SQLite, which has no LATERAL,
    joins plainly and looks each row up by index anyway.
    """
    selected = list(columns)
    joined = base
    order: list[ColumnElement[Any]] = []
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
                wanted = select(*(table.c[column.name] for column in join.target.columns))
                if isinstance(relation, One):
                    one: ColumnElement[int] = literal_column("1")
                    wanted = wanted.where(condition).limit(one)
                else:
                    wanted = wanted.where(condition)
                target = wanted.lateral(name)
                joined = joined.outerjoin(target, true())
            else:
                target = table.alias(name)
                condition = target.c[relation.by.name] == parent.c[relation.owner_column.name]
                joined = joined.outerjoin(target, condition)
            if isinstance(relation, Many):
                order.append(target.c[relation.target.key.name])
            selected.extend(target.c[column.name] for column in join.target.columns)
            attach(target, join.below)

    attach(base, joins)
    return Joined(selected, joined, order)


class Layout:
    """Where each joined record sits in a row of `join_onto`'s shape, and how to prime its
    relation's loader from it."""

    def __init__(self, shape: Shape[Any], joins: Joins, dialect: Dialect) -> None:
        # (relation, key position in the row, target's key position, reader), depth first
        self.parts: list[tuple[Joinable, int, int, Any]] = []
        self.key_at = shape.position(shape.entity.key.name)  # the owner record's key
        self.repeats = has_many(joins)
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

    def prime(self, loaders: Loaders, rows: Sequence[Any]) -> None:
        """Hand every joined record to its relation's loader (keys it has not loaded yet)."""
        for relation, key_at, found_at, read in self.parts:
            loader = loaders.follow(relation)
            loaded = loader.loaded
            new: dict[Any, Any] = {}
            if isinstance(relation, Many):  # a list per owner, in row (id) order
                for row in rows:
                    key = row[key_at]
                    if key is None or key in loaded:
                        continue
                    listed = new.get(key)
                    if listed is None:
                        listed = new[key] = []
                    if row[found_at] is not None:
                        listed.append(read(row))
            else:
                for row in rows:
                    key = row[key_at]
                    if key is None or key in new or key in loaded:
                        continue
                    # No row to join is what the relation's own statement would say: None.
                    new[key] = None if row[found_at] is None else read(row)
            loader.prime_joined(new)

    def distinct(self, rows: Sequence[Any]) -> list[Any]:
        """One row per owner record, in order (a joined `Many` repeats them)."""
        if not self.repeats:
            return list(rows)
        seen: set[Any] = set()
        key_at = self.key_at
        return [
            row
            for row in rows
            if row[key_at] not in seen and not seen.add(row[key_at])  # type: ignore[func-returns-value]
        ]

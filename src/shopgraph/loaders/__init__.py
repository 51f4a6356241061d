"""DataLoaders: one registry per request, one loader per way of reaching records.

Every relation a surface follows goes through one of these, so the number of SQL
statements grows with the depth of a query, never with the number of rows. Batches
run on the request's single read connection (see `db.engine.Reader`). Loaders are made
from the registry's descriptions on first use; two relations that reach the same records
the same way (an order's customer, a customer by id) share one loader and its cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, overload

from sqlalchemy import Column, Select
from sqlalchemy.engine import Dialect

from ..analytics.statements import Range
from ..db.engine import Reader
from ..pagination import CursorCodec
from ..registry import Entity, Many, One, Paged, Shape
from ..registry.aggregate import Aggregate
from .aggregated import AggregateLoader
from .base import BatchLoader
from .by_key import ManyByKey, OneByKey
from .joins import Joins, Layout, fields_of, joins_for, signature
from .paged import PagedByKey

R = TypeVar("R")


class Loaders:
    """Built lazily: a request pays only for the loaders it uses."""

    def __init__(self, reader: Reader, codec: CursorCodec) -> None:
        self.reader = reader
        self.codec = codec
        self._made: dict[tuple[Any, ...], BatchLoader[Any, Any]] = {}
        self._hints: dict[str, list[One[Any] | Many[Any]]] = {}
        self._fields: dict[str, frozenset[str]] = {}
        # Per entity, its shape, joins and their key, kept across requests by whoever set
        # the hints and fields above with `prepare` (see there); None: computed per read.
        self._prepared: dict[str, Prepared] | None = None

    def by_id(self, entity: Entity[R]) -> OneByKey[R]:
        """Records of `entity` by their key (the first of its columns)."""
        return self._one(entity, entity.key)

    @overload
    def follow(self, relation: One[R]) -> OneByKey[R]: ...
    @overload
    def follow(self, relation: Many[R]) -> ManyByKey[R]: ...
    @overload
    def follow(self, relation: Paged[R]) -> PagedByKey[R]: ...

    def follow(self, relation: One[R] | Many[R] | Paged[R]) -> BatchLoader[Any, Any]:
        """The loader that follows `relation` from its owners' keys."""
        if isinstance(relation, One):
            return self._one(relation.target, relation.by)
        shape = "many" if isinstance(relation, Many) else "paged"
        made = self._made.get((shape, relation.target.name, relation.by.name))
        if made is None:
            made = (
                ManyByKey(self, relation.target, relation.by)
                if isinstance(relation, Many)
                else PagedByKey(self, relation.target, relation.by)
            )
            self._made[(shape, relation.target.name, relation.by.name)] = made
        return made

    def aggregate(self, aggregate: Aggregate[R], span: Range) -> AggregateLoader[R]:
        """The loader of `aggregate`'s figures over `span`, by owner key."""
        key = ("aggregate", aggregate.name, span)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = AggregateLoader(self, aggregate, span)
        return made  # type: ignore[return-value]

    def _one(self, entity: Entity[R], by: Column[Any]) -> OneByKey[R]:
        made = self._made.get(("one", entity.name, by.name))
        if made is None:
            made = self._made[("one", entity.name, by.name)] = OneByKey(self, entity, by)
        return made  # type: ignore[return-value]  # made for this entity, so of its records

    def prepare(
        self,
        relations: Iterable[One[Any] | Many[Any]],
        fields: Mapping[str, frozenset[str]],
        kept: dict[str, Prepared],
    ) -> None:
        """`join(relations)` and `narrow(fields)`, for a caller that says the same every
        time and keeps `kept` for them (a plan, a REST read): what follows from them for
        each entity (its shape, its joins) is worked out once, into `kept`, not per read."""
        self.join(relations)
        self.narrow(fields)
        self._prepared = kept

    def join(self, relations: Iterable[One[Any] | Many[Any]]) -> None:
        """From now on, read each of `relations` in its owner's statements (`joins`)."""
        self._prepared = None
        for relation in relations:
            joined = self._hints.setdefault(relation.owner.name, [])
            if relation not in joined:
                joined.append(relation)

    def narrow(self, fields: Mapping[str, frozenset[str]]) -> None:
        """From now on, read only these fields (entity name -> record fields) of records of
        these entities (`Entity.narrowed`); their other fields are None. Said by a caller
        that knows every field the request will look at."""
        self._prepared = None
        self._fields.update(fields)

    def shape_of(self, entity: Entity[R]) -> Shape[R]:
        """How this request reads `entity`'s records."""
        fields = self._fields.get(entity.name)
        return entity.shape if fields is None else entity.narrowed(fields)

    async def rows(
        self,
        entity: Entity[Any],
        key: tuple[Any, ...],
        build: Callable[[Dialect, Joins, Shape[Any]], Select[Any]],
        values: Mapping[str, Any],
    ) -> tuple[list[Any], Shape[Any]]:
        """Rows of `entity` from the statement `build` makes (in the request's shape of the
        entity, with the request's joins, which it places through `joins.join_onto`),
        compiled once per process under `key`; and the shape they are in."""
        prepared = self._prepared
        found = None if prepared is None else prepared.get(entity.name)
        if found is None:
            shape = self.shape_of(entity)
            joins = joins_for(self._hints, entity, self.shape_of) if self._hints else ()
            found = (shape, joins, (fields_of(shape), signature(joins)))
            if prepared is not None:
                prepared[entity.name] = found
        shape, joins, suffix = found
        reader = self.reader
        read = reader.reads.get((*key, *suffix), lambda dialect: build(dialect, joins, shape))
        rows = await reader.rows(read, values)
        if joins and rows:
            layout = _layout(shape, joins, reader.dialect)
            layout.prime(self, rows)
            rows = layout.distinct(rows)
        reader.rows_read += len(rows)
        return rows, shape

    def clear_all(self) -> None:
        """Forget every cached value (after a write)."""
        for loader in self._made.values():
            loader.clear_all()

    def release(self) -> None:
        """Forget everything, the loaders too (the request ended): no cycle outlives it."""
        self.clear_all()
        self._made.clear()
        self._hints.clear()
        self._fields.clear()
        self._prepared = None


_LAYOUTS: dict[tuple[Any, ...], Layout] = {}
Prepared = tuple[Shape[Any], Joins, tuple[Any, ...]]  # shape, joins, their statement key


def _layout(shape: Shape[Any], joins: Joins, dialect: Dialect) -> Layout:
    key = (shape.entity.name, fields_of(shape), signature(joins), dialect.name)
    made = _LAYOUTS.get(key)
    if made is None:
        made = _LAYOUTS[key] = Layout(shape, joins, dialect)
    return made

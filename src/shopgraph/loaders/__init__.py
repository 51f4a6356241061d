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

from ..db.engine import Reader
from ..pagination import CursorCodec
from ..registry import Entity, Many, One, Paged
from .base import BatchLoader
from .by_key import ManyByKey, OneByKey
from .joins import Joins, Layout, joins_for, shape
from .paged import PagedByKey

R = TypeVar("R")


class Loaders:
    """Built lazily: a request pays only for the loaders it uses."""

    def __init__(self, reader: Reader, codec: CursorCodec) -> None:
        self.reader = reader
        self.codec = codec
        self._made: dict[tuple[str, str, str], BatchLoader[Any, Any]] = {}
        self._hints: dict[str, list[One[Any]]] = {}

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

    def _one(self, entity: Entity[R], by: Column[Any]) -> OneByKey[R]:
        made = self._made.get(("one", entity.name, by.name))
        if made is None:
            made = self._made[("one", entity.name, by.name)] = OneByKey(self, entity, by)
        return made  # type: ignore[return-value]  # made for this entity, so of its records

    def join(self, relations: Iterable[One[Any]]) -> None:
        """From now on, read each of `relations` in its owner's statements (`joins`)."""
        for relation in relations:
            joined = self._hints.setdefault(relation.owner.name, [])
            if relation not in joined:
                joined.append(relation)

    async def rows(
        self,
        entity: Entity[Any],
        key: tuple[Any, ...],
        build: Callable[[Dialect, Joins], Select[Any]],
        values: Mapping[str, Any],
    ) -> list[Any]:
        """Rows of `entity` from the statement `build` makes (with the request's joins, which
        it places through `joins.join_onto`), compiled once per process under `key`."""
        joins = joins_for(self._hints, entity) if self._hints else ()
        reader = self.reader
        read = reader.reads.get((*key, shape(joins)), lambda dialect: build(dialect, joins))
        rows = await reader.rows(read, values)
        if joins and rows:
            layout = _layout(entity, joins, reader.dialect)
            reader.rows_read += layout.prime(self, rows)
        return rows

    def clear_all(self) -> None:
        """Forget every cached value (after a write)."""
        for loader in self._made.values():
            loader.clear_all()

    def release(self) -> None:
        """Forget everything, the loaders too (the request ended): no cycle outlives it."""
        self.clear_all()
        self._made.clear()
        self._hints.clear()


_LAYOUTS: dict[tuple[str, tuple[Any, ...], str], Layout] = {}


def _layout(entity: Entity[Any], joins: Joins, dialect: Dialect) -> Layout:
    key = (entity.name, shape(joins), dialect.name)
    made = _LAYOUTS.get(key)
    if made is None:
        made = _LAYOUTS[key] = Layout(entity, joins, dialect)
    return made

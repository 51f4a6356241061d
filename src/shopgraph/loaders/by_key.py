"""Loaders that fetch rows by a key column: one statement per batch, `keys` one parameter.

Two shapes: `OneByKey` (at most one row per key: an id, or a one-to-one relation such as
a product's inventory) and `ManyByKey` (a list per key, in id order: an order's lines).
What they read comes from the registry's descriptions, never restated here; the statement
is compiled once per process (`db.reads`), with whatever the request joins (`joins`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Column, Select, select
from sqlalchemy.engine import Dialect

from ..db.reads import key_in
from ..registry import Entity, Shape
from .base import BatchLoader
from .joins import Joins, join_onto

if TYPE_CHECKING:
    from . import Loaders

R = TypeVar("R")


class OneByKey(BatchLoader[int, R | None], Generic[R]):
    """Records of `entity` whose `by` column equals each key (None where there is none)."""

    def __init__(self, loaders: Loaders, entity: Entity[R], by: Column[Any]) -> None:
        super().__init__(loaders)
        self.entity = entity
        self.by = by

    def _statement(self, dialect: Dialect, joins: Joins, shape: Shape[R]) -> Select[Any]:
        entity = self.entity
        joined = join_onto(entity.table, shape.columns, shape, joins, dialect)
        statement = select(*joined.columns).select_from(joined.source)
        statement = statement.where(key_in(self.by, dialect))
        return statement.order_by(entity.key, *joined.order) if joined.order else statement

    async def fetch(self, keys: Sequence[int]) -> list[R | None]:
        key = ("one", self.entity.name, self.by.name)
        rows, shape = await self.loaders.rows(self.entity, key, self._statement, {"keys": keys})
        index, from_row = shape.position(self.by.name), shape.reader(self.reader.dialect)
        found = {row[index]: from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class ManyByKey(BatchLoader[int, list[R]], Generic[R]):
    """For each key, the records of `entity` whose `by` column equals it, in id order."""

    lists = True

    def __init__(self, loaders: Loaders, entity: Entity[R], by: Column[Any]) -> None:
        super().__init__(loaders)
        self.entity = entity
        self.by = by

    def _statement(self, dialect: Dialect, joins: Joins, shape: Shape[R]) -> Select[Any]:
        entity = self.entity
        joined = join_onto(entity.table, shape.columns, shape, joins, dialect)
        return (
            select(*joined.columns)
            .select_from(joined.source)
            .where(key_in(self.by, dialect))
            .order_by(self.by, entity.key, *joined.order)
        )

    async def fetch(self, keys: Sequence[int]) -> list[list[R]]:
        key = ("many", self.entity.name, self.by.name)
        rows, shape = await self.loaders.rows(self.entity, key, self._statement, {"keys": keys})
        index, from_row = shape.position(self.by.name), shape.reader(self.reader.dialect)
        grouped: defaultdict[int, list[R]] = defaultdict(list)
        for row in rows:
            grouped[row[index]].append(from_row(row))
        return [grouped.get(key, []) for key in keys]

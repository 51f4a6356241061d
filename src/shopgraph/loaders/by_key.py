"""Loaders that fetch rows by a key column: one `IN (...)` statement per batch.

Two shapes: `OneByKey` (at most one row per key: an id, or a one-to-one relation such as
a product's inventory) and `ManyByKey` (a list per key, in id order: an order's lines).
What they read comes from the registry's descriptions, never restated here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, select

from ..db.engine import Reader
from ..registry import Entity
from .base import BatchLoader

R = TypeVar("R")


class OneByKey(BatchLoader[int, R | None], Generic[R]):
    """Records of `entity` whose `by` column equals each key (None where there is none)."""

    def __init__(self, reader: Reader, entity: Entity[R], by: Column[Any]) -> None:
        super().__init__(reader)
        self.entity = entity
        self.by = by
        self._index = [column.name for column in entity.columns].index(by.name)

    async def fetch(self, keys: Sequence[int]) -> list[R | None]:
        entity = self.entity
        rows = await self.reader.all(select(*entity.columns).where(self.by.in_(keys)))
        found = {row[self._index]: entity.from_row(row) for row in rows}
        return [found.get(key) for key in keys]


class ManyByKey(BatchLoader[int, list[R]], Generic[R]):
    """For each key, the records of `entity` whose `by` column equals it, in id order."""

    def __init__(self, reader: Reader, entity: Entity[R], by: Column[Any], parent: str) -> None:
        super().__init__(reader)
        self.entity = entity
        self.by = by
        self.parent = parent  # the record attribute holding the key

    async def fetch(self, keys: Sequence[int]) -> list[list[R]]:
        entity = self.entity
        rows = await self.reader.all(
            select(*entity.columns).where(self.by.in_(keys)).order_by(self.by, entity.key)
        )
        grouped: defaultdict[int, list[R]] = defaultdict(list)
        for row in rows:
            item = entity.from_row(row)
            grouped[getattr(item, self.parent)].append(item)
        return [grouped.get(key, []) for key in keys]

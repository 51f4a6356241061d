"""DataLoaders: one registry per request, one loader per way of reaching records.

Every relation a surface follows goes through one of these, so the number of SQL
statements grows with the depth of a query, never with the number of rows. Batches
run on the request's single read connection (see `db.engine.Reader`). Loaders are made
from the registry's descriptions on first use; two relations that reach the same records
the same way (an order's customer, a customer by id) share one loader and its cache.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from sqlalchemy import Column

from ..db.engine import Reader
from ..pagination import CursorCodec
from ..registry import Entity, Many, One, Paged
from .base import BatchLoader
from .by_key import ManyByKey, OneByKey
from .paged import PagedByKey

R = TypeVar("R")


class Loaders:
    """Built lazily: a request pays only for the loaders it uses."""

    def __init__(self, reader: Reader, codec: CursorCodec) -> None:
        self._reader = reader
        self._codec = codec
        self._made: dict[tuple[str, str, str], BatchLoader[Any, Any]] = {}

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
                ManyByKey(self._reader, relation.target, relation.by, relation.parent)
                if isinstance(relation, Many)
                else PagedByKey(self._reader, self._codec, relation.target, relation.by)
            )
            self._made[(shape, relation.target.name, relation.by.name)] = made
        return made

    def _one(self, entity: Entity[R], by: Column[Any]) -> OneByKey[R]:
        made = self._made.get(("one", entity.name, by.name))
        if made is None:
            made = self._made[("one", entity.name, by.name)] = OneByKey(self._reader, entity, by)
        return made  # type: ignore[return-value]  # made for this entity, so of its records

    def clear_all(self) -> None:
        """Forget every cached value (after a write, and when the request ends)."""
        for loader in self._made.values():
            loader.clear_all()

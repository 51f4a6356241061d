"""The loader base class: aiodataloader batching plus a bulk entry point.

Strawberry's field resolvers call `load(key)`; everything that already holds all the keys
of a level (REST list endpoints, a planned executor) calls `load_all(keys)`, which
shares the same per-request cache but skips aiodataloader's future-per-key machinery.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Hashable, MutableMapping, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader

from ..db.engine import Reader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(DataLoader[K, V]):
    """One relation, batched: `fetch` gets every key of a tick and runs one statement."""

    def __init__(self, reader: Reader) -> None:
        super().__init__()
        self.reader = reader

    @abstractmethod
    async def fetch(self, keys: Sequence[K]) -> list[V]:
        """Values for `keys`, in the same order; one SQL statement per call."""

    async def batch_load_fn(self, keys: list[K]) -> list[V]:
        return await self.fetch(keys)

    def get(self, key: K) -> V | asyncio.Future[V]:
        """The value itself if it is already loaded, else `load(key)`'s future.

        A plain value lets graphql-core complete a field synchronously, without a task.
        """
        future = self._cache.get(key)
        if future is not None and future.done() and future.exception() is None:
            return future.result()
        return self.load(key)

    async def load_all(self, keys: Sequence[K]) -> list[V]:
        """Values for `keys` in one round trip at most, sharing `load`'s cache."""
        cache: MutableMapping[Any, asyncio.Future[V]] = self._cache
        missing = list(dict.fromkeys(key for key in keys if key not in cache))
        if missing:
            for key, value in zip(missing, await self.fetch(missing), strict=True):
                self.prime(key, value)
        futures = [cache[key] for key in keys]
        pending = [future for future in futures if not future.done()]
        if pending:
            await asyncio.gather(*pending)
        return [future.result() for future in futures]

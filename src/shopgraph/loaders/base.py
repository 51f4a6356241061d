"""The loader base class: aiodataloader batching plus a bulk entry point.

Strawberry's field resolvers call `load(key)`; everything that already holds all the keys
of a level (REST list endpoints, a planned executor) calls `load_all(keys)`, which
shares the same per-request cache but skips aiodataloader's future-per-key machinery.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar

from aiodataloader import DataLoader

if TYPE_CHECKING:
    from . import Loaders

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(DataLoader[K, V]):
    """One relation, batched: `fetch` gets every key of a tick and runs one statement.

    Loaded values are kept by key in `_values`, whichever way they were loaded: `load` (one
    key; aiodataloader gathers the keys of a tick into one `fetch`) and `load_all` (every
    key of a level at once, with no future per key) share them.
    """

    def __init__(self, loaders: Loaders) -> None:
        super().__init__()
        self.loaders = loaders
        self.reader = loaders.reader
        self._values: dict[K, V] = {}

    @abstractmethod
    async def fetch(self, keys: Sequence[K]) -> list[V]:
        """Values for `keys`, in the same order; one SQL statement per call."""

    async def batch_load_fn(self, keys: list[K]) -> list[V]:
        values = await self.fetch(keys)
        for key, value in zip(keys, values, strict=True):
            self._values.setdefault(key, value)
        return values

    def get(self, key: K) -> V | asyncio.Future[V]:
        """The value itself if it is already loaded, else `load(key)`'s future.

        A plain value lets graphql-core complete a field synchronously, without a task.
        """
        values = self._values
        if key in values:
            return values[key]
        return self.load(key)

    def load(self, key: K) -> asyncio.Future[V]:
        if key in self._values:
            future: asyncio.Future[V] = self.loop.create_future()
            future.set_result(self._values[key])
            return future
        return super().load(key)

    async def load_all(self, keys: Sequence[K]) -> list[V]:
        """Values for `keys` in one round trip at most, sharing `load`'s values."""
        values = self._values
        missing = [key for key in dict.fromkeys(keys) if key not in values]
        if missing:
            for key, value in zip(missing, await self.fetch(missing), strict=True):
                values.setdefault(key, value)
        return [values[key] for key in keys]

    def has(self, key: K) -> bool:
        """Whether the value of `key` is loaded."""
        return key in self._values

    def prime(self, key: K, value: V) -> BatchLoader[K, V]:
        self._values.setdefault(key, value)
        return self

    def clear_all(self) -> BatchLoader[K, V]:
        self._values.clear()
        super().clear_all()
        return self

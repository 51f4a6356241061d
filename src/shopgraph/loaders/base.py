"""The loader base class: aiodataloader batching plus a bulk entry point.

Strawberry's field resolvers call `load(key)`; everything that already holds all the keys
of a level (REST list endpoints, a planned executor) calls `load_all(keys)`, which
shares the same per-request cache but skips aiodataloader's future-per-key machinery.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from operator import countOf
from typing import TYPE_CHECKING, Any, TypeVar

from aiodataloader import DataLoader

if TYPE_CHECKING:
    from . import Loaders

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _same(key: K) -> K:
    return key


class BatchLoader(DataLoader[K, V]):
    """One relation, batched: `fetch` gets every key of a tick and runs one statement.

    `lists`: whether a value is a list of records (else a record or None).

    Loaded values are kept by key in `_values`, whichever way they were loaded: `load` (one
    key; aiodataloader gathers the keys of a tick into one `fetch`) and `load_all` (every
    key of a level at once, with no future per key) share them.
    """

    lists = False

    def __init__(self, loaders: Loaders) -> None:
        # What `DataLoader.__init__` sets, set directly: it also checks with `inspect`, per
        # instance, that `batch_load_fn` is a coroutine function (ours is, by definition),
        # which cost ~7 us a loader, a loader or two per request
        # (tests/test_read_connections.py pins the attributes against aiodataloader's).
        self.loop = asyncio.get_running_loop()
        self.get_cache_key = _same
        self._cache = {}
        self._queue = []
        self.loaders = loaders
        self.reader = loaders.reader
        self._values: dict[K, V] = {}
        # Keys whose values came with another entity's statement (a join): their records
        # count as read when first asked for, as if this loader had read them then, so a
        # request costs the same whichever relations its statements joined.
        self._joined: set[K] = set()

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
            if key in self._joined:
                self._count((key,))
            return values[key]
        return self.load(key)

    def load(self, key: K) -> asyncio.Future[V]:
        if key in self._values:
            if key in self._joined:
                self._count((key,))
            future: asyncio.Future[V] = self.loop.create_future()
            future.set_result(self._values[key])
            return future
        return super().load(key)

    async def load_all(self, keys: Sequence[K]) -> list[V]:
        """Values for `keys` in one round trip at most, sharing `load`'s values."""
        values = await self.values_for(keys)
        return [values[key] for key in keys]

    async def values_for(self, keys: Sequence[K]) -> Mapping[K, V]:
        """Every loaded value by key, `keys` loaded among them (one round trip at most):
        for a caller that looks each key up anyway, without a list in between."""
        values = self._values
        missing = [key for key in dict.fromkeys(keys) if key not in values]
        if missing:
            for key, value in zip(missing, await self.fetch(missing), strict=True):
                values.setdefault(key, value)
        if self._joined:
            self._count(keys)
        return values

    def _count(self, keys: Iterable[K]) -> None:
        """Count the joined records of `keys` as read, once (in C: a level's keys are
        hundreds)."""
        asked = self._joined.intersection(keys)
        if not asked:
            return
        self._joined -= asked
        found: Iterator[Any] = map(self._values.__getitem__, asked)
        self.reader.rows_read += (
            sum(map(len, found)) if self.lists else len(asked) - countOf(found, None)
        )

    @property
    def loaded(self) -> Mapping[K, V]:
        """The values loaded so far, by key (for code that checks many keys in a loop)."""
        return self._values

    def prime(self, key: K, value: V) -> BatchLoader[K, V]:
        self._values.setdefault(key, value)
        return self

    def prime_joined(self, values: dict[K, V]) -> None:
        """Values for keys not loaded yet, read by another entity's statement (a join)."""
        self._values.update(values)
        self._joined.update(values)

    def clear_all(self) -> BatchLoader[K, V]:
        self._values.clear()
        self._joined.clear()
        super().clear_all()
        return self

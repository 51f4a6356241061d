"""The loader of an aggregate: the figures of every owner key of a level, one statement.

One loader per aggregate and range in a request: `Product.sales(from: A)` and
`Product.sales(from: B)` are two statements, each batched over all the products asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from ..analytics.figures import EMPTY, Tally, tally
from ..analytics.statements import Range
from ..db.types import UTCDateTime, driver_result_processor
from ..errors import ValueTooLarge
from ..registry.aggregate import Aggregate
from .base import BatchLoader

if TYPE_CHECKING:
    from . import Loaders

V = TypeVar("V")


class AggregateLoader(BatchLoader[int, "V | ValueTooLarge"], Generic[V]):
    def __init__(self, loaders: Loaders, aggregate: Aggregate[V], span: Range) -> None:
        super().__init__(loaders)
        self.aggregate = aggregate
        self.span = span

    async def fetch(self, keys: Sequence[int]) -> list[V | ValueTooLarge]:
        aggregate, shape = self.aggregate, self.span.shape
        reader = self.reader
        read = reader.reads.get(
            ("aggregate", aggregate.name, shape),
            lambda dialect: aggregate.statement(dialect, shape),
        )
        rows = await reader.rows(read, {"keys": list(keys), **self.span.values()})
        reader.rows_read += len(rows)
        if aggregate.timed:
            convert = driver_result_processor(UTCDateTime(), reader.dialect)
            if convert is not None:
                rows = [(*row[:7], convert(row[7]), convert(row[8])) for row in rows]
        found = tally(rows)
        return [self._value(found.get(key, EMPTY)) for key in keys]

    def _value(self, figures: Tally) -> V | ValueTooLarge:
        """The aggregate's record, or (for this owner alone) the error refusing it:
        aiodataloader fails that key's future with it; `resolvers.reports` raises it."""
        try:
            return self.aggregate.value(figures)
        except ValueTooLarge as error:
            return error

"""Loaders for one-to-many connections (a customer's orders, a category's products).

Each parent gets its own keyset page, yet the batch is one statement: rows are numbered
per parent with `ROW_NUMBER() OVER (PARTITION BY parent ...)` and cut at the page size.
Keys are (parent key, page arguments); parents asking with the same arguments share a
statement, so a list of customers each asking `orders(first: 10)` costs one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Integer, Select, bindparam, func, select
from sqlalchemy.engine import Dialect

from ..db.engine import Reader
from ..db.reads import key_in
from ..pagination import (
    CursorCodec,
    Page,
    PageArgs,
    build_page,
    keyset_conditions,
    keyset_order,
    keyset_shape,
    keyset_values,
)
from ..registry import Entity
from .base import BatchLoader

T = TypeVar("T")
PagedKey = tuple[int, PageArgs]


def _pk(item: Any) -> int:
    return item.pk  # type: ignore[no-any-return]


class PagedByKey(BatchLoader[PagedKey, Page[T]], Generic[T]):
    """For each (parent key, page arguments), one keyset page of `entity` records whose
    `parent` column holds the key."""

    def __init__(
        self, reader: Reader, codec: CursorCodec, entity: Entity[T], parent: Column[Any]
    ) -> None:
        super().__init__(reader)
        self.codec = codec
        self.entity = entity
        self.parent = parent
        self._index = [column.name for column in entity.columns].index(parent.name)
        self._from_row = entity.reader(reader.dialect)

    def _statement(self, args: PageArgs, dialect: Dialect) -> Select[Any]:
        table, parent, columns = self.entity.table, self.parent, self.entity.columns
        position = func.row_number().over(
            partition_by=parent, order_by=keyset_order(table.c.id, args)
        )
        numbered = (
            select(*columns, position.label("position"))
            .where(key_in(parent, dialect), *keyset_conditions(table.c.id, args))
            .subquery()
        )
        return (
            select(*(numbered.c[column.name] for column in columns))
            .where(numbered.c.position <= bindparam("limit", type_=Integer))
            .order_by(numbered.c[parent.name], numbered.c.position)
        )

    async def fetch(self, keys: Sequence[PagedKey]) -> list[Page[T]]:
        by_args: defaultdict[PageArgs, list[int]] = defaultdict(list)
        for parent_pk, args in keys:
            by_args[args].append(parent_pk)
        pages: dict[PagedKey, Page[T]] = {}
        index, from_row = self._index, self._from_row
        for args, parent_pks in by_args.items():
            read = self.reader.reads.get(
                ("paged", self.entity.name, self.parent.name, keyset_shape(args)),
                lambda dialect, args=args: self._statement(args, dialect),  # type: ignore[misc]
            )
            grouped: defaultdict[int, list[T]] = defaultdict(list)
            values = {**keyset_values(args), "keys": parent_pks}
            for row in await self.reader.rows(read, values):
                grouped[row[index]].append(from_row(row))
            for parent_pk in parent_pks:
                pages[(parent_pk, args)] = build_page(
                    self.codec, grouped.get(parent_pk, []), args, _pk
                )
        return [pages[key] for key in keys]

"""Loaders for one-to-many connections (a customer's orders, a category's products).

Each parent gets its own keyset page, yet the batch is one statement: rows are numbered
per parent with `ROW_NUMBER() OVER (PARTITION BY parent ...)` and cut at the page size.
Keys are (parent key, page arguments); parents asking with the same arguments share a
statement, so a list of customers each asking `orders(first: 10)` costs one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Table, func, select

from ..db.engine import Reader
from ..pagination import CursorCodec, Page, PageArgs, build_page, keyset_conditions, keyset_order
from ..registry import Entity
from .base import BatchLoader

T = TypeVar("T")
PagedKey = tuple[int, PageArgs]


async def _paged_children(
    loader: BatchLoader[PagedKey, Page[T]],
    codec: CursorCodec,
    keys: Sequence[PagedKey],
    table: Table,
    parent: Column[int],
    columns: Sequence[Column[Any]],
    from_row: Callable[[Any], T],
    pk_of: Callable[[T], int],
) -> list[Page[T]]:
    by_args: defaultdict[PageArgs, list[int]] = defaultdict(list)
    for parent_pk, args in keys:
        by_args[args].append(parent_pk)
    pages: dict[PagedKey, Page[T]] = {}
    for args, parent_pks in by_args.items():
        position = func.row_number().over(
            partition_by=parent, order_by=keyset_order(table.c.id, args)
        )
        numbered = (
            select(*columns, position.label("position"))
            .where(parent.in_(parent_pks), *keyset_conditions(table.c.id, args))
            .subquery()
        )
        statement = (
            select(*(numbered.c[column.name] for column in columns))
            .where(numbered.c.position <= args.limit + 1)
            .order_by(numbered.c[parent.name], numbered.c.position)
        )
        grouped: defaultdict[int, list[T]] = defaultdict(list)
        parent_index = [column.name for column in columns].index(parent.name)
        for row in await loader.reader.all(statement):
            grouped[row[parent_index]].append(from_row(row))
        for parent_pk in parent_pks:
            pages[(parent_pk, args)] = build_page(codec, grouped.get(parent_pk, []), args, pk_of)
    return [pages[key] for key in keys]


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

    async def fetch(self, keys: Sequence[PagedKey]) -> list[Page[T]]:
        entity = self.entity
        return await _paged_children(
            self,
            self.codec,
            keys,
            entity.table,
            self.parent,
            entity.columns,
            entity.from_row,
            _pk,
        )

"""Loaders for one-to-many connections (a customer's orders, a category's products).

Each parent gets its own keyset page, yet the batch is one statement: rows are numbered
per parent with `ROW_NUMBER() OVER (PARTITION BY parent ...)` and cut at the page size.
Keys are (parent key, page arguments); parents asking with the same arguments share a
statement, so a list of customers each asking `orders(first: 10)` costs one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Column, Select, func, select
from sqlalchemy.engine import Dialect

from ..db.reads import key_in
from ..pagination import (
    Page,
    PageArgs,
    build_page,
    keyset_conditions,
    keyset_order,
    keyset_shape,
    keyset_values,
    page_limit,
)
from ..registry import Entity, Shape
from .base import BatchLoader
from .joins import Joins, join_onto

if TYPE_CHECKING:
    from . import Loaders

T = TypeVar("T")
PagedKey = tuple[int, PageArgs]


def _pk(item: Any) -> int:
    return item.pk  # type: ignore[no-any-return]


class PagedByKey(BatchLoader[PagedKey, Page[T]], Generic[T]):
    """For each (parent key, page arguments), one keyset page of `entity` records whose
    `parent` column holds the key."""

    def __init__(self, loaders: Loaders, entity: Entity[T], parent: Column[Any]) -> None:
        super().__init__(loaders)
        self.codec = loaders.codec
        self.entity = entity
        self.parent = parent

    def _statement(
        self, args: PageArgs, dialect: Dialect, joins: Joins, shape: Shape[T]
    ) -> Select[Any]:
        entity, parent = self.entity, self.parent
        table, columns = entity.table, shape.columns
        position = func.row_number().over(
            partition_by=parent, order_by=keyset_order(table.c.id, args)
        )
        numbered = (
            select(*columns, position.label("position"))
            .where(key_in(parent, dialect), *keyset_conditions(table.c.id, args))
            .subquery()
        )
        base = [numbered.c[column.name] for column in columns]
        joined = join_onto(numbered, base, shape, joins, dialect)
        return (
            select(*joined.columns)
            .select_from(joined.source)
            .where(numbered.c.position <= page_limit(args))
            .order_by(numbered.c[parent.name], numbered.c.position, *joined.order)
        )

    async def fetch(self, keys: Sequence[PagedKey]) -> list[Page[T]]:
        by_args: defaultdict[PageArgs, list[int]] = defaultdict(list)
        for parent_pk, args in keys:
            by_args[args].append(parent_pk)
        pages: dict[PagedKey, Page[T]] = {}
        for args, parent_pks in by_args.items():
            key = ("paged", self.entity.name, self.parent.name, keyset_shape(args))
            values = {**keyset_values(args), "keys": parent_pks}
            rows, shape = await self.loaders.rows(
                self.entity,
                key,
                lambda dialect, joins, shape, args=args: self._statement(  # type: ignore[misc]
                    args, dialect, joins, shape
                ),
                values,
            )
            index = shape.position(self.parent.name)
            from_row = shape.reader(self.reader.dialect)
            grouped: defaultdict[int, list[T]] = defaultdict(list)
            for row in rows:
                grouped[row[index]].append(from_row(row))
            for parent_pk in parent_pks:
                pages[(parent_pk, args)] = build_page(
                    self.codec, grouped.get(parent_pk, []), args, _pk
                )
        return [pages[key] for key in keys]

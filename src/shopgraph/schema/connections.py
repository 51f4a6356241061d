"""Relay connections over keyset pages (Strawberry's ListConnection pages by offset)."""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

import strawberry

from ..pagination import Page
from ..resolvers.common import PageInput
from .context import Info
from .prefetch import prefetch_connection

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo

    @classmethod
    def of(cls, page: Page[T]) -> Connection[T]:
        return cls(
            edges=[
                Edge(cursor=cursor, node=node)
                for cursor, node in zip(page.cursors, page.items, strict=True)
            ],
            nodes=page.items,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
        )


def page_input(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    sort: Enum,
    direction: Enum,
) -> PageInput:
    """Relay paging arguments as the resolvers take them."""
    return PageInput(first, last, after, before, sort.value, direction.value)


async def connection(info: Info, page: Page[T]) -> Connection[T]:
    """The page as a connection; at the root, with what the query selects below it loaded.

    Only root connections prefetch: a connection nested in a list (each customer's
    orders) would prefetch once per parent, while its loaders batch across parents.
    """
    if info._raw_info.path.prev is None:
        await prefetch_connection(info._raw_info, info.context.loaders, page.items)
    return Connection.of(page)

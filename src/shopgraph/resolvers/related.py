"""Following relations and reading guarded fields, as the registry describes them.

Both GraphQL executors and the REST facade come here, so a relation's access rule and a
guarded field's policy (`registry.Guard`) are applied in one place. Single calls (`page_of`)
go through the DataLoader, which batches every owner asking in the same tick; bulk calls
(`pages_of`) take every owner of a level at once, with no future per owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from ..context import RequestContext
from ..errors import Forbidden
from ..pagination import Page, PageArgs
from ..registry import Entity, Paged
from .audit_trail import record_read
from .common import PageInput, resolve_page_args

T = TypeVar("T")


def _page_args(
    ctx: RequestContext, relation: Paged[T], owners: Sequence[Any], page: PageInput
) -> PageArgs:
    if relation.access is not None:
        for owner in owners:
            relation.access(ctx.principal, owner)
    return resolve_page_args(ctx, relation.target.sorts, page)


async def page_of(ctx: RequestContext, relation: Paged[T], owner: Any, page: PageInput) -> Page[T]:
    """One page of `relation` below `owner`; batched with the request's other owners."""
    args = _page_args(ctx, relation, [owner], page)
    return await ctx.loaders.follow(relation).load((relation.key(owner), args))


async def pages_of(
    ctx: RequestContext, relation: Paged[T], owners: Sequence[Any], page: PageInput
) -> list[Page[T]]:
    """One page of `relation` below each of `owners`, all in one statement."""
    args = _page_args(ctx, relation, owners, page)
    return await ctx.loaders.follow(relation).load_all([(relation.key(o), args) for o in owners])


def guarded_field(ctx: RequestContext, entity: Entity[Any], field: str, record: Any) -> Any:
    """`record`'s `field` if the caller may read it (FORBIDDEN if not), noted in the audit
    trail when its guard says so."""
    guard = entity.guards[field]
    if not guard.allows(ctx.principal, record):
        raise Forbidden(guard.refusal)
    if guard.audited:
        record_read(ctx, [record.id])
    return getattr(record, field)

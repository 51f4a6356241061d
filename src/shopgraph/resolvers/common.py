"""Helpers every domain module uses: ids in, pages out, database errors translated."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NoReturn, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids
from ..context import RequestContext
from ..db.models import utcnow
from ..errors import Conflict, FieldError, NotFound, PreconditionFailed, ValidationFailed
from ..events.outbox import emit
from ..loaders.base import BatchLoader
from ..loaders.joins import Joins, has_many, join_onto
from ..pagination import (
    Page,
    PageArgs,
    SortKey,
    build_page,
    keyset,
    keyset_order,
    keyset_shape,
    keyset_values,
    page_args,
)
from ..registry import Entity, Shape
from .audit_trail import record
from .emitting import Rendering
from .inputs import MAX_AMOUNT, storable_text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageInput:
    """Paging as the caller asked for it; `names` are the surface's own parameter names."""

    first: int | None = None
    last: int | None = None
    after: str | None = None
    before: str | None = None
    sort: str = "created_at"
    direction: Literal["asc", "desc"] | str = "asc"
    names: tuple[str, str, str, str] = ("first", "last", "after", "before")


def resolve_page_args(
    ctx: RequestContext, sorts: Mapping[str, SortKey], page: PageInput
) -> PageArgs:
    """Check the sort and paging input against this list's options and the server's limits."""
    sort = sorts.get(page.sort)
    if sort is None:
        raise ValidationFailed(
            f"Cannot sort by `{page.sort}`; choose one of {', '.join(sorts)}.",
            errors=[FieldError("sort", "INVALID", f"One of: {', '.join(sorts)}.")],
        )
    if page.direction not in ("asc", "desc"):
        raise ValidationFailed(
            "`direction` must be `asc` or `desc`.",
            errors=[FieldError("direction", "INVALID", "One of: asc, desc.")],
        )
    return page_args(
        ctx.cursors,
        sort,
        descending=page.direction == "desc",
        first=page.first,
        last=page.last,
        after=page.after,
        before=page.before,
        default_size=ctx.settings.default_page_size,
        max_size=ctx.settings.max_page_size,
        names=page.names,
    )


@dataclass(frozen=True, slots=True)
class Filter:
    """One condition of a list: `where(parameter)` with `value` bound to the parameter.

    The statement is compiled once per set of filter names (and page shape), so `where`
    runs only the first time; `name` names the parameter too.
    """

    name: str
    where: Callable[[BindParameter[Any]], ColumnElement[bool]]
    value: Any


def like_pattern(text: str) -> str:
    """`text` as a LIKE pattern matching itself anywhere (its `%`, `_` and `/` escaped)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


async def fetch_page(
    ctx: RequestContext, entity: Entity[T], args: PageArgs, filters: Sequence[Filter] = ()
) -> Page[T]:
    """One keyset page of `entity`'s records that pass `filters`, on the request's reader."""

    def statement(dialect: Dialect, joins: Joins, shape: Shape[T]) -> Select[Any]:
        table = entity.table
        where = [f.where(bindparam(f.name)) for f in filters]
        if not has_many(joins):  # one row per record: joined, then limited
            joined = join_onto(table, shape.columns, shape, joins, dialect)
            query = select(*joined.columns).select_from(joined.source).where(*where)
            return keyset(query, table.c.id, args)
        # A joined Many repeats the record per related row: the page is limited first.
        page = keyset(select(*shape.columns).where(*where), table.c.id, args).subquery("page")
        joined = join_onto(page, [page.c[c.name] for c in shape.columns], shape, joins, dialect)
        order = keyset_order(page.c.id, args, page.c[args.sort.column.name])
        return select(*joined.columns).select_from(joined.source).order_by(*order, *joined.order)

    key = ("page", entity.name, tuple(f.name for f in filters), keyset_shape(args))
    values = keyset_values(args)
    values.update((f.name, f.value) for f in filters)
    rows, shape = await ctx.loaders.rows(entity, key, statement, values)
    from_row = shape.reader(ctx.reader.dialect)
    return build_page(ctx.cursors, [from_row(row) for row in rows], args, _pk)


def _pk(item: Any) -> int:
    return item.pk  # type: ignore[no-any-return]


MAX_FILTER_TEXT = 200


def check_filter(where: Any) -> None:
    """Refuse filter values no database can compare: filters arrive from query strings and
    GraphQL inputs without a body model, so their bounds are checked here, for both."""
    errors = []
    for item in dataclasses.fields(where):
        value = getattr(where, item.name)
        if isinstance(value, str) and not storable_text(value):
            errors.append(FieldError(item.name, "INVALID", "Text may not contain NUL characters."))
        elif isinstance(value, str) and len(value) > MAX_FILTER_TEXT:
            errors.append(
                FieldError(item.name, "TOO_LONG", f"At most {MAX_FILTER_TEXT} characters.")
            )
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_AMOUNT:
            errors.append(
                FieldError(item.name, "OUT_OF_RANGE", f"Between -{MAX_AMOUNT} and {MAX_AMOUNT}.")
            )
    if errors:
        raise ValidationFailed("The filter is invalid; see `errors`.", errors=errors)


def key_of(kind: str, public_id: str) -> int:
    """The key behind a resource id from a path or a `node(id:)`; NOT_FOUND if malformed."""
    key = ids.decode(kind, public_id)
    if key is None:
        raise NotFound(f"No {kind.lower()} with id `{public_id}`.")
    return key


def reference_key(kind: str, public_id: str, field: str) -> int:
    """The key behind an id given in an input field; VALIDATION_FAILED if malformed."""
    key = ids.decode(kind, public_id)
    if key is None:
        raise unknown_reference(kind, public_id, field)
    return key


def unknown_reference(kind: str, public_id: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        f"No {kind.lower()} with id `{public_id}`.",
        errors=[FieldError(field, "NOT_FOUND", f"No {kind.lower()} with this id.")],
    )


def filter_key(kind: str, public_id: str | None, field: str) -> int | None:
    """A filter on a related id: malformed is an error, well-formed but unknown matches nothing."""
    return None if public_id is None else reference_key(kind, public_id, field)


# Unique constraints, by the names PostgreSQL and SQLite give them in their messages.
UNIQUE_FIELDS = {
    "uq_products_sku": "sku",
    "products.sku": "sku",
    "uq_customers_email": "email",
    "customers.email": "email",
    "uq_categories_name": "name",
    "categories.name": "name",
}


def raise_integrity(error: IntegrityError, *, deleting: str | None = None) -> NoReturn:
    """Translate a constraint violation into CONFLICT; never show the SQL to a client."""
    message = str(error.orig)
    for constraint, field in UNIQUE_FIELDS.items():
        if constraint in message:
            raise Conflict(
                f"A resource with this {field} already exists.",
                errors=[FieldError(field, "TAKEN", f"This {field} is already taken.")],
            ) from None
    if deleting is not None and ("foreign key" in message.lower() or "FOREIGN KEY" in message):
        raise Conflict(
            f"This {deleting} is still referenced and cannot be deleted.",
            errors=[FieldError(None, "IN_USE", f"Other resources still refer to this {deleting}.")],
        ) from None
    raise Conflict("The change conflicts with the current data.") from None


async def get_one(kind: str, loader: BatchLoader[int, T | None], public_id: str) -> T:
    """The record behind a public id, through the request's loader; NOT_FOUND if absent."""
    record = await loader.load(key_of(kind, public_id))
    if record is None:
        raise NotFound(f"No {kind.lower()} with id `{public_id}`.")
    return record


async def insert_one(
    ctx: RequestContext,
    kind: str,
    table: Table,
    values: Mapping[str, Any],
    columns: Sequence[ColumnElement[Any]],
    from_row: Callable[[Any], T],
) -> T:
    """Insert one row stamped as version 1; a unique clash is CONFLICT naming the field."""
    now = utcnow()
    try:
        async with ctx.transaction() as db:
            row = (
                await db.execute(
                    insert(table)
                    .values(**values, created_at=now, updated_at=now, version=1)
                    .returning(*columns)
                )
            ).one()
            await record(db, ctx, f"{kind.lower()}.create", kind, [ids.encode(kind, row[0])])
    except IntegrityError as error:
        raise_integrity(error)
    return from_row(row)


async def _emit_rendered(
    db: AsyncConnection, ctx: RequestContext, type: str, rendered: dict[str, Any] | None
) -> None:
    if rendered is not None:
        await emit(db, type, rendered, request_id=ctx.request_id)


def stale_version(kind: str, expected: int, current: int) -> PreconditionFailed:
    """PRECONDITION_FAILED for a write that expected `expected` but found `current`."""
    return PreconditionFailed(
        f"The {kind.lower()} has changed: its current version is {current}, not {expected}.",
        extra={"current_version": current},
    )


async def update_one(
    ctx: RequestContext,
    kind: str,
    table: Table,
    public_id: str,
    values: Mapping[str, Any],
    columns: Sequence[ColumnElement[Any]],
    from_row: Callable[[Any], T],
    *,
    before_update: Callable[[AsyncConnection], Awaitable[None]] | None = None,
    expected_version: int | None = None,
    render: Rendering | None = None,
) -> T:
    """Apply `values` to one row, bumping its version; NOT_FOUND if it does not exist.

    With `expected_version` the write is a compare-and-set: the UPDATE itself requires
    `version = expected_version`, so no concurrent writer can slip in between a check and
    the write (on PostgreSQL a blocked UPDATE re-checks the condition against the row as
    its rival committed it). If no row was updated, a read in the same transaction tells
    NOT_FOUND (the row is gone) from PRECONDITION_FAILED, whose `extra` carries
    `{"current_version": N}`. With `render`, the change emits `<kind>.updated` carrying
    what it renders.
    """
    pk = key_of(kind, public_id)
    condition = table.c.id == pk
    if expected_version is not None:
        condition = condition & (table.c.version == expected_version)
    try:
        async with ctx.transaction() as db:
            if before_update is not None:
                await before_update(db)
            row = (
                await db.execute(
                    update(table)
                    .where(condition)
                    .values(**values, updated_at=utcnow(), version=table.c.version + 1)
                    .returning(*columns)
                )
            ).one_or_none()
            if row is None and expected_version is not None:
                current = (
                    await db.execute(select(table.c.version).where(table.c.id == pk))
                ).scalar_one_or_none()
                if current is not None:
                    raise stale_version(kind, expected_version, current)
            if row is not None:
                await record(db, ctx, f"{kind.lower()}.update", kind, [public_id])
                if render is not None:
                    await _emit_rendered(db, ctx, f"{kind.lower()}.updated", await render(db, pk))
    except IntegrityError as error:
        raise_integrity(error)
    if row is None:
        raise NotFound(f"No {kind.lower()} with id `{public_id}`.")
    return from_row(row)


async def delete_one(
    ctx: RequestContext, kind: str, table: Table, public_id: str, render: Rendering | None = None
) -> str:
    """Delete one row; CONFLICT if other rows still refer to it, NOT_FOUND if absent. With
    `render`, the deletion emits `<kind>.deleted` carrying the row as it was."""
    pk = key_of(kind, public_id)
    try:
        async with ctx.transaction() as db:
            was = None if render is None else await render(db, pk)
            deleted = (
                await db.execute(delete(table).where(table.c.id == pk).returning(table.c.id))
            ).one_or_none()
            if deleted is not None:
                await record(db, ctx, f"{kind.lower()}.delete", kind, [public_id])
                await _emit_rendered(db, ctx, f"{kind.lower()}.deleted", was)
    except IntegrityError as error:
        raise_integrity(error, deleting=kind.lower())
    if deleted is None:
        raise NotFound(f"No {kind.lower()} with id `{public_id}`.")
    return public_id

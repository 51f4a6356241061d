"""Keyset pagination shared by both surfaces: opaque sealed cursors and page assembly.

A cursor holds the last row's sort value and its id, encrypted and authenticated with
AES-SIV under a key derived from the server's secret, with the list's resource, sort and
direction as associated data: a cursor can be neither read (a customer's email used as
a sort value never shows in a URL or a log), nor altered, nor used on another list, sort
or direction. Pages are fetched with a row-value comparison on `(sort column, id)`, which
PostgreSQL and SQLite both index, so page 10,000 costs what page 1 costs and rows
inserted or deleted between pages shift nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from sqlalchemy import ColumnElement, Integer, Select, bindparam, literal_column, tuple_

from .errors import FieldError, ValidationFailed
from .formats import parse_timestamp, timestamp

T = TypeVar("T")
# What a cursor looks like on the wire: unpadded base64url. Anything else is refused before
# decoding (the decoder would skip stray characters), and the OpenAPI document states it.
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"
_CURSOR = re.compile(CURSOR_PATTERN)
ValueKind = Literal["int", "str", "datetime"]
SEALED_KEPT = 20_000  # cursors a process keeps; all are dropped when it is full


@dataclass(frozen=True, slots=True)
class SortKey:
    """A column a list may be sorted by; `name` is its public name on both surfaces."""

    name: str
    column: ColumnElement[Any]
    kind: ValueKind
    attribute: Callable[[Any], Any]  # reads the sort value off a record


@dataclass(frozen=True, slots=True)
class PageArgs:
    """What the caller asked for, already validated: see `page_args`."""

    sort: SortKey
    descending: bool
    limit: int
    backward: bool  # True for `last`/`before` (GraphQL) and `ending_before` (REST)
    after: tuple[Any, int] | None = None
    before: tuple[Any, int] | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool

    @property
    def start_cursor(self) -> str | None:
        return self.cursors[0] if self.cursors else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


class CursorCodec:
    """Seals and opens cursors with a key derived from the server's secret key."""

    def __init__(self, secret: str) -> None:
        # AES-SIV: deterministic authenticated encryption, so a position always has the
        # same cursor, and no nonce to manage. 64 bytes: two AES-256 keys.
        self._siv = AESSIV(hashlib.sha512(b"shopgraph-cursor:" + secret.encode()).digest())
        self._lists: dict[tuple[int, bool], list[bytes]] = {}
        # Sealing is deterministic, so the cursors of rows read often are kept (~5 us each).
        self._sealed: dict[tuple[int, bool, Any, int], str] = {}

    def _list(self, sort: SortKey, descending: bool) -> list[bytes]:
        """What a cursor is bound to: the resource and column it sorts by, and direction."""
        key = (id(sort), descending)
        bound = self._lists.get(key)
        if bound is None:
            text = f"{sort.column}:{sort.name}:{'desc' if descending else 'asc'}"
            bound = self._lists[key] = [text.encode()]
        return bound

    def encode(self, sort: SortKey, descending: bool, value: Any, pk: int) -> str:
        key = (id(sort), descending, value, pk)
        cursor = self._sealed.get(key)
        if cursor is None:
            wire = timestamp(value) if sort.kind == "datetime" else value
            sealed = self._siv.encrypt(orjson.dumps([wire, pk]), self._list(sort, descending))
            cursor = base64.urlsafe_b64encode(sealed).decode().rstrip("=")
            if len(self._sealed) >= SEALED_KEPT:
                self._sealed.clear()
            self._sealed[key] = cursor
        return cursor

    def decode(self, cursor: str, sort: SortKey, descending: bool, field: str) -> tuple[Any, int]:
        """The (sort value, pk) in `cursor`; VALIDATION_FAILED if it is forged or foreign."""
        invalid = ValidationFailed(
            f"`{field}` is not a valid cursor for this list and sort order.",
            errors=[FieldError(field, "INVALID", "Invalid or tampered cursor.")],
        )
        if _CURSOR.fullmatch(cursor) is None:
            raise invalid
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            wire, pk = orjson.loads(self._siv.decrypt(raw, self._list(sort, descending)))
            value = parse_timestamp(wire) if sort.kind == "datetime" else wire
        except (ValueError, TypeError, InvalidTag):
            raise invalid from None
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise invalid
        return value, pk


def page_args(
    codec: CursorCodec,
    sort: SortKey,
    *,
    descending: bool = False,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
    default_size: int,
    max_size: int,
    names: tuple[str, str, str, str] = ("first", "last", "after", "before"),
) -> PageArgs:
    """Validate paging input. `names` are the surface's own parameter names for errors."""
    first_name, last_name, after_name, before_name = names
    if first is not None and last is not None:
        raise ValidationFailed(
            f"Pass `{first_name}` or `{last_name}`, not both.",
            errors=[FieldError(last_name, "INVALID", f"Cannot be combined with `{first_name}`.")],
        )
    for name, size in ((first_name, first), (last_name, last)):
        if size is not None and not 0 <= size <= max_size:
            raise ValidationFailed(
                f"`{name}` must be between 0 and {max_size}.",
                errors=[FieldError(name, "OUT_OF_RANGE", f"Must be between 0 and {max_size}.")],
            )
    backward = last is not None or (first is None and before is not None and after is None)
    limit = last if backward else first
    return PageArgs(
        sort=sort,
        descending=descending,
        limit=default_size if limit is None else limit,
        backward=backward,
        after=codec.decode(after, sort, descending, after_name) if after else None,
        before=codec.decode(before, sort, descending, before_name) if before else None,
    )


def keyset_conditions(pk: ColumnElement[Any], args: PageArgs) -> list[ColumnElement[bool]]:
    """The WHERE terms that start a page after `after` and stop it before `before`, with
    the bounds as parameters (`keyset_values` gives their values)."""
    key = tuple_(args.sort.column, pk)
    conditions = []
    if args.after is not None:
        bound = _bound("after", args.sort.column, pk)
        conditions.append(key < bound if args.descending else key > bound)
    if args.before is not None:
        bound = _bound("before", args.sort.column, pk)
        conditions.append(key > bound if args.descending else key < bound)
    return conditions


def _bound(name: str, column: ColumnElement[Any], pk: ColumnElement[Any]) -> Any:
    return tuple_(
        bindparam(f"{name}_value", type_=column.type), bindparam(f"{name}_pk", type_=pk.type)
    )


def keyset_values(args: PageArgs) -> dict[str, Any]:
    """The parameters of `keyset_conditions`."""
    values: dict[str, Any] = {}
    if args.after is not None:
        values["after_value"], values["after_pk"] = args.after
    if args.before is not None:
        values["before_value"], values["before_pk"] = args.before
    return values


def keyset_shape(args: PageArgs) -> tuple[Any, ...]:
    """What the statement of a page depends on (its values aside): a compiled-read key.

    The page size is written into the statement (`page_limit`), not bound: PostgreSQL keeps
    one generic plan per statement, and a generic plan guesses a bound LIMIT at a tenth of
    the table, enough to join a page to its lines by hashing every line there is.
    """
    return (
        args.sort.name,
        args.descending,
        args.backward,
        args.after is not None,
        args.before is not None,
        args.limit,
    )


def page_limit(args: PageArgs) -> ColumnElement[int]:
    """How many rows a page reads (one more than it shows, to learn if more exist), as a
    literal of the statement (see `keyset_shape`)."""
    return literal_column(str(int(args.limit) + 1), Integer)


def keyset_order(
    pk: ColumnElement[Any], args: PageArgs, sort: ColumnElement[Any] | None = None
) -> tuple[ColumnElement[Any], ...]:
    """Walking backward reads the page in reverse order; `build_page` flips it back.
    `sort`: the sort column as a subquery shows it (the table's, by default)."""
    column = args.sort.column if sort is None else sort
    if args.descending != args.backward:
        return column.desc(), pk.desc()
    return column.asc(), pk.asc()


def keyset(query: Select[Any], pk: ColumnElement[Any], args: PageArgs) -> Select[Any]:
    """Add the keyset condition, order and limit (one extra row, to learn if more exist)."""
    query = query.where(*keyset_conditions(pk, args))
    return query.order_by(*keyset_order(pk, args)).limit(page_limit(args))


def build_page(
    codec: CursorCodec, rows: Sequence[T], args: PageArgs, pk_of: Callable[[T], int]
) -> Page[T]:
    """Turn the rows `keyset` fetched into a page with cursors and neighbours."""
    more = len(rows) > args.limit
    items = list(rows[: args.limit])
    if args.backward:
        items.reverse()
    cursors = [
        codec.encode(args.sort, args.descending, args.sort.attribute(item), pk_of(item))
        for item in items
    ]
    if args.backward:
        return Page(items, cursors, has_next=args.before is not None, has_previous=more)
    return Page(items, cursors, has_next=more, has_previous=args.after is not None)

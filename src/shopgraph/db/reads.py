"""Read statements compiled once per process and run straight on the driver.

SQLAlchemy builds every read statement the first time it is needed; from then on a read
is a SQL string and a list of parameters handed to asyncpg or aiosqlite. Each request
otherwise pays for building the statement, computing its cache key and wrapping the
driver's rows: ~0.3 ms per statement here, more than the database spends on most of them.
A key list is one array parameter (`= ANY($1)` on PostgreSQL, `json_each(?)` on SQLite),
so a statement's text never depends on how many keys a batch holds.

What SQLAlchemy's column types do to values (UTC datetimes, SQLite's text dates) is still
done: each parameter goes through its type's bind processor, and the registry's row readers
apply the result processors (`Entity.reader`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import orjson
from sqlalchemy import ColumnElement, Select, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import Text, TypeDecorator


@dataclass(frozen=True, slots=True)
class Read:
    """A compiled read: its SQL and, per positional parameter, its name and bind processor."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    fixed: Mapping[str, Any]  # values the statement carries itself (SQLite's OFFSET 0)

    def parameters(self, values: Mapping[str, Any]) -> list[Any]:
        """`values` by name as the driver takes them: in order, through their processors."""
        fixed = self.fixed
        ordered = (values[name] if name in values else fixed[name] for name in self.names)
        return [
            value if processor is None else processor(value)
            for processor, value in zip(self.processors, ordered, strict=True)
        ]


class _JsonList(TypeDecorator[Any]):
    """A Python list bound as the JSON text that SQLite's `json_each` reads."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return orjson.dumps(list(value)).decode()


def key_in(column: ColumnElement[Any], dialect: Dialect, name: str = "keys") -> ColumnElement[bool]:
    """`column` is one of the list bound as `name`: one parameter, whatever its length."""
    if dialect.name == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    values: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam(name, type_=_JsonList()))
    )
    return column.in_(values.scalar_subquery())


def compile_read(statement: ClauseElement, dialect: Dialect) -> Read:
    """`statement` as SQL for `dialect`, its parameters named by their bindparams."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    names = tuple(compiled.positiontup or ())
    binds = compiled.binds
    processors = tuple(
        binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    fixed = {name: value for name, value in compiled.params.items() if value is not None}
    return Read(compiled.string, names, processors, fixed)


class Reads:
    """The compiled reads of one database, each built on first use and then kept."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._made: dict[Hashable, Read] = {}

    def get(self, key: Hashable, build: Callable[[Dialect], ClauseElement]) -> Read:
        """The read known as `key`; `build` makes its statement the first time."""
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = compile_read(build(self.dialect), self.dialect)
        return made

    def __len__(self) -> int:
        return len(self._made)

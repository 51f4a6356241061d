"""What an entity is: its table, its record, and how a row becomes that record.

A record's fields are read from its row as the entity's `fields` say: a column of the same
name unless named otherwise, or a value `Computed` from several columns (money from an
amount and a currency; the public id from the key). From that one description come the
columns an entity is selected with and two compiled row readers: `from_row` for rows that
SQLAlchemy already converted (the write path), `reader(dialect)` for rows straight from
the driver (the read path), with each column type's own result conversion applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Table
from sqlalchemy.engine import Dialect

from .. import codegen, ids
from ..auth.principal import Principal
from ..db.types import driver_result_processor
from ..pagination import SortKey
from ..records import Money

R = TypeVar("R")
Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Computed:
    """A field made by `make` from the values of `columns`, in that order."""

    make: Callable[..., Any]
    columns: tuple[str, ...]


class PublicId:
    """The field holding the record's public id: its entity's id kind over the key."""


PUBLIC_ID = PublicId()
Source = str | Computed | PublicId


@dataclass(frozen=True, slots=True)
class Guard:
    """Who may read a field, and whether a third party's read goes to the audit trail.

    Both executors ask the same guard: a caller it refuses gets null and FORBIDDEN at that
    field, with `refusal` as the message.
    """

    allows: Callable[[Principal, Any], bool]  # (caller, record) -> may read
    refusal: str
    audited: bool = False


class Entity(Generic[R]):
    """One kind of record: see the module docstring. `name` is its GraphQL type."""

    __slots__ = (
        "_positions",
        "_readers",
        "columns",
        "fields",
        "from_row",
        "guards",
        "identified",
        "name",
        "record",
        "sorts",
        "table",
    )

    def __init__(
        self,
        name: str,
        table: Table,
        record: type[R],
        *,
        fields: Mapping[str, Source] | None = None,
        identified: bool = True,
        sorts: Mapping[str, SortKey] | None = None,
        guards: Mapping[str, Guard] | None = None,
    ) -> None:
        self.name = name
        self.table = table
        self.record = record
        named = dict(fields or {})
        record_fields: tuple[str, ...] = record._fields  # type: ignore[attr-defined]  # a NamedTuple
        unknown = set(named) - set(record_fields)
        if unknown:
            raise ValueError(f"{name}: no record field {sorted(unknown)}")
        self.fields: dict[str, Source] = {field: named.get(field, field) for field in record_fields}
        self.identified = identified  # has a public id that `node(id:)` resolves
        self.sorts: Mapping[str, SortKey] = sorts or {}
        self.guards: Mapping[str, Guard] = guards or {}
        used = (column for source in self.fields.values() for column in _uses(source))
        names = list(dict.fromkeys(used))
        self.columns: tuple[Column[Any], ...] = tuple(table.c[column] for column in names)
        self._positions = {column.name: i for i, column in enumerate(self.columns)}
        self.from_row: Callable[[Row], R] = self._compile(None, 0)
        self._readers: dict[tuple[str, int], Callable[[Row], R]] = {}

    @property
    def key(self) -> Column[Any]:
        """What a record is fetched by: the column of its first field."""
        return self.columns[0]

    def position(self, column: str) -> int:
        """Where `column` is in a row of `columns`."""
        return self._positions[column]

    def reader(self, dialect: Dialect, offset: int = 0) -> Callable[[Row], R]:
        """Reads rows of `columns` as the driver returns them, converted as SQLAlchemy would;
        with `offset`, from that position of a wider row (a joined statement's)."""
        made = self._readers.get((dialect.name, offset))
        if made is None:
            made = self._readers[(dialect.name, offset)] = self._compile(dialect, offset)
        return made

    def _compile(self, dialect: Dialect | None, offset: int) -> Callable[[Row], R]:
        index = {column.name: offset + i for i, column in enumerate(self.columns)}
        namespace: dict[str, Any] = {"_new": tuple.__new__, "_R": self.record}

        def value(column: str) -> str:
            i = index[column]
            processor = None
            if dialect is not None:
                processor = driver_result_processor(self.table.c[column].type, dialect)
            if processor is None:
                return f"r[{i}]"
            namespace[f"_p{i}"] = processor
            return f"_p{i}(r[{i}])"

        parts = []
        for n, source in enumerate(self.fields.values()):
            if isinstance(source, str):
                parts.append(value(source))
            elif isinstance(source, PublicId):
                namespace["_id"] = ids.encode
                parts.append(f"_id({self.name!r}, {value('id')})")
            else:
                namespace[f"_f{n}"] = source.make
                args = ", ".join(value(column) for column in source.columns)
                if _is_record(source.make):  # built as the tuple it is, skipping __new__
                    parts.append(f"_new(_f{n}, ({args},))")
                else:
                    parts.append(f"_f{n}({args})")
        name = f"read_{self.name}_{offset}"
        source_code = f"def {name}(r):\n    return _new(_R, ({', '.join(parts)},))\n"
        return codegen.function(name, source_code, namespace)


def _uses(source: Source) -> tuple[str, ...]:
    if isinstance(source, str):
        return (source,)
    if isinstance(source, PublicId):
        return ("id",)
    return source.columns


def _is_record(make: Callable[..., Any]) -> bool:
    return isinstance(make, type) and issubclass(make, tuple) and hasattr(make, "_fields")


def money(amount: str) -> Computed:
    """Money from an amount column and the row's `currency`."""
    return Computed(Money, (amount, "currency"))

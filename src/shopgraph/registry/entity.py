"""What an entity is: its table, its record, and how a row becomes that record.

A record's fields are read from its row as the entity's `fields` say: a column of the same
name unless named otherwise, or a value `Computed` from several columns (money from an
amount and a currency; the public id from the key). From that one description come the
columns an entity is selected with and two compiled row readers: `from_row` for rows that
SQLAlchemy already converted (the write path), `reader(dialect)` for rows straight from
the driver (the read path), with each column type's own result conversion applied.

A read that needs only some fields selects only their columns (`Entity.narrowed`: a
`Shape`); the record's other fields are None. Keys (primary and foreign) and sort columns,
with every field made from them (a sort by `total` reads its currency too), are always
read: authorization, relations and cursors depend on them, whatever is shown.
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


class Shape(Generic[R]):
    """The columns a read of an entity selects, and the readers of its rows."""

    __slots__ = ("_positions", "_readers", "columns", "entity", "fields")

    def __init__(self, entity: Entity[R], fields: frozenset[str] | None) -> None:
        self.entity = entity
        self.fields = fields  # None: all of them
        wanted = set(entity.always)
        for field, source in entity.fields.items():
            if fields is None or field in fields or entity.always.intersection(_uses(source)):
                wanted.update(_uses(source))
        self.columns: tuple[Column[Any], ...] = tuple(
            column for column in entity.all_columns if column.name in wanted
        )
        self._positions = {column.name: i for i, column in enumerate(self.columns)}
        self._readers: dict[tuple[str, int], Callable[[Row], R]] = {}

    def position(self, column: str) -> int:
        """Where `column` is in a row of `columns`."""
        return self._positions[column]

    def reader(self, dialect: Dialect, offset: int = 0) -> Callable[[Row], R]:
        """Reads rows of `columns` as the driver returns them, converted as SQLAlchemy would;
        with `offset`, from that position of a wider row (a joined statement's)."""
        made = self._readers.get((dialect.name, offset))
        if made is None:
            made = self._readers[(dialect.name, offset)] = self.compile(dialect, offset)
        return made

    def compile(self, dialect: Dialect | None, offset: int) -> Callable[[Row], R]:
        entity = self.entity
        index = {column.name: offset + i for i, column in enumerate(self.columns)}
        namespace: dict[str, Any] = {"_new": tuple.__new__, "_R": entity.record}

        def value(column: str) -> str:
            i = index[column]
            processor = None
            if dialect is not None:
                processor = driver_result_processor(entity.table.c[column].type, dialect)
            if processor is None:
                return f"r[{i}]"
            namespace[f"_p{i}"] = processor
            return f"_p{i}(r[{i}])"

        parts = []
        for n, source in enumerate(entity.fields.values()):
            if not all(column in index for column in _uses(source)):
                parts.append("None")  # not selected
            elif isinstance(source, str):
                parts.append(value(source))
            elif isinstance(source, PublicId):
                namespace["_id"] = ids.encode
                parts.append(f"_id({entity.name!r}, {value('id')})")
            else:
                namespace[f"_f{n}"] = source.make
                args = ", ".join(value(column) for column in source.columns)
                if _is_record(source.make):  # built as the tuple it is, skipping __new__
                    parts.append(f"_new(_f{n}, ({args},))")
                else:
                    parts.append(f"_f{n}({args})")
        name = f"read_{entity.name}_{offset}"
        source_code = f"def {name}(r):\n    return _new(_R, ({', '.join(parts)},))\n"
        return codegen.function(name, source_code, namespace)


class Entity(Generic[R]):
    """One kind of record: see the module docstring. `name` is its GraphQL type."""

    __slots__ = (
        "_shapes",
        "all_columns",
        "always",
        "fields",
        "from_row",
        "guards",
        "identified",
        "name",
        "record",
        "shape",
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
        self.all_columns: tuple[Column[Any], ...] = tuple(table.c[column] for column in names)
        # Read whatever a read shows: keys, and what lists are sorted by.
        sorted_by = {getattr(sort.column, "name", None) for sort in self.sorts.values()}
        self.always = frozenset(
            column.name
            for column in self.all_columns
            if column.primary_key or column.foreign_keys or column.name in sorted_by
        ) | {self.all_columns[0].name}
        self.shape: Shape[R] = Shape(self, None)
        self._shapes: dict[frozenset[str], Shape[R]] = {}
        self.from_row: Callable[[Row], R] = self.shape.compile(None, 0)

    @property
    def columns(self) -> tuple[Column[Any], ...]:
        """Every column a record is read from, in the order `from_row` reads them."""
        return self.all_columns

    @property
    def key(self) -> Column[Any]:
        """What a record is fetched by: the column of its first field."""
        return self.all_columns[0]

    def position(self, column: str) -> int:
        """Where `column` is in a row of `columns`."""
        return self.shape.position(column)

    def reader(self, dialect: Dialect, offset: int = 0) -> Callable[[Row], R]:
        """Reads full rows as the driver returns them (see `Shape.reader`)."""
        return self.shape.reader(dialect, offset)

    def narrowed(self, fields: frozenset[str]) -> Shape[R]:
        """The shape of reads that need only `fields` (keys and sort columns besides)."""
        made = self._shapes.get(fields)
        if made is None:
            made = self._shapes[fields] = Shape(self, fields)
        return made


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

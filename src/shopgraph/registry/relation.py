"""What a relation is: an owner entity's field leading to records of a target entity.

The owner's record holds a key (its field `owner_key`, read by `key(record)`) matched
against a column of the target (`by`): `One` (at most one target record), `Many` (a list,
in id order) or `Paged` (a keyset connection per owner, paged by the caller's arguments).
A relation may guard who follows it (`access`); both surfaces and both GraphQL executors
ask the same guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from sqlalchemy import Column

from ..auth.principal import Principal
from .entity import Entity

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class _Relation(Generic[R]):
    owner: Entity[Any]
    field: str
    target: Entity[R]
    owner_key: str  # the owner record's field matched against `by`
    by: Column[Any]
    # Who may follow it: raises UNAUTHENTICATED or FORBIDDEN for a caller and owner record
    # it refuses; None: whoever sees the owner sees its related records.
    _: KW_ONLY
    access: Callable[[Principal, Any], None] | None = None

    @property
    def name(self) -> str:
        return f"{self.owner.name}.{self.field}"

    @property
    def key(self) -> Callable[[Any], Any]:
        """Reads the owner record's key: `relation.key(record)`."""
        return attrgetter(self.owner_key)

    @property
    def owner_column(self) -> Column[Any]:
        """The owner's column holding the key (what a join matches `by` against)."""
        source = self.owner.fields[self.owner_key]
        if not isinstance(source, str):
            raise TypeError(f"{self.name}: the key {self.owner_key} is not a column")
        return self.owner.table.c[source]


@dataclass(frozen=True, slots=True)
class One(_Relation[R]):
    """A relation to at most one record of `target`: `by` equals the owner's `key`."""


@dataclass(frozen=True, slots=True)
class _Listed(_Relation[R]):
    parent: str  # the target record's attribute holding the owner's key


@dataclass(frozen=True, slots=True)
class Many(_Listed[R]):
    """A relation to every record of `target` whose `by` equals the owner's `key`, in id
    order."""


@dataclass(frozen=True, slots=True)
class Paged(_Listed[R]):
    """Like `Many`, as a keyset connection per owner (page arguments from the caller)."""


Relation = One[Any] | Many[Any] | Paged[Any]

"""What an aggregate is: figures computed per owner record, batched like a relation.

An aggregate (`Product.sales`, `Customer.stats`) reads the owner record's key, as a
relation does, and its statement computes the figures of every key of a level at once
(one GROUP BY, `keys` one array parameter). Its rows are added up by `analytics.figures`
and turned into the aggregate's record by `value`. `access` guards it like a relation's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Dialect

from ..analytics.figures import Tally
from ..auth.principal import Principal
from .entity import Entity

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Aggregate(Generic[V]):
    owner: Entity[Any]
    field: str
    owner_key: str
    # The statement for a dialect and a range shape (which of start and end are bound).
    statement: Callable[[Dialect, tuple[bool, bool]], Any]
    value: Callable[[Tally], V]
    _: KW_ONLY
    access: Callable[[Principal, Any], None] | None = None
    ranged: bool = True  # takes a time range (`from`, `to`)
    timed: bool = False  # its rows carry instants (`first`, `last`) to convert

    @property
    def name(self) -> str:
        return f"{self.owner.name}.{self.field}"

    @property
    def key(self) -> Callable[[Any], Any]:
        """Reads the owner record's key: `aggregate.key(record)`."""
        return attrgetter(self.owner_key)

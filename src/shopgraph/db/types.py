"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in, an aware UTC datetime out, whatever the backend.

    SQLite stores datetimes as naive text; without this, reads would come back naive there
    and aware on PostgreSQL, and the two surfaces would print different timestamps.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


def driver_result_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Any:
    """What turns a value straight from the driver into what SQLAlchemy would return (None:
    nothing to do). asyncpg already gives `timestamp with time zone` as aware UTC datetimes,
    which `UTCDateTime` would return unchanged."""
    if isinstance(column_type, UTCDateTime) and dialect.driver == "asyncpg":
        return None
    return column_type.dialect_impl(dialect).result_processor(dialect, None)

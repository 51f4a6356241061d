"""INSERT ... ON CONFLICT in the dialect of the connection at hand.

SQLAlchemy's portable `insert()` has no ON CONFLICT; PostgreSQL's and SQLite's have the
same one. Upserts pick theirs here, once, instead of each writer choosing a dialect.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert_on_conflict(db: AsyncConnection, table: Table) -> Any:
    """An INSERT into `table` that takes `on_conflict_do_nothing/_do_update`."""
    dialect = postgresql if db.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)

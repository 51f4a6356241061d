"""GraphQL documents kept by the SHA-256 of their text: for APQ, and the allow-list.

One table for both (`persisted_operations`), because both ask the same question (which
document has this hash?) and must get the same answer in every process. A database table
rather than Redis: every deployment has one (Redis is optional, and only rate limits use
it), it is shared by every process on either database, and an operator's registrations
must be durable anyway. Reads are rare: the GraphQL surface keeps what it found in a
bounded process cache, exact since a hash names one text forever.

Documents stored by clients (automatic persisted queries) are a cache of their own: past
`keep` of them the oldest go, one statement in the storing transaction. A client whose
document went sends it again (the protocol's ordinary miss). Registered documents, the
allow-list, are never dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, false, func, select
from sqlalchemy.engine import Dialect

from ..db.conflicts import insert_on_conflict
from ..db.engine import Database, Reader
from ..db.models import persisted_operations as table
from ..db.models import utcnow


def digest(document: str) -> str:
    """The SHA-256 of a document's text (UTF-8), in lowercase hex: how APQ names it."""
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Known:
    """A document the database holds, and whether an operator registered it."""

    document: str
    registered: bool


@dataclass(frozen=True, slots=True)
class NewOperation:
    """An operation to register: its text (all it needs: fragments included), its name,
    and the file it came from."""

    document: str
    name: str | None
    source: str

    @property
    def sha256(self) -> str:
        return digest(self.document)


@dataclass(frozen=True, slots=True)
class Registered:
    """A registered operation, as `shopgraph operations list` shows it."""

    sha256: str
    name: str | None
    source: str | None
    registered_at: datetime | None


def _lookup(_dialect: Dialect) -> Any:
    return select(table.c.document, table.c.registered).where(table.c.sha256 == bindparam("sha256"))


async def find(reader: Reader, sha256: str) -> Known | None:
    """The document with this hash, on the request's read connection; None if unknown."""
    read = reader.reads.get(("persisted_operation",), _lookup)
    rows = await reader.rows(read, {"sha256": sha256})
    return Known(rows[0][0], bool(rows[0][1])) if rows else None


async def remember(database: Database, sha256: str, document: str, keep: int) -> bool:
    """Store a client's document under its hash (checked by the caller); keep at most
    `keep` such documents, dropping the oldest. True if it was not stored before."""
    async with database.transaction() as db:
        stored = await db.execute(
            insert_on_conflict(db, table)
            .values(sha256=sha256, document=document, registered=False, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=[table.c.sha256])
            .returning(table.c.sha256)
        )
        if stored.first() is None:
            return False
        surplus = (
            select(table.c.sha256)
            .where(table.c.registered == false())
            .order_by(table.c.created_at.desc(), table.c.sha256)
            .offset(keep)
        )
        await db.execute(delete(table).where(table.c.sha256.in_(surplus.scalar_subquery())))
    return True


async def register(database: Database, operations: Sequence[NewOperation]) -> list[bool]:
    """Put `operations` on the allow-list, all or none; for each, True if it was not on it
    already. A document clients had stored by hash stays, now registered."""
    hashes = [operation.sha256 for operation in operations]
    now = utcnow()
    async with database.transaction() as db:
        before = set(
            (
                await db.execute(
                    select(table.c.sha256).where(table.c.sha256.in_(hashes), table.c.registered)
                )
            ).scalars()
        )
        for operation in operations:
            statement = insert_on_conflict(db, table).values(
                sha256=operation.sha256,
                document=operation.document,
                operation_name=operation.name,
                registered=True,
                source=operation.source,
                created_at=now,
                registered_at=now,
            )
            await db.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.sha256],
                    set_={
                        "registered": True,
                        "operation_name": statement.excluded.operation_name,
                        "source": statement.excluded.source,
                        "registered_at": func.coalesce(
                            table.c.registered_at, statement.excluded.registered_at
                        ),
                    },
                )
            )
    return [sha256 not in before for sha256 in hashes]


async def list_registered(database: Database) -> list[Registered]:
    """The allow-list, by name."""
    async with database.connect() as db:
        rows = await db.execute(
            select(table.c.sha256, table.c.operation_name, table.c.source, table.c.registered_at)
            .where(table.c.registered)
            .order_by(table.c.operation_name, table.c.sha256)
        )
        return [Registered(*row) for row in rows]

"""What a database knows about its own installation: the key its public ids are made with."""

from __future__ import annotations

from sqlalchemy import select

from .engine import Database
from .models import installation


async def id_key(database: Database) -> bytes:
    """The installation's id key (made by migration 0007)."""
    async with database.connect() as db:
        value = (await db.execute(select(installation.c.id_key))).scalar_one()
    return bytes.fromhex(value)

"""Apply Alembic migrations from code: `shopgraph db upgrade` and the first start."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`; creates a SQLite file if missing."""
    _create_private(url)
    command.upgrade(alembic_config(url), revision)


def _create_private(url: str) -> None:
    """A new SQLite file is readable by its owner only: it holds customer data. SQLite
    gives its -wal and -shm files the same permissions."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(parsed.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


async def upgrade_async(url: str, revision: str = "head") -> None:
    """`upgrade` from inside a running event loop (Alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, url, revision)

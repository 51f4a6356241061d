"""The secret that signs access tokens and cursors: configured, or made once and kept.

No process ever runs with a published secret. `SHOPGRAPH_SECRET_KEY` wins when set. With
the embedded SQLite database and no key configured, a random key is made on first start
and kept beside the database file (`<database>.secret`, readable by its owner only), so
every worker and every restart signs alike. A server database (PostgreSQL), whose
processes may run on several machines, refuses to start without a configured key.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from sqlalchemy.engine import make_url

MIN_LENGTH = 32


class MissingSecretKey(RuntimeError):
    """No secret key is configured where one cannot be made safely."""


def secret_key_for(configured: str | None, database_url: str) -> str:
    """The key to sign with: `configured`, or the embedded database's own."""
    if configured:
        return configured
    path = _beside_database(database_url)
    if path is None:
        raise MissingSecretKey(
            "Set SHOPGRAPH_SECRET_KEY (at least 32 random characters, the same in every "
            "process): a server database is shared by processes that must sign alike."
        )
    return _kept(path)


def _beside_database(database_url: str) -> Path | None:
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.secret")


def _kept(path: Path) -> str:
    """Read the key at `path`, or make it there; two processes starting at once agree."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key


def _read(path: Path) -> str:
    """The key another process made, once it has finished writing it."""
    for _ in range(100):
        key = path.read_text().strip()
        if len(key) >= MIN_LENGTH:
            return key
        time.sleep(0.01)
    raise MissingSecretKey(f"{path} holds no key; remove it and a new one is made")

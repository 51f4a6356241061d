"""Run a transaction again when the database gave up on it for a transient reason.

PostgreSQL aborts one of two transactions that deadlock (40P01) or that it cannot
serialise (40001). Nothing of the aborted attempt was committed, so running the whole
transaction again is safe; the client never sees the clash.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")
RETRYABLE = {"40P01", "40001"}
ATTEMPTS = 5


def _sqlstate(error: DBAPIError) -> str | None:
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code if isinstance(code, str) else None


async def retrying(attempt: Callable[[], Awaitable[T]]) -> T:
    """`attempt()`, repeated with a short random back-off while it fails transiently."""
    for tries in range(1, ATTEMPTS + 1):
        try:
            return await attempt()
        except DBAPIError as error:
            if _sqlstate(error) not in RETRYABLE or tries == ATTEMPTS:
                raise
            await asyncio.sleep(random.uniform(0, 0.01 * tries))
    raise AssertionError("unreachable")

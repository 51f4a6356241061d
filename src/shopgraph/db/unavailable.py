"""Which database failures mean "not now" rather than "never", and their translation.

A database that is down, restarting, out of connections, or too slow for the configured
timeouts is an outage, not a bug: the request is answered 503 SERVICE_UNAVAILABLE with
`Retry-After`, in the surface's own format, and the connection is kept. Everything else
(a constraint violation, a syntax error) stays what it is. The translation happens here,
at the edge of the database layer, once (`Database` and `Reader` apply it).
"""

from __future__ import annotations

import sqlite3

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..errors import DatabaseUnavailable

# SQLSTATE classes and codes of an unreachable, restarting, overloaded or too slow server.
UNAVAILABLE_CLASSES = ("08", "53", "57")  # connection, insufficient resources, operator
UNAVAILABLE_CODES = frozenset({"55P03"})  # lock_not_available (lock_timeout)
RETRY_AFTER_SECONDS = 2


# What the drivers raise themselves, for reads run straight on them (`db.reads`): a closed
# or broken connection, a locked or unreachable SQLite file.
_DRIVER_UNAVAILABLE = (asyncpg.InterfaceError, sqlite3.OperationalError, sqlite3.InterfaceError)


def _sqlstate(error: BaseException) -> str | None:
    original = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code if isinstance(code, str) else None


def is_unavailable(error: BaseException) -> bool:
    """Whether `error`, raised by a database call, means the database cannot serve now."""
    if isinstance(error, PoolTimeout | OSError | TimeoutError):
        return True  # no free connection in time; refused, reset or timed-out sockets
    if isinstance(error, DBAPIError):
        code = _sqlstate(error)
        if code is not None:
            return code[:2] in UNAVAILABLE_CLASSES or code in UNAVAILABLE_CODES
        # No SQLSTATE: the connection died (asyncpg), or SQLite was locked or unreachable.
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    code = _sqlstate(error)  # a driver's own error
    if code is not None:
        return code[:2] in UNAVAILABLE_CLASSES or code in UNAVAILABLE_CODES
    return isinstance(error, _DRIVER_UNAVAILABLE)


def translated(error: BaseException) -> DatabaseUnavailable:
    """The outage `error` stands for, as the client will see it."""
    if isinstance(error, PoolTimeout):
        detail = "The server is busy: no database connection was free in time; retry shortly."
    elif _sqlstate(error) in ("57014", "55P03"):
        detail = "The database did not finish in the time allowed; retry shortly."
    else:
        detail = "The database cannot be reached right now; retry shortly."
    return DatabaseUnavailable(detail, retry_after=RETRY_AFTER_SECONDS)

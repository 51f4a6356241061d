"""`idempotencyKey` on GraphQL creates: a keyed write's outcome as a mutation payload.

The resolvers run the key and keep the outcome (`resolvers/idempotency.py`), the same for
REST and GraphQL. A GraphQL answer depends on its selection set, so a replay returns the
object that was created, as it is now, or the userErrors it answered with. The caller may
always read back what it created, whatever its read scopes: a write that committed is
never answered with FORBIDDEN (the client would retry it with a new key). Every keyed
field is listed in the response's `extensions.idempotency` with whether it was replayed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from .. import ids
from ..errors import (
    IdempotencyKeyReused,
    InsufficientInventory,
    PaymentDeclined,
    PaymentProviderError,
    ProviderUnavailableError,
    from_problem,
)
from ..resolvers.outcome import Written
from .context import Info
from .mutation import EXPECTED, UserError, user_errors

T = TypeVar("T")
# Outcomes of the write path that a mutation reports in its payload.
WRITE_EXPECTED = (
    *EXPECTED,
    IdempotencyKeyReused,
    InsufficientInventory,
    PaymentDeclined,
    PaymentProviderError,
    ProviderUnavailableError,
)


async def payload_of(
    info: Info,
    write: Callable[[], Awaitable[Written[T]]],
    load: Callable[[int], Awaitable[T | None]],
) -> tuple[T | None, list[UserError]]:
    """What a keyed (or unkeyed) create made, or its userErrors; `load` reads by key."""
    try:
        written = await write()
    except WRITE_EXPECTED as error:
        return None, user_errors(error)
    if written.outcome is not None:
        info.context.idempotency.append({"path": info.path.as_list(), "replayed": written.replayed})
    if written.made is not None:
        return written.made, []
    assert written.outcome is not None
    if written.outcome.problem is not None:
        return None, user_errors(from_problem(written.outcome.problem))
    decoded = ids.decode_any(written.outcome.resource_id or "")
    assert decoded is not None
    return await load(decoded[1]), []

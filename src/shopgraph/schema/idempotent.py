"""`idempotencyKey` on GraphQL creates: one result per caller and key, replays return it.

A GraphQL answer depends on the selection set, so what is stored is the outcome — the
id of what was created, or the userErrors — and a replay returns that same object as it
is now (the REST facade, whose answers are fixed documents, replays them byte for byte).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson

from ..context import RequestContext
from ..errors import (
    Conflict,
    IdempotencyKeyReused,
    InsufficientInventory,
    PaymentDeclined,
    ServiceUnavailable,
    ValidationFailed,
)
from ..resolvers.idempotency import Answer, check_key, run_once
from .enums import UserErrorCode
from .inputs import to_dict
from .mutation import EXPECTED, UserError, user_errors

T = TypeVar("T")
# Outcomes of the write path that a mutation reports in its payload.
WRITE_EXPECTED = (*EXPECTED, InsufficientInventory, PaymentDeclined, ServiceUnavailable)


def _user_error(stored: dict[str, Any]) -> UserError:
    return UserError(
        field=stored["field"], code=UserErrorCode(stored["code"]), message=stored["message"]
    )


async def create_once(
    ctx: RequestContext,
    key: str | None,
    operation: str,
    params: dict[str, Any],
    create: Callable[[], Awaitable[Any]],
    load: Callable[[str], Awaitable[T]],
) -> tuple[T | None, list[UserError]]:
    """Run `create` once per key; return what it made (re-read with `load`) or its errors."""
    try:
        if key is not None:
            check_key(key, "idempotencyKey")

        async def run() -> tuple[Answer, bool]:
            try:
                made = await create()
            except WRITE_EXPECTED as error:
                errors = [to_dict(item) for item in user_errors(error)]
                body = orjson.dumps({"user_errors": errors}).decode()
                return Answer(error.status, body), isinstance(error, ValidationFailed)
            return Answer(201, orjson.dumps({"id": made.id}).decode()), False

        answer, _ = await run_once(
            ctx, key, surface="graphql", operation=operation, params=params, run=run
        )
    except (IdempotencyKeyReused, Conflict, ValidationFailed) as error:
        return None, user_errors(error)
    stored = orjson.loads(answer.body)
    if "id" not in stored:
        return None, [_user_error(item) for item in stored["user_errors"]]
    return await load(stored["id"]), []

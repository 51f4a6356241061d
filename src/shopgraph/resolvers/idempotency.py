"""Idempotency keys with Stripe's semantics, for every create that has side effects.

`run_once` claims the caller's key in a short transaction of its own before the work
starts, so a duplicate that arrives meanwhile finds it `in_flight` and gets CONFLICT
instead of a second order or charge. When the work ends, the answer is stored with the
key; a replay within 24 hours returns exactly that answer. The same key with other
parameters is IDEMPOTENCY_KEY_REUSED. Answers to input that failed validation, and to
failures that may be transient (5xx), are not stored: the key is freed for a retry.

The surfaces decide what an answer is (a REST status and body, a GraphQL payload's
result); this module only stores and replays it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..context import RequestContext
from ..db.engine import Database
from ..db.models import idempotency_keys, utcnow
from ..errors import Conflict, FieldError, IdempotencyKeyReused, ValidationFailed

TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Answer:
    """What a request answered: a status and a body, as the surface will send them."""

    status: int
    body: str


def check_key(key: str, field: str) -> str:
    """A key is 1-255 printable ASCII characters, like Stripe's."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationFailed(
            f"`{field}` must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            errors=[FieldError(field, "INVALID", "Not a valid idempotency key.")],
        )
    return key


def _scope(ctx: RequestContext, surface: str) -> str:
    principal = ctx.principal
    return f"{surface}|{principal.kind}|{principal.id or ''}"


def fingerprint(operation: str, params: Mapping[str, Any]) -> str:
    canonical = orjson.dumps([operation, params], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()


def _keep(answer: Answer, validation_failed: bool) -> bool:
    return answer.status < 500 and not validation_failed


async def _claim(database: Database, scope: str, key: str, print_: str) -> Answer | None:
    """Claim the key; or return the stored answer; or raise why it cannot be used."""
    now = utcnow()
    for _ in range(3):
        try:
            async with database.transaction() as db:
                await db.execute(
                    insert(idempotency_keys).values(
                        scope=scope,
                        key=key,
                        fingerprint=print_,
                        state="in_flight",
                        created_at=now,
                        expires_at=now + TTL,
                    )
                )
            return None
        except IntegrityError:
            pass
        async with database.transaction() as db:
            row = (
                await db.execute(
                    select(idempotency_keys).where(
                        idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
                    )
                )
            ).first()
            if row is None:
                continue  # freed meanwhile: claim again
            if row.expires_at <= now:
                await db.execute(delete(idempotency_keys).where(idempotency_keys.c.id == row.id))
                continue
        if row.fingerprint != print_:
            raise IdempotencyKeyReused(
                "This idempotency key was used with different parameters.",
                errors=[
                    FieldError(None, "IDEMPOTENCY_KEY_REUSED", "Use a new key for a new request.")
                ],
            )
        if row.state == "in_flight":
            raise Conflict(
                "A request with this idempotency key is still being processed; retry later.",
                extra={"idempotency_key": key},
            )
        return Answer(row.status_code, row.response)
    raise Conflict("This idempotency key is contended; retry later.")


async def run_once(
    ctx: RequestContext,
    key: str | None,
    *,
    surface: str,
    operation: str,
    params: Mapping[str, Any],
    run: Callable[[], Awaitable[tuple[Answer, bool]]],
) -> tuple[Answer, bool]:
    """(answer, replayed). `run` returns (answer, whether it was a validation failure)."""
    if key is None:
        answer, _ = await run()
        return answer, False
    database = ctx.services.database
    scope = _scope(ctx, surface)
    stored = await _claim(database, scope, key, fingerprint(operation, params))
    if stored is not None:
        return stored, True
    try:
        answer, validation_failed = await run()
    except BaseException:
        await _free(database, scope, key)
        raise
    if not _keep(answer, validation_failed):
        await _free(database, scope, key)
        return answer, False
    async with database.transaction() as db:
        await db.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
            .values(state="done", status_code=answer.status, response=answer.body)
        )
    return answer, False


async def _free(database: Database, scope: str, key: str) -> None:
    async with database.transaction() as db:
        await db.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
            )
        )


async def purge_expired(database: Database) -> int:
    """Delete keys past their 24 hours; returns how many."""
    async with database.transaction() as db:
        result = await db.execute(
            delete(idempotency_keys)
            .where(idempotency_keys.c.expires_at <= utcnow())
            .returning(idempotency_keys.c.id)
        )
        return len(result.all())

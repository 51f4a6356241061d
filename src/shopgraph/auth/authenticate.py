"""From an `Authorization` header to a principal: API keys and access tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..context import Services
from ..db.models import customers
from ..errors import Unauthenticated
from . import tokens
from .api_keys import verify_api_key
from .principal import ANONYMOUS, Principal


async def authenticate(
    services: Services, authorization: str | None, client_ip: str | None
) -> Principal:
    """No header: the anonymous principal. A bad one: UNAUTHENTICATED, never anonymous."""
    if authorization is None:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise Unauthenticated(
            "Send credentials as `Authorization: Bearer <API key or access token>`.",
            extra={"error": "invalid_request"},
        )
    if token.startswith("sg_"):
        return await verify_api_key(services.database, token, client_ip)
    principal, issued_at = tokens.verify_issued(services.secret_key, token)
    if principal.customer_pk is not None:
        await _check_customer(services, principal.customer_pk, issued_at)
    return principal


async def _check_customer(services: Services, customer_pk: int, issued_at: datetime) -> None:
    """A customer token names a row: it must still exist, and be older than the token.

    Keys are never reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL); checking the
    creation time as well means that even a database restored or re-sequenced behind the
    server's back cannot hand a token to someone else. Deleting a customer ends their tokens.
    """
    async with services.database.connect() as db:
        created = (
            await db.execute(select(customers.c.created_at).where(customers.c.id == customer_pk))
        ).scalar_one_or_none()
    # `iat` has whole seconds; the row's creation time has microseconds.
    if created is None or created > issued_at + timedelta(seconds=1):
        raise Unauthenticated(
            "The customer this token was issued for no longer exists.",
            extra={"error": "invalid_token"},
        )

"""OAuth 2.0 (RFC 6749) for API clients: client credentials in, access and refresh tokens out.

A client is an API key: its id (`key_…`) is the `client_id`, the key itself the
`client_secret`; the tokens carry the key's scopes and tier. Refresh tokens rotate on
every use. Each chain of refreshes is a family: presenting a refresh token that was
already used means it leaked, so the whole family is revoked (RFC 6819 §5.2.2.3).
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids
from ..context import Services
from ..db.models import api_keys, refresh_tokens, utcnow
from . import tokens
from .api_keys import _ip_allowed, digest
from .principal import SCOPES, Principal, parse_scopes


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: `error` is the code, `status` the HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True, slots=True)
class Grant:
    access_token: str
    expires_in: int
    refresh_token: str
    scope: str


def _active(row: Any) -> bool:
    now = utcnow()
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)


def _principal(row: Any, scopes: frozenset[str]) -> Principal:
    return Principal(
        kind="oauth_client",
        id=ids.encode("ApiKey", row.id),
        scopes=scopes,
        tier=row.tier,
        api_version=row.api_version,
    )


async def _store_refresh_token(
    db: AsyncConnection, services: Services, api_key_id: int, family: str, scopes: frozenset[str]
) -> str:
    """A new refresh token in `family`, written in the caller's transaction."""
    token = f"sgr_{secrets.token_urlsafe(32)}"
    now = utcnow()
    await db.execute(
        insert(refresh_tokens).values(
            token_hash=digest(token),
            family=family,
            api_key_id=api_key_id,
            scopes=" ".join(sorted(scopes)),
            expires_at=now + timedelta(days=services.settings.refresh_token_days),
            created_at=now,
        )
    )
    return token


def _grant(services: Services, row: Any, scopes: frozenset[str], refresh_token: str) -> Grant:
    ttl = timedelta(minutes=services.settings.access_token_minutes)
    return Grant(
        access_token=tokens.issue(services.secret_key, _principal(row, scopes), ttl),
        expires_in=int(ttl.total_seconds()),
        refresh_token=refresh_token,
        scope=" ".join(sorted(scopes)),
    )


async def client_credentials(
    services: Services,
    client_id: str,
    client_secret: str,
    requested_scope: str | None,
    client_ip: str | None,
) -> Grant:
    """Tokens for a client that proves it holds its key."""
    pk = ids.decode("ApiKey", client_id)
    async with services.database.connect() as db:
        row = (await db.execute(select(api_keys).where(api_keys.c.id == (pk or 0)))).first()
    if (
        row is None
        or not hmac.compare_digest(row.secret_hash, digest(client_secret))
        or not _active(row)
    ):
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    if not _ip_allowed(row.allowed_ips, client_ip):
        raise OAuthError("invalid_client", "This client may not be used from this address.", 401)
    allowed = parse_scopes(row.scopes)
    scopes = allowed if requested_scope is None else parse_scopes(requested_scope)
    unknown = sorted(scopes - set(SCOPES))
    if unknown:
        raise OAuthError("invalid_scope", f"Unknown scope: {', '.join(unknown)}.")
    if not scopes or not (scopes <= allowed or "admin" in allowed):
        raise OAuthError("invalid_scope", "The requested scope exceeds the client's scopes.")
    async with services.database.transaction() as db:
        token = await _store_refresh_token(db, services, row.id, uuid.uuid4().hex, scopes)
    return _grant(services, row, scopes, token)


async def refresh(services: Services, refresh_token: str, client_ip: str | None) -> Grant:
    """Rotate a refresh token: the old one is spent, a reused one revokes its family.

    Spending the old token and storing its successor is one transaction, so a concurrent
    reuse either sees neither or revokes both.
    """
    invalid = OAuthError("invalid_grant", "The refresh token is invalid, expired or revoked.")
    now = utcnow()
    token_hash = digest(refresh_token)
    row = None
    async with services.database.transaction() as db:
        spent = (
            await db.execute(
                update(refresh_tokens)
                .where(
                    refresh_tokens.c.token_hash == token_hash,
                    refresh_tokens.c.used_at.is_(None),
                    refresh_tokens.c.revoked_at.is_(None),
                    refresh_tokens.c.expires_at > now,
                )
                .values(used_at=now)
                .returning(
                    refresh_tokens.c.family, refresh_tokens.c.api_key_id, refresh_tokens.c.scopes
                )
            )
        ).first()
        if spent is not None:
            row = (
                await db.execute(select(api_keys).where(api_keys.c.id == spent.api_key_id))
            ).first()
            if row is not None and _active(row) and _ip_allowed(row.allowed_ips, client_ip):
                # The grant keeps its scopes (RFC 6749 §6), never more than the key has now.
                key_scopes = parse_scopes(row.scopes)
                granted = parse_scopes(spent.scopes)
                scopes = granted if "admin" in key_scopes else granted & key_scopes
                token = await _store_refresh_token(db, services, row.id, spent.family, scopes)
            else:
                row = None
        else:
            reused = (
                await db.execute(
                    select(refresh_tokens.c.family).where(
                        refresh_tokens.c.token_hash == token_hash,
                        refresh_tokens.c.used_at.is_not(None),
                    )
                )
            ).first()
            if reused is not None:
                await db.execute(
                    update(refresh_tokens)
                    .where(refresh_tokens.c.family == reused.family)
                    .values(revoked_at=now)
                )
    if row is None:
        raise invalid
    return _grant(services, row, scopes, token)

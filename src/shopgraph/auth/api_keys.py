"""API keys: created by an admin, shown once, stored only as a hash.

A key reads `sg_<prefix>_<secret>`: the prefix finds the row (and makes keys easy to
recognise in logs and secret scanners), the SHA-256 of the whole key is compared in
constant time. The secret has 190 random bits, so a fast hash is as safe as a slow one
and costs microseconds per request; nothing stored can be turned back into a key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from .. import ids
from ..db.engine import Database
from ..db.models import api_keys, utcnow
from ..errors import FieldError, Forbidden, NotFound, Unauthenticated, ValidationFailed
from ..versioning import CURRENT, parse_version
from .principal import SCOPES, Principal, parse_scopes

log = structlog.get_logger("shopgraph.auth")

ALPHABET = string.ascii_letters + string.digits
TIERS = ("free", "standard", "enterprise")
LAST_USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """A key as admins see it: never the secret."""

    id: str
    name: str
    prefix: str
    scopes: list[str]
    tier: str
    allowed_ips: list[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime
    api_version: str  # the dated REST version it is pinned to (docs/versioning.md)


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _info(row: Any) -> ApiKeyInfo:
    return ApiKeyInfo(
        id=ids.encode("ApiKey", row.id),
        name=row.name,
        prefix=row.prefix,
        scopes=sorted(parse_scopes(row.scopes)),
        tier=row.tier,
        allowed_ips=(row.allowed_ips or "").split(),
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        created_at=row.created_at,
        api_version=row.api_version,
    )


def _check(name: str, scopes: list[str], tier: str, allowed_ips: list[str]) -> list[str]:
    errors = []
    if not 1 <= len(name.strip()) <= 200:
        errors.append(FieldError("name", "INVALID", "1 to 200 characters."))
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        errors.append(FieldError("scopes", "INVALID", f"Known scopes: {', '.join(SCOPES)}."))
    if tier not in TIERS:
        errors.append(FieldError("tier", "INVALID", f"One of: {', '.join(TIERS)}."))
    networks = []
    for index, cidr in enumerate(allowed_ips):
        try:
            networks.append(str(ipaddress.ip_network(cidr, strict=False)))
        except ValueError:
            errors.append(FieldError(f"allowed_ips.{index}", "INVALID", "Not an IP network."))
    if errors:
        raise ValidationFailed("The API key settings are invalid.", errors=errors)
    return networks


async def insert_api_key(
    db: AsyncConnection,
    *,
    name: str,
    scopes: list[str],
    tier: str = "standard",
    allowed_ips: list[str] | None = None,
    expires_in: timedelta | None = None,
    api_version: str | None = None,
) -> tuple[ApiKeyInfo, str]:
    """A new key, in the caller's transaction: its description, and the key itself,
    which is never available again. It is pinned to `api_version`, the current version by
    default."""
    networks = _check(name, scopes, tier, allowed_ips or [])
    version = CURRENT if api_version is None else parse_version(api_version, "api_version")
    prefix, secret = _random(8), _random(32)
    key = f"sg_{prefix}_{secret}"
    now = utcnow()
    row = (
        await db.execute(
            insert(api_keys)
            .values(
                prefix=prefix,
                secret_hash=digest(key),
                name=name.strip(),
                scopes=" ".join(sorted(set(scopes))),
                tier=tier,
                allowed_ips=" ".join(networks) or None,
                expires_at=now + expires_in if expires_in else None,
                created_at=now,
                api_version=version,
            )
            .returning(api_keys)
        )
    ).one()
    return _info(row), key


async def create_api_key(database: Database, **settings: Any) -> tuple[ApiKeyInfo, str]:
    """`insert_api_key` in a transaction of its own (the CLI's way in)."""
    async with database.transaction() as db:
        return await insert_api_key(db, **settings)


async def list_api_keys(database: Database) -> list[ApiKeyInfo]:
    async with database.connect() as db:
        rows = await db.execute(select(api_keys).order_by(api_keys.c.id))
        return [_info(row) for row in rows]


async def mark_revoked(db: AsyncConnection, key_id: str) -> ApiKeyInfo:
    """Revoke in the caller's transaction (again: nothing changes, it keeps the first
    revocation's time); NOT_FOUND for an unknown id."""
    pk = ids.decode("ApiKey", key_id)
    row = (
        await db.execute(
            update(api_keys)
            .where(api_keys.c.id == (pk or 0))
            .values(revoked_at=func.coalesce(api_keys.c.revoked_at, utcnow()))
            .returning(api_keys)
        )
    ).first()
    if row is None:
        raise NotFound(f"No API key with id `{key_id}`.")
    return _info(row)


async def revoke_api_key(database: Database, key_id: str) -> ApiKeyInfo:
    async with database.transaction() as db:
        return await mark_revoked(db, key_id)


async def pin_version(db: AsyncConnection, key_id: str, api_version: str) -> ApiKeyInfo:
    """Pin the key to another dated version, in the caller's transaction; its requests are
    answered in it from the next one on."""
    version = parse_version(api_version, "api_version")
    pk = ids.decode("ApiKey", key_id)
    row = (
        await db.execute(
            update(api_keys)
            .where(api_keys.c.id == (pk or 0))
            .values(api_version=version)
            .returning(api_keys)
        )
    ).first()
    if row is None:
        raise NotFound(f"No API key with id `{key_id}`.")
    return _info(row)


async def set_key_version(database: Database, key_id: str, api_version: str) -> ApiKeyInfo:
    async with database.transaction() as db:
        return await pin_version(db, key_id, api_version)


def _ip_allowed(allowed: str | None, client_ip: str | None) -> bool:
    if not allowed:
        return True
    if client_ip is None:
        return False
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    return any(address in ipaddress.ip_network(cidr) for cidr in allowed.split())


async def _note_use(database: Database, pk: int, now: datetime) -> None:
    """Record the key's last use; bookkeeping that must never fail the request itself."""
    try:
        async with database.transaction() as db:
            await db.execute(update(api_keys).where(api_keys.c.id == pk).values(last_used_at=now))
    except DBAPIError:
        log.warning("api_key.last_used_not_recorded", exc_info=True)


async def verify_api_key(database: Database, key: str, client_ip: str | None) -> Principal:
    """The key's principal; UNAUTHENTICATED if unknown, revoked or expired, FORBIDDEN by IP."""
    parts = key.split("_")
    invalid = Unauthenticated("The API key is not valid.", extra={"error": "invalid_token"})
    if len(parts) != 3 or parts[0] != "sg" or len(parts[1]) != 8:
        raise invalid
    async with database.connect() as db:
        row = (await db.execute(select(api_keys).where(api_keys.c.prefix == parts[1]))).first()
        if row is None or not hmac.compare_digest(row.secret_hash, digest(key)):
            raise invalid
        now = utcnow()
        if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
            raise invalid
        if not _ip_allowed(row.allowed_ips, client_ip):
            raise Forbidden("This API key may not be used from this address.")
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_EVERY:
        await _note_use(database, row.id, now)
    return Principal(
        kind="api_key",
        id=ids.encode("ApiKey", row.id),
        scopes=parse_scopes(row.scopes),
        tier=row.tier,
        api_version=row.api_version,
    )

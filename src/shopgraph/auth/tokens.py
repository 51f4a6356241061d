"""Short-lived signed access tokens (JWT, HS256 with a key derived from the secret key).

Symmetric signing keeps verification a local computation in every process; nothing
outside the server verifies these tokens, so there are no public keys to publish.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from ..errors import Unauthenticated
from .principal import Principal, parse_scopes

ISSUER = "shopgraph"
ALGORITHM = "HS256"


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"shopgraph-jwt:" + secret.encode()).digest()


# Tokens already verified, with when they expire: verifying is a pure function of the token,
# the key and the time, so a token seen again needs only its expiry checked (~30 us saved).
_VERIFIED: dict[tuple[str, str], tuple[Principal, datetime, float]] = {}
VERIFIED_KEPT = 10_000


def issue(secret: str, principal: Principal, ttl: timedelta) -> str:
    """An access token carrying `principal`, valid for `ttl`."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": ISSUER,
        "sub": principal.id,
        "kind": principal.kind,
        "scope": " ".join(sorted(principal.scopes)),
        "tier": principal.tier,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    if principal.customer_pk is not None:
        claims["cus"] = principal.customer_pk
    if principal.api_version is not None:
        claims["ver"] = principal.api_version  # the client's key's pinned REST version
    return jwt.encode(claims, _key(secret), algorithm=ALGORITHM)


def verify(secret: str, token: str) -> Principal:
    """The principal a valid token carries; UNAUTHENTICATED for anything else."""
    return verify_issued(secret, token)[0]


def verify_issued(secret: str, token: str) -> tuple[Principal, datetime]:
    """The principal a valid token carries and when the token was issued."""
    known = _VERIFIED.get((secret, token))
    if known is not None:
        principal, issued_at, expires = known
        if time.time() < expires:
            return principal, issued_at
        del _VERIFIED[(secret, token)]
    principal, issued_at, expires = _verify(secret, token)
    if len(_VERIFIED) >= VERIFIED_KEPT:
        _VERIFIED.clear()
    _VERIFIED[(secret, token)] = (principal, issued_at, expires)
    return principal, issued_at


def _verify(secret: str, token: str) -> tuple[Principal, datetime, float]:
    try:
        claims = jwt.decode(
            token,
            _key(secret),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated(
            "The access token has expired.", extra={"error": "invalid_token"}
        ) from None
    except jwt.PyJWTError:
        raise Unauthenticated(
            "The access token is not valid.", extra={"error": "invalid_token"}
        ) from None
    customer = claims.get("cus")
    version = claims.get("ver")
    principal = Principal(
        kind=str(claims.get("kind", "oauth_client")),
        id=str(claims["sub"]),
        scopes=parse_scopes(str(claims.get("scope", ""))),
        tier=str(claims.get("tier", "standard")),
        customer_pk=customer if isinstance(customer, int) else None,
        api_version=version if isinstance(version, str) else None,
    )
    return principal, datetime.fromtimestamp(int(claims["iat"]), UTC), float(claims["exp"])

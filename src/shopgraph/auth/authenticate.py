"""From an `Authorization` header to a principal: API keys and access tokens."""

from __future__ import annotations

from ..context import Services
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
    return tokens.verify(services.settings.secret_key, token)

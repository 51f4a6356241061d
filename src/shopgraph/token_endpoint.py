"""`POST /oauth/token` (RFC 6749): client_credentials and refresh_token grants.

Form-encoded in, JSON out, errors as RFC 6749 §5.2 objects (`error`,
`error_description`). Clients authenticate with HTTP Basic or with `client_id` and
`client_secret` in the form. Every request costs the client's address a token of the
anonymous tier; an address out of tokens gets 429 `too_many_requests` with `Retry-After`.
"""

from __future__ import annotations

import base64
import binascii
import math
from urllib.parse import parse_qs, unquote

import orjson
from starlette.requests import Request
from starlette.responses import Response

from .auth.oauth import Grant, OAuthError, client_credentials, refresh
from .errors import ServiceUnavailable
from .web import services_of

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_FORM_BYTES = 8192


def _error(error: OAuthError, basic: bool) -> Response:
    headers = dict(NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = (
            'Basic realm="shopgraph"' if basic else 'Bearer realm="shopgraph"'
        )
    body = orjson.dumps({"error": error.error, "error_description": error.description})
    return Response(body, error.status, headers=headers, media_type="application/json")


async def _throttled(request: Request) -> Response | None:
    """Every token request costs its address a token of the anonymous tier (no guessing)."""
    limiter = services_of(request).rate_limiter
    if limiter is None:
        return None
    try:
        decision = await limiter.take_for_address(request.client.host if request.client else None)
    except ServiceUnavailable:
        return None
    if decision.allowed:
        return None
    wait = max(1, math.ceil(decision.retry_after))
    body = orjson.dumps({"error": "too_many_requests", "error_description": f"Retry in {wait} s."})
    headers = {**NO_STORE, "Retry-After": str(wait)}
    return Response(body, 429, headers=headers, media_type="application/json")


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401) from None
    return unquote(client_id), unquote(secret)


async def _form(request: Request) -> dict[str, str]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "Send the form as application/x-www-form-urlencoded.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise OAuthError("invalid_request", "The form is too large.")
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    if any(len(values) > 1 for values in fields.values()):
        raise OAuthError("invalid_request", "A parameter is repeated.")
    return {name: values[0] for name, values in fields.items()}


async def token(request: Request) -> Response:
    basic = request.headers.get("authorization", "").lower().startswith("basic ")
    throttled = await _throttled(request)
    if throttled is not None:
        return throttled
    try:
        credentials = _basic(request)
        form = await _form(request)
        client_ip = request.client.host if request.client else None
        services = services_of(request)
        grant_type = form.get("grant_type")
        grant: Grant
        if grant_type == "client_credentials":
            client_id, secret = credentials or (
                form.get("client_id", ""),
                form.get("client_secret", ""),
            )
            if not client_id or not secret:
                raise OAuthError("invalid_client", "Client credentials are missing.", 401)
            grant = await client_credentials(
                services, client_id, secret, form.get("scope"), client_ip
            )
        elif grant_type == "refresh_token":
            if not form.get("refresh_token"):
                raise OAuthError("invalid_request", "`refresh_token` is missing.")
            grant = await refresh(services, form["refresh_token"], client_ip)
        elif grant_type is None:
            raise OAuthError("invalid_request", "`grant_type` is missing.")
        else:
            raise OAuthError("unsupported_grant_type", f"`{grant_type}` is not supported.")
    except OAuthError as error:
        return _error(error, basic)
    body = {
        "access_token": grant.access_token,
        "token_type": "Bearer",
        "expires_in": grant.expires_in,
        "refresh_token": grant.refresh_token,
        "scope": grant.scope,
    }
    return Response(orjson.dumps(body), 200, headers=NO_STORE, media_type="application/json")

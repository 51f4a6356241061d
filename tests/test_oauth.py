"""`POST /oauth/token` (RFC 6749): client credentials, refresh-token rotation, reuse detection.

A client is an API key: its id is the `client_id`, the key the `client_secret`. Errors are
RFC 6749 §5.2 objects; every answer carries `Cache-Control: no-store`.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from shopgraph.auth import tokens
from shopgraph.context import Services
from shopgraph.settings import Settings

from .conftest import signing_key
from .test_access import SURFACES, assert_graphql_error, assert_problem, auth, graphql, new_key

TOKEN = "/oauth/token"
SCOPES = ("orders:read", "products:write")


def basic(client_id: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    assert body["error"] == error
    assert body["error_description"]
    return body


def assert_grant(response: httpx.Response, settings: Settings) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body: dict[str, Any] = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_minutes * 60
    assert body["access_token"]
    assert body["refresh_token"].startswith("sgr_")
    return body


@pytest.fixture
async def oauth_client(services: Services) -> tuple[str, str]:
    """A key with two scopes, used as an OAuth client: (client_id, client_secret)."""
    return await new_key(services, *SCOPES)


async def grant(
    http: httpx.AsyncClient, client: tuple[str, str], scope: str | None = None
) -> httpx.Response:
    form = {"grant_type": "client_credentials", "client_id": client[0], "client_secret": client[1]}
    if scope is not None:
        form["scope"] = scope
    return await http.post(TOKEN, data=form)


async def refresh(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


# --- client credentials ----------------------------------------------------------------


@pytest.mark.parametrize("authentication", ["basic", "form"])
async def test_client_credentials(
    authentication: str,
    anonymous: httpx.AsyncClient,
    oauth_client: tuple[str, str],
    settings: Settings,
) -> None:
    client_id, secret = oauth_client
    if authentication == "basic":
        response = await anonymous.post(
            TOKEN, data={"grant_type": "client_credentials"}, headers=basic(client_id, secret)
        )
    else:
        response = await grant(anonymous, oauth_client)
    body = assert_grant(response, settings)
    assert body["scope"] == " ".join(sorted(SCOPES))
    principal = tokens.verify(signing_key(settings), body["access_token"])
    assert principal.kind == "oauth_client"
    assert principal.id == client_id
    assert principal.scopes == frozenset(SCOPES)
    assert secret not in body["access_token"]


@pytest.mark.parametrize("surface", SURFACES)
async def test_the_access_token_carries_the_granted_scopes(
    surface: str, anonymous: httpx.AsyncClient, oauth_client: tuple[str, str], settings: Settings
) -> None:
    full = auth(assert_grant(await grant(anonymous, oauth_client), settings)["access_token"])
    narrow = assert_grant(await grant(anonymous, oauth_client, "orders:read"), settings)
    assert narrow["scope"] == "orders:read"
    narrowed = auth(narrow["access_token"])
    if surface == "rest":
        for headers in (full, narrowed):
            listed = await anonymous.get("/v1/orders", params={"limit": 1}, headers=headers)
            assert listed.status_code == 200, listed.text
        customers = await anonymous.get("/v1/customers", headers=full)
        assert_problem(customers, 403, "FORBIDDEN")
        create = {"name": "OAuth category, refused"}
        refused = await anonymous.post("/v1/categories", json=create, headers=narrowed)
        assert_problem(refused, 403, "FORBIDDEN")
    else:
        for headers in (full, narrowed):
            listed = await graphql(anonymous, "{ orders(first: 1) { nodes { id } } }", headers)
            assert listed.status_code == 200, listed.text
            assert "errors" not in listed.json()
        customers = await graphql(anonymous, "{ customers(first: 1) { nodes { id } } }", full)
        assert_graphql_error(customers, "FORBIDDEN", ["customers"])
        refused = await graphql(
            anonymous,
            'mutation { createCategory(input: {name: "OAuth category, refused"}) '
            "{ category { id } } }",
            narrowed,
        )
        assert_graphql_error(refused, "FORBIDDEN", ["createCategory"])


@pytest.mark.parametrize("scope", ["orders:read customers:read", "admin", "bogus", ""])
async def test_a_scope_beyond_the_keys_is_invalid_scope(
    scope: str, anonymous: httpx.AsyncClient, oauth_client: tuple[str, str]
) -> None:
    assert_oauth_error(await grant(anonymous, oauth_client, scope), 400, "invalid_scope")


async def test_an_admin_client_may_ask_for_any_scope(
    anonymous: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    admin = await new_key(services, "admin")
    body = assert_grant(await grant(anonymous, admin, "customers:read"), settings)
    assert body["scope"] == "customers:read"
    principal = tokens.verify(signing_key(settings), body["access_token"])
    assert principal.scopes == frozenset({"customers:read"})


async def test_bad_client_credentials_are_invalid_client(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient, services: Services
) -> None:
    client_id, secret = await new_key(services, "orders:read")
    wrong = await anonymous.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic(client_id, secret + "x")
    )
    assert_oauth_error(wrong, 401, "invalid_client")
    assert wrong.headers["www-authenticate"] == 'Basic realm="shopgraph"'
    for form in (
        {"client_id": client_id, "client_secret": "sg_wrong_secret"},
        {"client_id": client_id, "client_secret": ""},
        {"client_id": "key_unknown", "client_secret": secret},
        {"client_id": client_id},
        {},
    ):
        response = await anonymous.post(TOKEN, data={"grant_type": "client_credentials", **form})
        assert_oauth_error(response, 401, "invalid_client")
        assert response.headers["www-authenticate"]
    # A revoked key is no client either.
    assert (await client.post(f"/v1/api-keys/{client_id}/revoke")).status_code == 200
    revoked = await grant(anonymous, (client_id, secret))
    assert revoked.json() == wrong.json()


async def test_a_client_is_refused_outside_its_allowed_networks(
    anonymous: httpx.AsyncClient, app: Starlette, services: Services, settings: Settings
) -> None:
    restricted = await new_key(services, "orders:read", allowed_ips=["10.0.0.0/8"])
    assert_oauth_error(await grant(anonymous, restricted), 401, "invalid_client")
    transport = httpx.ASGITransport(app=app, client=("10.9.8.7", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as inside:
        body = assert_grant(await grant(inside, restricted), settings)
        # Refreshing from outside the allowlist fails too.
        assert_oauth_error(await refresh(anonymous, body["refresh_token"]), 400, "invalid_grant")


async def test_malformed_basic_credentials_are_challenged_with_basic(
    anonymous: httpx.AsyncClient,
) -> None:
    """RFC 6749 §5.2: a client that authenticated with an `Authorization` scheme gets a 401
    challenge in that scheme. Fails today: `token_endpoint.py::token` sets `basic` only after
    `_basic` returns, so malformed Basic credentials are answered with a *Bearer* challenge."""
    response = await anonymous.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic !!"}
    )
    assert_oauth_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"] == 'Basic realm="shopgraph"'


# --- malformed requests ----------------------------------------------------------------


async def test_malformed_token_requests(
    anonymous: httpx.AsyncClient, oauth_client: tuple[str, str]
) -> None:
    client_id, secret = oauth_client
    credentials = {"client_id": client_id, "client_secret": secret}
    unsupported = await anonymous.post(TOKEN, data={"grant_type": "password", **credentials})
    assert_oauth_error(unsupported, 400, "unsupported_grant_type")
    for response in (
        await anonymous.post(TOKEN, data=credentials),  # no grant_type
        await anonymous.post(TOKEN, json={"grant_type": "client_credentials", **credentials}),
        await anonymous.post(TOKEN),  # no body at all
        await anonymous.post(TOKEN, data={"grant_type": "refresh_token"}),  # no refresh_token
        await anonymous.post(
            TOKEN,
            content=f"grant_type=client_credentials&grant_type=password&client_id={client_id}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ):
        assert_oauth_error(response, 400, "invalid_request")
    # The endpoint is POST only.
    assert (await anonymous.get(TOKEN)).status_code == 405


# --- refresh tokens: rotation and reuse detection --------------------------------------


async def test_a_refresh_token_rotates(
    anonymous: httpx.AsyncClient, oauth_client: tuple[str, str], settings: Settings
) -> None:
    first = assert_grant(await grant(anonymous, oauth_client), settings)
    second = assert_grant(await refresh(anonymous, first["refresh_token"]), settings)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    orders = await anonymous.get("/v1/orders", headers=auth(second["access_token"]))
    assert orders.status_code == 200, orders.text
    # The new refresh token works once...
    third = assert_grant(await refresh(anonymous, second["refresh_token"]), settings)
    # ...and a spent one never again.
    assert_oauth_error(await refresh(anonymous, second["refresh_token"]), 400, "invalid_grant")
    assert_oauth_error(await refresh(anonymous, "sgr_never-issued"), 400, "invalid_grant")
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


async def test_reusing_a_rotated_refresh_token_revokes_the_family(
    anonymous: httpx.AsyncClient, oauth_client: tuple[str, str], settings: Settings
) -> None:
    first = assert_grant(await grant(anonymous, oauth_client), settings)
    second = assert_grant(await refresh(anonymous, first["refresh_token"]), settings)
    newest = assert_grant(await refresh(anonymous, second["refresh_token"]), settings)
    # Someone replays the very first token: it leaked, so its whole family dies...
    assert_oauth_error(await refresh(anonymous, first["refresh_token"]), 400, "invalid_grant")
    # ...including the newest token, which was never used.
    assert_oauth_error(await refresh(anonymous, newest["refresh_token"]), 400, "invalid_grant")
    # Other families of the same client are unaffected.
    other = assert_grant(await grant(anonymous, oauth_client), settings)
    assert_grant(await refresh(anonymous, other["refresh_token"]), settings)


async def test_refreshing_after_the_key_is_revoked_fails(
    anonymous: httpx.AsyncClient,
    client: httpx.AsyncClient,
    oauth_client: tuple[str, str],
    settings: Settings,
) -> None:
    body = assert_grant(await grant(anonymous, oauth_client), settings)
    assert (await client.post(f"/v1/api-keys/{oauth_client[0]}/revoke")).status_code == 200
    assert_oauth_error(await refresh(anonymous, body["refresh_token"]), 400, "invalid_grant")


async def test_a_refresh_keeps_the_granted_scope(
    anonymous: httpx.AsyncClient, oauth_client: tuple[str, str], settings: Settings
) -> None:
    """RFC 6749 §6: a refresh grants at most the scope originally granted. Fails today:
    `auth/oauth.py::refresh` issues the key's full scopes (`parse_scopes(row.scopes)`), and
    `refresh_tokens` stores no scope, so a token narrowed to orders:read widens on refresh."""
    narrow = assert_grant(await grant(anonymous, oauth_client, "orders:read"), settings)
    refreshed = assert_grant(await refresh(anonymous, narrow["refresh_token"]), settings)
    assert refreshed["scope"] == "orders:read"
    principal = tokens.verify(signing_key(settings), refreshed["access_token"])
    assert principal.scopes == frozenset({"orders:read"})


async def test_concurrent_refreshes_with_one_token(
    anonymous: httpx.AsyncClient, oauth_client: tuple[str, str], settings: Settings
) -> None:
    """Ten refreshes at once with one token: exactly one wins; the nine others are reuse,
    which revokes the family, so even the winner's new refresh token is dead."""
    body = assert_grant(await grant(anonymous, oauth_client), settings)
    responses = await asyncio.gather(
        *(refresh(anonymous, body["refresh_token"]) for _ in range(10))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [400] * 9, [response.text for response in responses]
    (winner,) = [assert_grant(r, settings) for r in responses if r.status_code == 200]
    for response in responses:
        if response.status_code == 400:
            assert_oauth_error(response, 400, "invalid_grant")
    assert_oauth_error(await refresh(anonymous, winner["refresh_token"]), 400, "invalid_grant")


async def test_unknown_scopes_are_refused(anonymous: httpx.AsyncClient, services: Services) -> None:
    """Issue 9.4: an admin key could be granted made-up scope names."""
    admin = await new_key(services, "admin")
    response = await grant(anonymous, admin, "orders:read bogus:everything")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert "bogus:everything" in response.json()["error_description"]

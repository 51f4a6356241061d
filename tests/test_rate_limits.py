"""Token buckets on both backends: refill, exact headers, 429 with a Retry-After that works."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from redis.asyncio import Redis

from shopgraph.app import create_app
from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.ratelimit import MemoryBuckets, Policy, RedisBuckets
from shopgraph.settings import Settings

from .conftest import bearer
from .test_access import new_key

REDIS_URL = os.environ.get("SHOPGRAPH_TEST_REDIS_URL")
BACKENDS = [
    "memory",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(
            not REDIS_URL, reason="set SHOPGRAPH_TEST_REDIS_URL to test Redis"
        ),
    ),
]
TIERS: dict[str, tuple[int, float]] = {"anonymous": (5, 1.0), "standard": (3, 0.5)}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_bucket_refills_at_its_rate() -> None:
    clock = FakeClock()
    buckets = MemoryBuckets(clock)
    policy = Policy("t", capacity=4, refill_per_second=2.0)
    decisions = [await buckets.take("k", 1, policy) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True] * 4 + [False]
    assert decisions[-1].retry_after == pytest.approx(0.5)
    clock.now += 0.5  # one token back
    assert (await buckets.take("k", 1, policy)).allowed
    assert not (await buckets.take("k", 1, policy)).allowed
    clock.now += 60  # never beyond capacity
    assert (await buckets.take("k", 0, policy)).remaining == 4
    assert not (await buckets.take("k", 5, policy)).allowed  # more than it can ever hold


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """This run's own key prefix; only its keys are deleted afterwards."""
    prefix = f"shopgraph-test-{uuid.uuid4().hex[:8]}:"
    yield prefix
    if REDIS_URL:
        client = Redis.from_url(REDIS_URL)
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@asynccontextmanager
async def client_of(
    database_url: str, redis_prefix: str, backend: str, tiers: dict[str, tuple[int, float]]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with rate limits on `backend`, from an address of its own."""
    settings = Settings(
        database_url=database_url,
        secret_key="test-secret",
        rate_limit=backend,
        rate_limit_tiers=tiers,
        redis_url=REDIS_URL if backend == "redis" else None,
        redis_prefix=redis_prefix,
    )
    app = create_app(settings, migrate=False)
    services = Services(settings)
    app.state.services = services
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1"
    transport = httpx.ASGITransport(app=app, client=(address, 1))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await services.close()


@pytest.fixture
async def limited(
    request: pytest.FixtureRequest, database_url: str, redis_prefix: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(database_url, redis_prefix, request.param, TIERS) as http:
        yield http


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_headers_are_exact(limited: httpx.AsyncClient) -> None:
    response = await limited.get("/v1/products", params={"limit": 1})
    assert response.status_code == 200
    assert response.headers["ratelimit-policy"] == '"anonymous";q=5;w=5'
    assert response.headers["ratelimit"] == '"anonymous";r=4;t=1'
    assert response.headers["x-ratelimit-limit"] == "5"
    assert response.headers["x-ratelimit-remaining"] == "4"
    assert int(response.headers["x-ratelimit-reset"]) > 0


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_a_burst_beyond_capacity_gets_429_and_retry_after_is_honoured(
    limited: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(*(limited.get("/v1/categories") for _ in range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 5 + [429] * 3
    refused = next(r for r in responses if r.status_code == 429)
    body: dict[str, Any] = refused.json()
    assert body["code"] == "RATE_LIMITED"
    assert refused.headers["content-type"] == "application/problem+json"
    wait = int(refused.headers["retry-after"])
    assert 1 <= wait <= 2
    assert refused.headers["x-ratelimit-remaining"] == "0"
    await asyncio.sleep(wait)
    assert (await limited.get("/v1/categories")).status_code == 200


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_each_principal_has_its_own_bucket_by_tier(
    limited: httpx.AsyncClient, settings: Settings
) -> None:
    one = bearer(
        settings,
        Principal(
            kind="api_key", id="key_one", scopes=frozenset({"products:read"}), tier="standard"
        ),
    )
    two = bearer(
        settings,
        Principal(
            kind="api_key", id="key_two", scopes=frozenset({"products:read"}), tier="standard"
        ),
    )
    first = [await limited.get("/v1/categories", headers=one) for _ in range(4)]
    assert [r.status_code for r in first] == [200, 200, 200, 429]
    assert first[0].headers["ratelimit-policy"] == '"standard";q=3;w=6'
    assert (await limited.get("/v1/categories", headers=two)).status_code == 200
    # Anonymous callers from this address are a third bucket.
    assert (await limited.get("/v1/categories")).status_code == 200


@pytest.mark.parametrize("fail_open", [True, False])
async def test_an_unreachable_redis_never_crashes_or_hangs(
    database_url: str, fail_open: bool, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key="test-secret",
        rate_limit="redis",
        redis_url="redis://127.0.0.1:1/0",  # nothing listens there
        rate_limit_fail_open=fail_open,
        rate_limit_tiers=TIERS,
    )
    app = create_app(settings, migrate=False)
    logging.getLogger().addHandler(caplog.handler)  # create_app set the handlers anew
    services = Services(settings)
    app.state.services = services
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            with caplog.at_level(logging.WARNING, logger="shopgraph.ratelimit"):
                responses = [await http.get("/v1/categories") for _ in range(7)]
    finally:
        await services.close()
    limiter = services.rate_limiter
    assert limiter is not None
    assert isinstance(limiter.backend, RedisBuckets)
    assert limiter.backend.fallbacks == 7
    mode = "fail-open" if fail_open else "fail-closed"
    exposed = (await _metrics(app)).splitlines()
    counted = next(
        line
        for line in exposed
        if line.startswith(f'shopgraph_rate_limit_fallbacks_total{{mode="{mode}"}}')
    )
    assert float(counted.split()[-1]) >= 7
    if fail_open:
        assert [r.status_code for r in responses] == [200] * 7
    else:
        assert [r.status_code for r in responses] == [503] * 7
        assert responses[0].json()["code"] == "SERVICE_UNAVAILABLE"
        assert responses[0].headers["retry-after"] == "1"  # issue 9.9
    # One warning for the outage, not one per request (issue 9.9).
    warned = [
        r.msg
        for r in caplog.records
        if isinstance(r.msg, dict) and r.msg.get("event") == "ratelimit.redis_unavailable"
    ]
    assert len(warned) == 1, warned


async def test_graphql_and_operations_are_not_counted_here(
    database_url: str,
) -> None:
    """REST buckets only; GraphQL is priced by query cost (docs/api.md)."""
    settings = Settings(
        database_url=database_url, secret_key="x", rate_limit="memory", rate_limit_tiers=TIERS
    )
    app = create_app(settings, migrate=False)
    app.state.services = services = Services(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        for _ in range(8):
            assert (await http.get("/healthz")).status_code == 200
            response = await http.post("/graphql", json={"query": "{ __typename }"})
            assert response.status_code == 200
            assert "ratelimit" not in response.headers
    await services.close()


GRAPHQL_TIERS: dict[str, tuple[int, float]] = {"anonymous": (20, 1.0)}


@pytest.fixture
async def graphql_limited(
    request: pytest.FixtureRequest, database_url: str, redis_prefix: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(database_url, redis_prefix, request.param, GRAPHQL_TIERS) as http:
        yield http


@pytest.mark.parametrize("graphql_limited", BACKENDS, indirect=True)
async def test_graphql_is_charged_its_cost_and_refunded_the_unused(
    graphql_limited: httpx.AsyncClient,
) -> None:
    query = "query($s: String) { products(first: 10, filter: {search: $s}) { nodes { id } } }"
    # requested 1 + 10; nothing matches, so the actual cost is 1 and 10 come back
    empty = (
        await graphql_limited.post(
            "/graphql", json={"query": query, "variables": {"s": "zzz-none"}}
        )
    ).json()
    cost = empty["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 11
    assert cost["actualQueryCost"] == 1
    assert cost["throttleStatus"]["maximumAvailable"] == 20
    assert cost["throttleStatus"]["restoreRate"] == 1.0
    assert 18 <= cost["throttleStatus"]["currentlyAvailable"] <= 20
    # full pages cost their full price (11 each, 20 in the bucket): the third is throttled
    full = [
        (await graphql_limited.post("/graphql", json={"query": query, "variables": {}}))
        for _ in range(3)
    ]
    bodies = [r.json() for r in full]
    assert [b["extensions"]["cost"]["actualQueryCost"] for b in bodies[:1]] == [11]
    throttled = full[-1]
    assert throttled.status_code == 200
    error = bodies[-1]["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "data" not in bodies[-1]
    assert int(throttled.headers["retry-after"]) >= 1


@pytest.mark.parametrize("graphql_limited", BACKENDS, indirect=True)
async def test_a_query_beyond_the_bucket_is_too_complex_not_throttled(
    graphql_limited: httpx.AsyncClient,
) -> None:
    query = "{ products(first: 30) { nodes { id } } }"
    body = (await graphql_limited.post("/graphql", json={"query": query})).json()
    assert body["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "cost": 31,
        "maximum": 20,
    }


async def _metrics(app: Any) -> str:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        response = await http.get("/metrics")
        assert response.status_code == 200
        return response.text


@pytest.mark.parametrize("fail_open", [True, False])
async def test_readyz_reports_redis(database_url: str, fail_open: bool) -> None:
    """Issue 9.9: fail-open serves on without Redis, so it must not fail readiness."""
    settings = Settings(
        database_url=database_url,
        secret_key="x",
        rate_limit="redis",
        redis_url="redis://127.0.0.1:1/0",
        rate_limit_fail_open=fail_open,
    )
    app = create_app(settings, migrate=False)
    app.state.services = services = Services(settings)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            response = await http.get("/readyz")
    finally:
        await services.close()
    if fail_open:
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "database": "up",
            "redis": "down",
            "degraded": "rate limits are not enforced until Redis is back",
        }
    else:
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "up", "redis": "down"}


@pytest.mark.parametrize("graphql_limited", BACKENDS, indirect=True)
async def test_introspection_costs_at_most_a_full_bucket_and_its_answer_is_kept(
    graphql_limited: httpx.AsyncClient,
) -> None:
    """Issue 9.2: introspection was free; priced, an anonymous GraphiQL can still load it."""
    query = get_introspection_query(descriptions=True)
    first = (await graphql_limited.post("/graphql", json={"query": query})).json()
    assert "errors" not in first, first["errors"]
    cost = first["extensions"]["cost"]
    assert cost["requestedQueryCost"] > 1000
    assert cost["throttleStatus"]["currentlyAvailable"] == 0  # the whole bucket of 20
    throttled = (await graphql_limited.post("/graphql", json={"query": query})).json()
    assert throttled["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    await asyncio.sleep(1.2)  # one token back
    again = (await graphql_limited.post("/graphql", json={"query": query})).json()
    assert again["data"] == first["data"]
    assert again["extensions"]["cost"]["requestedQueryCost"] == 1


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_failed_sign_ins_are_limited_per_address(limited: httpx.AsyncClient) -> None:
    """Issue 9.4: 80 bad credentials got 80 answers; now the address's bucket runs dry."""
    bad = {"Authorization": "Bearer sg_deadbeef_not-a-real-secret"}
    answers = [(await limited.get("/v1/categories", headers=bad)) for _ in range(8)]
    statuses = [r.status_code for r in answers]
    assert statuses[:5] == [401] * 5  # the anonymous bucket holds 5
    assert statuses[5:] == [429] * 3
    assert answers[-1].json()["code"] == "RATE_LIMITED"
    assert int(answers[-1].headers["retry-after"]) >= 1
    graphql = await limited.post("/graphql", json={"query": "{ __typename }"}, headers=bad)
    assert graphql.status_code == 429
    assert graphql.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_token_requests_are_limited_per_address(limited: httpx.AsyncClient) -> None:
    form = {"grant_type": "client_credentials", "client_id": "key_x", "client_secret": "guess"}
    answers = [(await limited.post("/oauth/token", data=form)) for _ in range(7)]
    assert [r.status_code for r in answers] == [401] * 5 + [429] * 2
    assert answers[-1].json()["error"] == "too_many_requests"
    assert int(answers[-1].headers["retry-after"]) >= 1


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_a_key_spends_from_one_bucket_directly_and_through_oauth(
    limited: httpx.AsyncClient, services: Services
) -> None:
    """Issue 9.4: a key used through OAuth had a second bucket of its own."""
    key_id, key = await new_key(services, "products:read", tier="standard")
    direct = {"Authorization": f"Bearer {key}"}
    assert (await limited.get("/v1/categories", headers=direct)).status_code == 200
    token = (
        await limited.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": key_id, "client_secret": key},
        )
    ).json()["access_token"]
    through_oauth = {"Authorization": f"Bearer {token}"}
    answers = [(await limited.get("/v1/categories", headers=through_oauth)) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]  # standard holds 3


@pytest.mark.parametrize("limited", BACKENDS, indirect=True)
async def test_a_customer_token_has_its_issuers_tier(
    limited: httpx.AsyncClient, services: Services, unique: str
) -> None:
    """Issue 9.4: customer tokens always got `standard`, whatever the issuing key's tier."""
    # `free` is not among this app's tiers, so its policy is the anonymous one (5 a burst),
    # where a `standard` customer token would show `"standard"`.
    _, key = await new_key(services, "admin", tier="free")
    issuer = {"Authorization": f"Bearer {key}"}
    customer = await limited.post(
        "/v1/customers", json={"email": f"tier.{unique}@example.com", "name": "T"}, headers=issuer
    )
    token = (
        await limited.post(f"/v1/customers/{customer.json()['id']}/tokens", headers=issuer)
    ).json()["access_token"]
    shown = await limited.get("/v1/categories", headers={"Authorization": f"Bearer {token}"})
    assert shown.headers["ratelimit-policy"].startswith('"anonymous"')

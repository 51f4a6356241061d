"""Body-size limit, security headers and CORS, through the app `create_app` builds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from shopgraph.app import create_app
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade
from shopgraph.middleware.body_limit import BodySizeLimitMiddleware
from shopgraph.middleware.edge import EdgeMiddleware
from shopgraph.middleware.security_headers import API_CSP, DOCS_CSP, GRAPHIQL_CSP
from shopgraph.settings import Settings

MAX_BYTES = 4096
ORIGIN = "https://shop.example"
JSON = {"content-type": "application/json"}
HARDENING = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hardening')}/shopgraph.db"
    upgrade(url)
    return url


@asynccontextmanager
async def serve(
    database_url: str, base_url: str = "http://testserver", **options: Any
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=database_url, secret_key="test-secret", max_body_bytes=MAX_BYTES, **options
    )
    app = create_app(settings, migrate=False)
    services = Services(settings)
    app.state.services = services
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            yield http
    finally:
        await services.close()


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(database_url) as http:
        yield http


@pytest.fixture
async def cors_client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(database_url, cors_origins=[ORIGIN]) as http:
        yield http


async def chunks(*parts: bytes, pulled: list[bytes] | None = None) -> AsyncIterator[bytes]:
    """A request body without Content-Length; `pulled` records what was read of it."""
    for part in parts:
        if pulled is not None:
            pulled.append(part)
        yield part


def assert_payload_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://shopgraph.dev/problems/payload-too-large",
        "title": "Payload too large",
        "status": 413,
        "detail": f"The request body exceeds the limit of {MAX_BYTES} bytes.",
        "code": "PAYLOAD_TOO_LARGE",
        "request_id": response.headers["x-request-id"],
        "errors": [],
    }


async def test_declared_body_over_the_limit_is_refused_and_nothing_written(
    client: httpx.AsyncClient,
) -> None:
    before = (await client.get("/v1/categories")).json()
    body = {"name": "Huge", "description": "x" * (MAX_BYTES * 2)}
    response = await client.post("/v1/categories", json=body, headers={"x-request-id": "big-1"})
    assert_payload_too_large(response)
    assert response.json()["request_id"] == "big-1"
    assert (await client.get("/v1/categories")).json() == before


async def test_chunked_body_over_the_limit_is_cut_off(client: httpx.AsyncClient) -> None:
    before = (await client.get("/v1/categories")).json()
    pulled: list[bytes] = []
    parts = [b'{"name": "Chunked", "description": "', *[b"x" * 1024] * 100, b'"}']
    response = await client.post(
        "/v1/categories", content=chunks(*parts, pulled=pulled), headers=JSON
    )
    assert_payload_too_large(response)
    assert "content-length" not in response.request.headers
    # Reading stopped at the chunk that passed the limit; the rest was never pulled.
    assert len(pulled) == MAX_BYTES // 1024 + 1
    assert (await client.get("/v1/categories")).json() == before


async def test_chunked_graphql_body_over_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    body = chunks(b'{"query": "{ __typename }", "x": "', b"x" * MAX_BYTES, b'"}')
    assert_payload_too_large(await client.post("/graphql", content=body, headers=JSON))


async def echo(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream")


def echo_client() -> httpx.AsyncClient:
    app = BodySizeLimitMiddleware(Starlette(routes=[Route("/", echo, methods=["POST"])]), 10)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_bodies_up_to_the_limit_pass_intact() -> None:
    async with echo_client() as http:
        declared = await http.post("/", content=b"0123456789")
        streamed = await http.post("/", content=chunks(b"01234", b"56789"))
        empty = await http.post("/")
        over = await http.post("/", content=b"0123456789x")
    assert (declared.status_code, declared.content) == (200, b"0123456789")
    assert (streamed.status_code, streamed.content) == (200, b"0123456789")
    assert (empty.status_code, empty.content) == (200, b"")
    assert over.status_code == 413


async def test_bodies_under_the_limit_reach_the_app(client: httpx.AsyncClient, unique: str) -> None:
    query = {"query": "{ __typename }"}
    declared = await client.post("/graphql", json=query)
    assert declared.json()["data"] == {"__typename": "Query"}
    body = chunks(b'{"query": ', b'"{ __typename }"}')
    streamed = await client.post("/graphql", content=body, headers=JSON)
    assert streamed.json()["data"] == {"__typename": "Query"}
    # The REST route parsed the whole streamed body (a cut one would be 400 malformed JSON)
    # and then refused the anonymous write: 401 is the one right answer (issue 9.14: this
    # asserted `in (201, 401)`).
    body = chunks(b'{"name": "Small ', unique.encode() + b'", "description": "d"}')
    write = await client.post("/v1/categories", content=body, headers=JSON)
    assert write.status_code == 401, write.text
    assert write.json()["code"] == "UNAUTHENTICATED"


async def test_an_app_that_swallows_the_error_still_answers_413() -> None:
    async def greedy(request: Request) -> Response:
        try:
            await request.body()
        except Exception:
            return JSONResponse({"oops": True}, 500)
        return JSONResponse({"read": True})

    app = BodySizeLimitMiddleware(Starlette(routes=[Route("/", greedy, methods=["POST"])]), 10)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post("/", content=chunks(b"123456", b"789012"))
        assert response.status_code == 413
        assert response.json()["code"] == "PAYLOAD_TOO_LARGE"
        assert (await http.post("/", content=chunks(b"12345", b"67890"))).json() == {"read": True}


async def test_security_headers_on_every_kind_of_response(client: httpx.AsyncClient) -> None:
    responses = [
        await client.get("/v1/categories"),
        await client.get("/v1/categories/nope"),
        await client.get("/healthz"),
        await client.get("/openapi.json"),
        await client.post("/graphql", json={"query": "{ __typename }"}),
        await client.post("/v1/categories", json={"description": "x" * MAX_BYTES}),
    ]
    assert [r.status_code for r in responses] == [200, 404, 200, 200, 200, 413]
    assert responses[1].headers["content-type"] == "application/problem+json"
    for response in responses:
        assert {name: response.headers.get(name) for name in HARDENING} == HARDENING
        assert response.headers["content-security-policy"] == API_CSP
        assert "strict-transport-security" not in response.headers


async def test_strict_transport_security_only_over_https(database_url: str) -> None:
    async with serve(database_url, base_url="https://testserver") as http:
        response = await http.get("/healthz")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_html_pages_get_their_own_policy(client: httpx.AsyncClient) -> None:
    graphiql = await client.get("/graphql", headers={"accept": "text/html"})
    assert graphiql.headers["content-type"].startswith("text/html")
    assert graphiql.headers["content-security-policy"] == GRAPHIQL_CSP
    docs = await client.get("/docs")
    assert docs.headers["content-type"].startswith("text/html")
    assert docs.headers["content-security-policy"] == DOCS_CSP
    for page in (graphiql, docs):
        assert {name: page.headers.get(name) for name in HARDENING} == HARDENING
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    # The same path answering JSON gets the API policy.
    query = await client.get("/graphql", params={"query": "{ __typename }"})
    assert query.headers["content-security-policy"] == API_CSP


async def test_headers_a_route_set_are_kept() -> None:
    async def framed(_request: Request) -> Response:
        return Response(
            "ok", headers={"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "sandbox"}
        )

    app = EdgeMiddleware(Starlette(routes=[Route("/", framed)]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert response.headers.get_list("content-security-policy") == ["sandbox"]
    assert response.headers["x-content-type-options"] == "nosniff"


def preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": method,
        "access-control-request-headers": "authorization, content-type, idempotency-key",
    }


async def test_cors_preflight_from_an_allowed_origin(cors_client: httpx.AsyncClient) -> None:
    for path in ("/v1/categories", "/graphql"):
        response = await cors_client.options(path, headers=preflight(ORIGIN))
        assert response.status_code == 200, response.text
        assert response.headers["access-control-allow-origin"] == ORIGIN
        methods = response.headers["access-control-allow-methods"].split(", ")
        assert set(methods) == {"GET", "POST", "PATCH", "DELETE", "OPTIONS"}
        allowed = response.headers["access-control-allow-headers"].lower().split(", ")
        assert {"authorization", "idempotency-key", "if-match", "x-request-id"} <= set(allowed)
        assert response.headers["access-control-max-age"] == "600"
        assert "access-control-allow-credentials" not in response.headers


async def test_cors_on_actual_requests(cors_client: httpx.AsyncClient) -> None:
    allowed = await cors_client.get("/v1/categories", headers={"origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    exposed = allowed.headers["access-control-expose-headers"].split(", ")
    assert {"ETag", "Location", "X-Request-Id", "RateLimit", "Retry-After", "Link"} <= set(exposed)
    # Errors carry CORS headers too, or a browser could not read them.
    too_large = await cors_client.post(
        "/v1/categories", json={"description": "x" * MAX_BYTES}, headers={"origin": ORIGIN}
    )
    assert too_large.status_code == 413
    assert too_large.headers["access-control-allow-origin"] == ORIGIN
    other = await cors_client.get("/v1/categories", headers={"origin": "https://evil.example"})
    assert other.status_code == 200
    assert "access-control-allow-origin" not in other.headers


async def test_cors_preflight_from_another_origin(cors_client: httpx.AsyncClient) -> None:
    response = await cors_client.options(
        "/v1/categories", headers=preflight("https://evil.example")
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_no_cors_headers_without_configured_origins(client: httpx.AsyncClient) -> None:
    responses = [
        await client.options("/v1/categories", headers=preflight(ORIGIN)),
        await client.get("/v1/categories", headers={"origin": ORIGIN}),
    ]
    for response in responses:
        assert not [name for name in response.headers if name.startswith("access-control-")]

"""Health, readiness, request ids, the OpenAPI document and the docs page."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "up"}


async def test_request_id_on_every_response(client: httpx.AsyncClient) -> None:
    for path in ("/healthz", "/v1/products", "/v1/nowhere", "/openapi.json"):
        response = await client.get(path, headers={"x-request-id": "req-42"})
        assert response.headers["x-request-id"] == "req-42"
    problem = await client.get("/v1/products/prod_nope", headers={"x-request-id": "req-43"})
    assert problem.json()["request_id"] == "req-43"


async def test_openapi_document_covers_every_rest_route(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    for path, methods in {
        "/v1/products": {"get", "post"},
        "/v1/products/{id}": {"get", "patch", "delete"},
        "/v1/categories": {"get", "post"},
        "/v1/categories/{id}": {"get", "patch", "delete"},
        "/v1/customers": {"get", "post"},
        "/v1/customers/{id}": {"get", "patch", "delete"},
        "/v1/customers/{id}/orders": {"get"},
        "/v1/orders": {"get"},
        "/v1/orders/{id}": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            operation = paths[path][method]
            assert operation["operationId"]
            assert any(status.startswith("2") for status in operation["responses"])
            assert any(status.startswith("4") for status in operation["responses"])
    assert "ProductCreate" in document["components"]["schemas"]


async def test_docs_page_is_self_contained(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text
    assert '<script src="http' not in response.text


async def test_logs_carry_the_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="shopgraph.access"):
        await client.get("/v1/products", params={"limit": 1}, headers={"x-request-id": "log-7"})
    events = [r.msg for r in caplog.records if r.name == "shopgraph.access"]
    assert any(
        isinstance(e, dict) and e["request_id"] == "log-7" and e["status"] == 200 for e in events
    ), events


async def test_paths_outside_every_route_are_problems(client: httpx.AsyncClient) -> None:
    """Issue 9.14: unmatched paths answered text/plain 404."""
    for path in ("/nope", "/v2/products", "/v1/nope"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "NOT_FOUND"


async def test_metrics_and_version_are_not_for_outsiders(app: Starlette) -> None:
    """Issue 9.14: /metrics and the version in /healthz were open to anonymous callers."""
    outside = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))
    async with httpx.AsyncClient(transport=outside, base_url="http://t") as http:
        assert (await http.get("/metrics")).status_code == 404
        assert (await http.get("/healthz")).json() == {"status": "ok"}
    inside = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=inside, base_url="http://t") as http:
        scraped = await http.get("/metrics")
        assert scraped.status_code == 200
        assert "shopgraph_build_info" in scraped.text

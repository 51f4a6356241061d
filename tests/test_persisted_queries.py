"""Persisted operations: Apollo's automatic persisted queries, cacheable GET answers, the
allow-list, and `shopgraph operations register` (docs/persisted-operations.md)."""

from __future__ import annotations

import hashlib
import textwrap
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import parse, print_ast
from typer.testing import CliRunner

from shopgraph.auth.principal import Principal
from shopgraph.cli import app as cli
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade_async
from shopgraph.resolvers.persisted_operations import NewOperation, find, register, remember
from shopgraph.schema import build_schema
from shopgraph.schema.operation_files import check, operations_in
from shopgraph.settings import Settings, get_settings

from .conftest import ADMIN, BACKENDS, _run, bearer, client_of, private_database

EXAMPLES = Path(__file__).parent.parent / "examples" / "graphql"
GRAPHQL_RESPONSE = "application/graphql-response+json"
STOREFRONT = Principal(
    kind="api_key", id="key_test-store", scopes=frozenset({"products:read"}), tier="standard"
)
STANDARD_ADMIN = Principal(
    kind="api_key", id="key_test-ops", scopes=frozenset({"admin"}), tier="standard"
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fresh_query() -> str:
    """A catalog query no other test has stored: its comment makes its hash its own."""
    return f"# {uuid.uuid4()}\nquery Fresh($n: Int) {{ products(first: $n) {{ nodes {{ id }} }} }}"


def by_hash(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


def get_params(text: str, variables: dict[str, Any] | None = None) -> dict[str, str]:
    """A GET request's parameters naming `text` by its hash alone."""
    params = {"extensions": orjson.dumps(by_hash(text)).decode()}
    if variables is not None:
        params["variables"] = orjson.dumps(variables).decode()
    return params


def code_of(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


@asynccontextmanager
async def server(
    settings: Settings, principal: Principal | None = None, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a new app (a process of its own: its own caches) with `overrides`."""
    custom = settings.model_copy(update=overrides)
    headers = bearer(custom, principal) if principal is not None else None
    async with client_of(custom, Services(custom), headers) as http:
        yield http


@pytest.fixture(params=[True, False], ids=["planned", "strawberry"])
def planned(request: pytest.FixtureRequest) -> bool:
    """Both executors answer persisted queries: the document is found, then run as usual."""
    enabled: bool = request.param
    return enabled


# --- automatic persisted queries -------------------------------------------------------


async def test_a_query_round_trips_by_hash_over_post(settings: Settings, planned: bool) -> None:
    query = fresh_query()
    variables = {"n": 2}
    async with server(settings, ADMIN, planned_executor=planned) as http:
        missing = await http.post(
            "/graphql", json={"extensions": by_hash(query), "variables": variables}
        )
        assert missing.status_code == 200
        assert missing.json() == {
            "errors": [
                {
                    "message": "PersistedQueryNotFound",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ]
        }
        assert missing.headers["cache-control"] == "private, no-cache, must-revalidate"
        stored = await http.post(
            "/graphql", json={"query": query, "extensions": by_hash(query), "variables": variables}
        )
        assert stored.status_code == 200
        data = stored.json()["data"]
        assert len(data["products"]["nodes"]) == 2
        found = await http.post(
            "/graphql", json={"extensions": by_hash(query), "variables": variables}
        )
        assert found.status_code == 200
        assert found.json()["data"] == data
    # Another process finds it too: documents are kept in the database, not in one process.
    async with server(settings, ADMIN, planned_executor=not planned) as http:
        elsewhere = await http.post(
            "/graphql", json={"extensions": by_hash(query), "variables": variables}
        )
        assert elsewhere.json()["data"] == data


async def test_a_query_round_trips_by_hash_over_get_with_an_etag_and_304(
    settings: Settings, planned: bool
) -> None:
    query = fresh_query()
    # Rate limits on: `extensions.cost` reports the bucket, which changes every request.
    async with server(settings, planned_executor=planned, rate_limit="memory") as anonymous:
        missing = await anonymous.get("/graphql", params=get_params(query, {"n": 3}))
        assert code_of(missing) == "PERSISTED_QUERY_NOT_FOUND"
        assert missing.headers["cache-control"] == "private, no-cache, must-revalidate"
        stored = await anonymous.get(
            "/graphql",
            params={**get_params(query, {"n": 3}), "query": query},
        )
        assert stored.status_code == 200
        first = await anonymous.get("/graphql", params=get_params(query, {"n": 3}))
        assert first.status_code == 200
        body = first.json()
        assert len(body["data"]["products"]["nodes"]) == 3
        assert "throttleStatus" in body["extensions"]["cost"]
        etag = first.headers["etag"]
        # Weak, and of the data: the same data is the same answer, whatever the bucket says.
        assert (
            etag
            == 'W/"' + hashlib.sha256(orjson.dumps({"data": body["data"]})).hexdigest()[:16] + '"'
        )
        assert first.headers["cache-control"] == "public, max-age=60"
        assert first.headers["vary"] == "Accept, Authorization"
        again = await anonymous.get("/graphql", params=get_params(query, {"n": 3}))
        assert again.headers["etag"] == etag
        cached = await anonymous.get(
            "/graphql", params=get_params(query, {"n": 3}), headers={"if-none-match": etag}
        )
        assert cached.status_code == 304
        assert cached.content == b""
        assert cached.headers["etag"] == etag
        assert cached.headers["cache-control"] == "public, max-age=60"
        # Other data, another tag; a stale tag gets the full answer.
        other = await anonymous.get("/graphql", params=get_params(query, {"n": 4}))
        assert other.headers["etag"] != etag
        stale = await anonymous.get(
            "/graphql", params=get_params(query, {"n": 4}), headers={"if-none-match": etag}
        )
        assert stale.status_code == 200
        assert len(stale.json()["data"]["products"]["nodes"]) == 4


async def test_authenticated_get_answers_are_private_and_errors_are_not_cached(
    settings: Settings,
) -> None:
    query = fresh_query()
    async with server(settings, ADMIN) as admin:
        await admin.post("/graphql", json={"query": query, "extensions": by_hash(query)})
        private = await admin.get("/graphql", params=get_params(query))
        assert private.status_code == 200
        assert private.headers["cache-control"] == "private, no-cache"
        assert private.headers["vary"] == "Accept, Authorization"
        revalidated = await admin.get(
            "/graphql", params=get_params(query), headers={"if-none-match": private.headers["etag"]}
        )
        assert revalidated.status_code == 304
    async with server(settings) as anonymous:
        # A plain GET query is tagged the same way; an answer with errors is never stored.
        plain = await anonymous.get("/graphql", params={"query": query})
        assert plain.headers["etag"] == private.headers["etag"]
        refused = await anonymous.get(
            "/graphql", params={"query": "{ customers(first: 1) { nodes { id } } }"}
        )
        assert code_of(refused) == "UNAUTHENTICATED"
        assert refused.headers["cache-control"] == "no-store"
        assert "etag" not in refused.headers


async def test_a_hash_that_is_not_the_querys_is_refused(client: httpx.AsyncClient) -> None:
    query = fresh_query()
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query + " ")}}
    response = await client.post("/graphql", json={"query": query, "extensions": wrong})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "provided sha does not match query",
                "extensions": {"code": "INVALID_PERSISTED_QUERY"},
            }
        ]
    }
    # Nothing was stored under either hash.
    for extensions in (wrong, by_hash(query)):
        later = await client.post("/graphql", json={"extensions": extensions})
        assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"
    for persisted in (
        {"version": 2, "sha256Hash": sha256(query)},
        {"version": 1, "sha256Hash": "not-hex"},
        "abc",
    ):
        bad = await client.post("/graphql", json={"extensions": {"persistedQuery": persisted}})
        assert bad.status_code == 400
        assert code_of(bad) == "INVALID_PERSISTED_QUERY"
    # A document that does not validate is answered, and not stored either.
    invalid = f"# {uuid.uuid4()}\n{{ nope }}"
    refused = await client.post("/graphql", json={"query": invalid, "extensions": by_hash(invalid)})
    assert code_of(refused) == "VALIDATION_FAILED"
    later = await client.post("/graphql", json={"extensions": by_hash(invalid)})
    assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"
    no_query = await client.post("/graphql", json={"extensions": {}})
    assert no_query.status_code == 400
    assert code_of(no_query) == "VALIDATION_FAILED"


async def test_a_persisted_mutation_over_get_is_405(client: httpx.AsyncClient) -> None:
    mutation = f'# {uuid.uuid4()}\nmutation {{ deleteProduct(id: "prod_x") {{ deletedId }} }}'
    ran = await client.post("/graphql", json={"query": mutation, "extensions": by_hash(mutation)})
    assert ran.status_code == 200
    response = await client.get("/graphql", params=get_params(mutation))
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0] == {
        "message": "Mutations are only allowed over POST.",
        "extensions": {"code": "VALIDATION_FAILED"},
    }


@pytest.mark.parametrize("backend", BACKENDS)
async def test_stored_documents_are_bounded(backend: str, tmp_path: Path) -> None:
    with private_database(backend, tmp_path, "bounded") as url:
        await upgrade_async(url)
        services = Services(Settings(database_url=url, secret_key="test-secret"))
        try:
            registered = NewOperation("{ categories(first: 1) { nodes { id } } }", None, "x")
            await register(services.database, [registered])
            texts = [f"# {n}\n{{ products(first: 1) {{ nodes {{ id }} }} }}" for n in range(4)]
            for text in texts:
                assert await remember(services.database, sha256(text), text, keep=2)
            assert not await remember(services.database, sha256(texts[3]), texts[3], keep=2)
            reader = services.database.reader()
            kept = [await find(reader, sha256(text)) is not None for text in texts]
            assert kept == [False, False, True, True]
            still = await find(reader, registered.sha256)
            assert still is not None
            assert still.registered
            await reader.close()
        finally:
            await services.close()


async def test_a_document_above_the_size_limit_runs_but_is_not_stored(
    settings: Settings,
) -> None:
    query = "#" + "x" * 2000 + "\n" + fresh_query()
    async with server(settings, ADMIN, graphql_apq_max_document_bytes=1024) as http:
        ran = await http.post("/graphql", json={"query": query, "extensions": by_hash(query)})
        assert "data" in ran.json()
        later = await http.post("/graphql", json={"extensions": by_hash(query)})
        assert code_of(later) == "PERSISTED_QUERY_NOT_FOUND"


# --- the allow-list ----------------------------------------------------------------------


async def test_the_allowlist_refuses_unregistered_operations_and_runs_registered_ones(
    settings: Settings, services: Services, planned: bool
) -> None:
    registered = fresh_query()
    await register(services.database, [NewOperation(registered, "Fresh", "test")])
    unregistered = fresh_query()
    variables = {"n": 1}
    held = {"graphql_allowlist_tiers": ["standard"], "planned_executor": planned}
    async with server(settings, STOREFRONT, **held) as storefront:
        refused = await storefront.post(
            "/graphql", json={"query": unregistered, "variables": variables}
        )
        assert refused.status_code == 200
        (error,) = refused.json()["errors"]
        assert error["extensions"] == {
            "code": "OPERATION_NOT_ALLOWED",
            "sha256": sha256(unregistered),
        }
        assert "registered operations only" in error["message"]
        assert "shopgraph operations register" in error["message"]
        assert "data" not in refused.json()
        strict = await storefront.post(
            "/graphql",
            json={"query": unregistered, "variables": variables},
            headers={"accept": GRAPHQL_RESPONSE},
        )
        assert strict.status_code == 400
        assert code_of(strict) == "OPERATION_NOT_ALLOWED"
        # Storing it through APQ grants nothing: refused, and not stored either.
        for body in (
            {"query": unregistered, "extensions": by_hash(unregistered)},
            {"extensions": by_hash(unregistered)},
        ):
            response = await storefront.post("/graphql", json={**body, "variables": variables})
            assert code_of(response) == "OPERATION_NOT_ALLOWED"
        # A registered one runs, in full, by hash, and over GET.
        full = await storefront.post("/graphql", json={"query": registered, "variables": variables})
        assert len(full.json()["data"]["products"]["nodes"]) == 1
        hashed = await storefront.post(
            "/graphql", json={"extensions": by_hash(registered), "variables": variables}
        )
        assert hashed.json()["data"] == full.json()["data"]
        got = await storefront.get("/graphql", params=get_params(registered, variables))
        assert got.json()["data"] == full.json()["data"]
    # Tiers not listed, and admins of a listed tier, are not held to it.
    async with server(settings, None, **held) as anonymous:
        stored = {"query": unregistered, "extensions": by_hash(unregistered)}
        free = await anonymous.post("/graphql", json={**stored, "variables": variables})
        assert "errors" not in free.json()
    async with server(settings, STANDARD_ADMIN, **held) as operator:
        free = await operator.post("/graphql", json={"query": unregistered, "variables": variables})
        assert "errors" not in free.json()
    # The anonymous caller stored it; stored is not registered, in any process.
    async with server(settings, STOREFRONT, **held) as storefront:
        again = await storefront.post(
            "/graphql", json={"extensions": by_hash(unregistered), "variables": variables}
        )
        assert code_of(again) == "OPERATION_NOT_ALLOWED"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_cli_registers_the_example_operations(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with private_database(backend, tmp_path, "operations") as url:
        monkeypatch.setenv("SHOPGRAPH_DATABASE_URL", url)
        monkeypatch.setenv("SHOPGRAPH_LOG_LEVEL", "warning")
        get_settings.cache_clear()
        try:
            runner = CliRunner()
            first = runner.invoke(cli, ["operations", "register", str(EXAMPLES)])
            assert first.exit_code == 0, first.output
            again = runner.invoke(cli, ["operations", "register", str(EXAMPLES / "orders.graphql")])
            assert again.exit_code == 0, again.output
            listed = runner.invoke(cli, ["operations", "list", "--json"])
            assert listed.exit_code == 0, listed.output
            invalid = tmp_path / "invalid.graphql"
            invalid.write_text("query Nope { nope }")
            refused = runner.invoke(cli, ["operations", "register", str(EXAMPLES), str(invalid)])
        finally:
            get_settings.cache_clear()
        files = sorted(EXAMPLES.glob("*.graphql"))
        assert len(files) == 4
        assert "already registered  Orders" in again.output
        operations = orjson.loads(listed.stdout)
        # Each as the file has it and in its canonical form, as generated clients send it.
        assert sorted((op["name"], op["sha256"]) for op in operations) == sorted(
            (_operation_name(path), sha256(text))
            for path in files
            for text in {path.read_text(), print_ast(parse(path.read_text()))}
        )
        assert refused.exit_code == 1
        assert "Cannot query field 'nope'" in refused.output
        # An allow-listed caller runs an example, sent as the client sends it: the file.
        catalog = (EXAMPLES / "catalog.graphql").read_text()
        settings = Settings(
            database_url=url,
            secret_key="test-secret",
            rate_limit="off",
            graphql_allowlist_tiers=["standard"],
        )

        # As a generated client sends it: printed its own way, indented, with no comments.
        reprinted = "\n" + textwrap.indent(print_ast(parse(catalog)), "    ") + "\n"
        assert sha256(reprinted) not in {op["sha256"] for op in operations}
        altered = reprinted.replace("products(", "products(last: 1, ")

        async def call() -> list[dict[str, Any]]:
            async with server(settings, STOREFRONT) as storefront:
                bodies = []
                for body in (
                    {"query": catalog},
                    {"extensions": by_hash(catalog)},
                    {"query": reprinted},
                    {"query": altered},
                ):
                    response = await storefront.post("/graphql", json=body)
                    bodies.append(response.json())
                return bodies

        *admitted, other = _run(call())
        for body in admitted:
            assert body["data"] == {"categories": {"nodes": []}, "products": {"nodes": []}}
        assert [error["extensions"] for error in other["errors"]] == [
            {"code": "OPERATION_NOT_ALLOWED", "sha256": sha256(altered)}
        ]


def _operation_name(path: Path) -> str:
    words = path.stem.split("_")
    return "".join(word.capitalize() for word in words)


def test_one_file_may_hold_several_operations(tmp_path: Path) -> None:
    path = tmp_path / "several.graphql"
    path.write_text(
        "# two operations sharing a fragment\n"
        "query One { products(first: 1) { nodes { ...Item } } }\n"
        "query Two { categories(first: 1) { nodes { id } } }\n"
        "fragment Item on Product { id name }\n"
    )
    one, two = operations_in(path)
    assert (one.name, two.name) == ("One", "Two")
    assert one.document == (
        "query One { products(first: 1) { nodes { ...Item } } }\n\n"
        "fragment Item on Product { id name }"
    )
    assert two.document == "query Two { categories(first: 1) { nodes { id } } }"
    assert check(build_schema(Settings()), [one, two]) == []

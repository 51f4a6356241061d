"""Shared fixtures: every test runs against SQLite, and against PostgreSQL when
SHOPGRAPH_TEST_DATABASE_URL names a server (an admin URL such as
`postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`).

Each run creates its own uniquely named PostgreSQL database and drops it afterwards;
SQLite databases live in the run's temporary directory.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.auth import tokens
from shopgraph.auth.principal import Principal
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade_async
from shopgraph.seed import SeedCounts, seed
from shopgraph.settings import Settings
from shopgraph.signing_key import secret_key_for

from .webhook_helpers import Receiver, serving

T = TypeVar("T")
PG_ADMIN_URL = os.environ.get("SHOPGRAPH_TEST_DATABASE_URL")
# One id key for the whole run: the test process and every server it starts encode alike,
# whichever database they use (each database has a key of its own, see ids.py).
TEST_ID_KEY = "5e" * 32
os.environ["SHOPGRAPH_ID_KEY"] = TEST_ID_KEY
ids.configure(bytes.fromhex(TEST_ID_KEY))
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not PG_ADMIN_URL, reason="set SHOPGRAPH_TEST_DATABASE_URL to test on PostgreSQL"
        ),
    ),
]
# Enough rows that a page of 50 is full: statement counts must not depend on page size.
BASE_DATA = SeedCounts(customers=60, products=80, orders=720)


def _asyncpg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run set-up work to completion on its own loop, outside the tests' running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _admin(sql: str) -> None:
    assert PG_ADMIN_URL is not None
    connection = await asyncpg.connect(_asyncpg_dsn(PG_ADMIN_URL))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    assert PG_ADMIN_URL is not None
    name = f"shopgraph_test_{uuid.uuid4().hex[:12]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _prepare(url: str) -> None:
    await upgrade_async(url)
    services = Services(Settings(database_url=url, secret_key="test-secret"))
    try:
        await seed(services.database, BASE_DATA, seed=7)
    finally:
        await services.close()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database holding BASE_DATA, one per backend for the whole run."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite')}/shopgraph.db"
    _run(_prepare(url))
    return url


@contextmanager
def private_database(backend: str, folder: Path, label: str) -> Iterator[str]:
    """An empty database of a test's own on `backend` (a file in `folder` for SQLite, a
    new PostgreSQL database dropped afterwards), for data no other test may see."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / f'{label}.db'}"
        return
    assert PG_ADMIN_URL is not None
    name = f"shopgraph_{label}_{uuid.uuid4().hex[:12]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # Rate limits have tests of their own; here they would only throttle the suite.
    return Settings(
        database_url=database_url, secret_key="test-secret", log_json=True, rate_limit="off"
    )


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    services = Services(settings)
    yield services
    await services.close()


@pytest.fixture(scope="session")
def app(settings: Settings, services: Services) -> Starlette:
    application = create_app(settings, migrate=False)
    application.state.services = services
    return application


def signing_key(settings: Settings) -> str:
    """The key the app of `settings` signs tokens with."""
    return secret_key_for(settings.secret_key, settings.database_url)


def bearer(settings: Settings, principal: Principal) -> dict[str, str]:
    """An `Authorization` header carrying `principal` as a signed access token."""
    token = tokens.issue(signing_key(settings), principal, timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


ADMIN = Principal(
    kind="api_key", id="key_test-admin", scopes=frozenset({"admin"}), tier="enterprise"
)


@asynccontextmanager
async def client_of(
    settings: Settings, services: Services, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app over `services` (its own pool, provider...), closed afterwards."""
    application = create_app(settings, migrate=False)
    application.state.services = services
    transport = httpx.ASGITransport(app=application)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=headers
        ) as http:
            yield http
    finally:
        await services.close()


@pytest.fixture
async def client(app: Starlette, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client with an admin's credentials: most tests are about behaviour, not access."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=bearer(settings, ADMIN)
    ) as http:
        yield http


@pytest.fixture
async def anonymous(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no credentials at all."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class StatementCounter:
    """Counts SQL statements sent to the database (BEGIN on SQLite included)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@contextmanager
def watching_statements(services: Services, seen: Callable[[str], None]) -> Iterator[None]:
    """Call `seen` with every statement sent to the database: SQLAlchemy's (writes) and
    those requests read with straight on the driver (`db.engine.Reader`)."""

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen(statement)

    engine = services.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    services.database.read_listeners.append(seen)
    try:
        yield
    finally:
        services.database.read_listeners.remove(seen)
        event.remove(engine, "before_cursor_execute", on_execute)


@pytest.fixture
def statements(services: Services) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    with watching_statements(services, counter.statements.append):
        yield counter


@pytest.fixture
def unique() -> str:
    """A short unique token, so tests sharing a database never collide."""
    return uuid.uuid4().hex[:10]


class GraphQL:
    """A tiny GraphQL client over the test app."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep tests of one backend together, so each session fixture is built once."""
    items.sort(key=lambda item: "postgres" in item.nodeid)


# Webhooks: a receiver on loopback, and services allowed to reach it.


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with serving(Receiver()) as made:
        yield made


@pytest.fixture
async def lenient(settings: Settings) -> AsyncIterator[Services]:
    """Services that let webhooks reach loopback over http, as local development does."""
    services = Services(settings.model_copy(update={"webhooks_allow_private": True}))
    await services.start()
    yield services
    await services.close()


@pytest.fixture
async def shop(settings: Settings, lenient: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(lenient.settings, lenient, bearer(settings, ADMIN)) as http:
        yield http


@pytest.fixture
async def impatient(settings: Settings) -> AsyncIterator[Services]:
    """Lenient services whose deliveries give up waiting after half a second."""
    update_with = {"webhooks_allow_private": True, "webhook_timeout_seconds": 0.5}
    services = Services(settings.model_copy(update=update_with))
    await services.start()
    yield services
    await services.close()

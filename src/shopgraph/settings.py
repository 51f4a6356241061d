"""Configuration, read once from `SHOPGRAPH_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .db.engine import Limits


class Settings(BaseSettings):
    """Every knob has a default that is safe for a local run with zero configuration."""

    model_config = SettingsConfigDict(env_prefix="SHOPGRAPH_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./shopgraph.db"
    redis_url: str | None = None
    redis_prefix: str = "shopgraph:"  # every key shopgraph writes to Redis starts with it
    # Rate limiting: "memory" (this process), "redis" (shared), "off"; unset: redis when
    # SHOPGRAPH_REDIS_URL is set, memory otherwise.
    rate_limit: Literal["memory", "redis", "off"] | None = None
    rate_limit_fail_open: bool = True  # serve on without limits while Redis is down
    # tier -> (bucket capacity, tokens refilled per second)
    rate_limit_tiers: dict[str, tuple[int, float]] = {
        "anonymous": (60, 1.0),
        "free": (120, 2.0),
        "standard": (600, 10.0),
        "enterprise": (3000, 50.0),
    }
    # Signs access tokens and cursors; the same in every process. Unset: made once and kept
    # beside an embedded SQLite database; required with PostgreSQL (see signing_key.py).
    secret_key: str | None = None
    # The key public ids are made with (hex). Unset: the database's own (migration 0007),
    # which is what a deployment wants; tests pin one so every process agrees.
    id_key: str | None = Field(default=None, pattern=r"^([0-9a-f]{2}){16,64}$")
    default_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=12, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=1)
    # `__schema` and `__type` fields an operation may ask for (GraphiQL asks for one).
    max_introspection_fields: int = Field(default=3, ge=1)
    # The most a GraphQL operation may cost (see schema/cost.py and docs/api.md).
    max_query_cost: int = Field(default=5000, ge=1)
    # Queries run through cached plans (schema/planned/); off: every one through Strawberry.
    planned_executor: bool = True
    # Persisted operations (docs/persisted-operations.md). Rate-limit tiers whose callers
    # may run only registered operations (`shopgraph operations register`); admins never.
    # Env: SHOPGRAPH_GRAPHQL_ALLOWLIST_TIERS='["anonymous", "free"]'
    graphql_allowlist_tiers: list[str] = []
    # Documents clients may store by hash (Apollo's automatic persisted queries): the most
    # kept (the oldest go first; registered ones are never dropped), and the largest stored.
    graphql_apq_max_documents: int = Field(default=10_000, ge=1)
    graphql_apq_max_document_bytes: int = Field(default=32_768, ge=1024)
    # How long shared caches may serve an anonymous GET answer; authenticated ones are
    # private and revalidated every time (ETag, 304).
    graphql_public_max_age_seconds: int = Field(default=60, ge=0)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    # Browser origins allowed to call the API (CORS); empty turns CORS off.
    # Env: SHOPGRAPH_CORS_ORIGINS='["https://shop.example.com"]'
    cors_origins: list[str] = []
    # Lifetimes of OAuth access tokens, refresh tokens, and customer tokens.
    access_token_minutes: int = Field(default=10, ge=1)
    refresh_token_days: int = Field(default=30, ge=1)
    customer_token_minutes: int = Field(default=60, ge=1)
    # How long events stay readable at GET /v1/events (and redeliverable), in days.
    event_retention_days: int = Field(default=30, ge=1, le=3650)
    # Webhook delivery (docs/webhooks.md). Where the dispatcher runs: "auto" runs one in
    # each server process on SQLite (the embedded default) and none on PostgreSQL, where
    # `shopgraph worker` processes deliver; "on" and "off" say so for every database.
    webhook_dispatcher: Literal["auto", "on", "off"] = "auto"
    # Let endpoints be plain http and reach loopback and private addresses: for tests and
    # local development only (docs/webhooks.md, "Safety").
    webhooks_allow_private: bool = False
    # A failed delivery is retried until this long after its event, then given up.
    webhook_retry_horizon_hours: float = Field(default=72, gt=0, le=24 * 30)
    webhook_connect_timeout_seconds: float = Field(default=5, gt=0, le=60)
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=120)  # the whole request
    webhook_concurrency: int = Field(default=16, ge=1, le=1000)  # deliveries in flight
    # A claim is leased for the timeout plus this margin: a dispatcher that dies mid-delivery
    # holds its deliveries that long before another takes them; one that lives finishes (and
    # records) each try well inside it.
    webhook_lease_margin_seconds: float = Field(default=30, gt=0, le=600)
    # Connections each process keeps open. Size it to the process's usual concurrency:
    # connections beyond it (overflow) are closed when given back, and reopening one per
    # request cost a third of the REST read's throughput (docs/security.md, "Timeouts").
    db_pool_size: int = Field(default=20, ge=1)
    # Extra connections a burst may open beyond the pool, closed again after use.
    db_max_overflow: int = Field(default=0, ge=0)
    # Every wait on the database is bounded; past it the answer is 503 with Retry-After.
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    db_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    db_statement_timeout_seconds: float = Field(default=15.0, gt=0)
    db_lock_timeout_seconds: float = Field(default=5.0, gt=0)
    # Requests queued for a connection before new ones are shed (unset: 4 x the pool).
    db_max_waiting: int | None = Field(default=None, ge=1)
    # How long a keyed write's claim, and a payment or refund in flight at the provider,
    # belong to the request that started them. After it a retry with the same key, or
    # reconciliation, may take over (docs/write-path.md). Provider calls time out at half.
    write_lease_seconds: float = Field(default=60.0, gt=0)
    # How often each process reconciles payments and refunds whose lease ran out.
    reconcile_every_seconds: float = Field(default=30.0, gt=0)
    # The sandbox provider's delay per call: widens race windows in demos and fault tests.
    sandbox_latency_seconds: float = Field(default=0.0, ge=0)
    # Who may read /metrics: loopback clients and admins, or everyone when this is on.
    metrics_public: bool = False
    # How long SIGTERM waits for requests in flight before cancelling them.
    shutdown_timeout_seconds: int = Field(default=20, ge=1)
    log_level: str = "info"
    log_json: bool = True
    # Turns SQL statement logging on; handy while developing, noisy otherwise.
    echo_sql: bool = False

    @field_validator("id_key", "secret_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`SHOPGRAPH_ID_KEY=` (set, but empty) means unset, as it does to a shell user."""
        return None if value == "" else value

    @property
    def database_limits(self) -> Limits:
        return Limits(
            pool_size=self.db_pool_size,
            max_overflow=self.db_max_overflow,
            pool_timeout=self.db_pool_timeout_seconds,
            connect_timeout=self.db_connect_timeout_seconds,
            statement_timeout=self.db_statement_timeout_seconds,
            lock_timeout=self.db_lock_timeout_seconds,
            max_waiting=self.db_max_waiting,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings` instead."""
    return Settings()

"""What a resolver is given: the process's services and one request's state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from sqlalchemy import Insert, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from . import ids
from .auth.principal import ANONYMOUS, Principal
from .db import installation
from .db.engine import Database, Reader, Write
from .db.models import audit_events, utcnow
from .errors import ServiceUnavailable
from .loaders import Loaders
from .pagination import CursorCodec
from .payments import PaymentProvider, SandboxProvider
from .ratelimit import MemoryBuckets, Policy, RateLimiter, RedisBuckets
from .ratelimit.buckets import Backend
from .settings import Settings
from .signing_key import secret_key_for
from .versioning.adoption import UsageTally


def _rate_limiter(settings: Settings) -> RateLimiter | None:
    mode = settings.rate_limit or ("redis" if settings.redis_url else "memory")
    if mode == "off":
        return None
    tiers = {
        name: Policy(name, capacity, rate)
        for name, (capacity, rate) in settings.rate_limit_tiers.items()
    }
    tiers.setdefault("anonymous", Policy("anonymous", 60, 1.0))
    if mode == "redis":
        if not settings.redis_url:
            raise ValueError("SHOPGRAPH_RATE_LIMIT=redis needs SHOPGRAPH_REDIS_URL")
        backend: Backend = RedisBuckets(
            settings.redis_url,
            prefix=f"{settings.redis_prefix}rl:",
            fail_open=settings.rate_limit_fail_open,
        )
    else:
        backend = MemoryBuckets()
    return RateLimiter(backend, tiers)


log = structlog.get_logger("shopgraph.context")
_READ_ENTRY = ("audit", "customer.read")


def _entry(_dialect: Any) -> Insert:
    """The audit entry of a request's reads, its values as parameters."""
    names = (
        "occurred_at",
        "principal_kind",
        "principal_id",
        "action",
        "resource_type",
        "resource_ids",
        "request_id",
        "client_ip",
    )
    return insert(audit_events).values({name: bindparam(name) for name in names}).inline()


class Services:
    """Process-wide collaborators, built once at start-up and shared by every request."""

    def __init__(
        self,
        settings: Settings,
        database: Database | None = None,
        payment_provider: PaymentProvider | None = None,
    ) -> None:
        self.settings = settings
        self.database = database or Database(
            settings.database_url, limits=settings.database_limits, echo=settings.echo_sql
        )
        # The key that signs tokens and cursors, resolved once (never a published default).
        self.secret_key = secret_key_for(settings.secret_key, settings.database_url)
        self.cursors = CursorCodec(self.secret_key)
        self.rate_limiter = _rate_limiter(settings)
        # Uses of deprecated versions and fields, flushed by housekeeping (docs/versioning.md).
        self.deprecation_usage = UsageTally()
        # Only the sandbox exists so far; a real provider plugs in behind the same interface.
        self.payment_provider: PaymentProvider = payment_provider or SandboxProvider(
            self.database, latency=settings.sandbox_latency_seconds
        )

    async def start(self) -> None:
        """Read what the process needs from its database before serving: the id key."""
        key = self.settings.id_key
        ids.configure(bytes.fromhex(key) if key else await installation.id_key(self.database))

    async def close(self) -> None:
        if self.rate_limiter is not None:
            await self.rate_limiter.backend.close()
        await self.database.dispose()


class RequestContext:
    """One request's state: never shared between requests, so caches cannot leak."""

    def __init__(
        self,
        services: Services,
        *,
        request_id: str = "-",
        principal: Principal = ANONYMOUS,
        client_ip: str | None = None,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.cursors = services.cursors
        self.request_id = request_id
        self.principal = principal
        self.client_ip = client_ip
        self.reader: Reader = services.database.reader()
        self._loaders: Loaders | None = None
        # Customer data a third party read in this request, recorded once at the end; a
        # request that wrote is audited by its write entry instead.
        self.customers_read: set[str] = set()
        self.query_cost: int | None = None  # a GraphQL operation's computed cost
        self.cost_report: dict[str, Any] | None = None  # rendered as extensions.cost
        self.retry_after: int | None = None  # set when a GraphQL operation was throttled
        self.admission: Any = None  # a GraphQL operation's charge (schema/cost_gate.py)
        # Keyed GraphQL writes, rendered as extensions.idempotency: [{path, replayed}].
        self.idempotency: list[dict[str, Any]] = []
        self.wrote = False

    @property
    def loaders(self) -> Loaders:
        """This request's DataLoaders, built on first use inside the running loop."""
        if self._loaders is None:
            self._loaders = Loaders(self.reader, self.cursors)
        return self._loaders

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction; afterwards this request's reads see the change.

        The request's read connection goes back to the pool first: a request holding one
        connection while it waits for a second deadlocks a pool that a burst has emptied.
        """
        async with self.reader.suspended(), self.services.database.transaction() as connection:
            yield connection
        if self._loaders is not None:
            self._loaders.clear_all()

    def _reads_entry(self) -> dict[str, Any] | None:
        """The audit entry of the customer data a third party read, if it read any."""
        if not self.customers_read or self.wrote:
            return None
        ids_read, self.customers_read = sorted(self.customers_read), set()
        return {
            "occurred_at": utcnow(),
            "principal_kind": self.principal.kind,
            "principal_id": self.principal.id,
            "action": "customer.read",
            "resource_type": "Customer",
            "resource_ids": " ".join(ids_read),
            "request_id": self.request_id,
            "client_ip": self.client_ip,
        }

    async def close(self) -> None:
        """End the request: wait for batches in flight, release the connection, write the
        audit entry of what it read, drop caches.

        Loaders point back at the reader and futures hold results; clearing them breaks
        the reference cycles so memory is freed by refcounting, not a later GC pass.
        """

        def audit_entry() -> Write | None:
            entry = self._reads_entry()
            return None if entry is None else (self.reader.reads.get(_READ_ENTRY, _entry), entry)

        try:
            left = await self.reader.close(audit_entry)
            if left is not None:
                async with self.services.database.transaction() as db:
                    await db.execute(insert(audit_events).values(left[1]))
        except ServiceUnavailable:  # the answer stands; the outage is logged once, not here
            log.warning("audit.reads_not_recorded", request_id=self.request_id)
        if self._loaders is not None:
            self._loaders.release()
            self._loaders = None

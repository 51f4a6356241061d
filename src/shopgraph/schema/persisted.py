"""Which document a GraphQL request runs: Apollo's automatic persisted queries (APQ), and
the allow-list some callers are held to.

APQ, as Apollo clients speak it: a request may name its document by hash,
`extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`, with no `query`.
An unknown hash is answered `PersistedQueryNotFound` (code `PERSISTED_QUERY_NOT_FOUND`,
HTTP 200 and `Cache-Control: private, no-cache, must-revalidate`, as Apollo Server does:
clients match the message); the client then sends the query with the hash, the server
checks that the hash is the query's SHA-256 (`provided sha does not match query`, 400
otherwise) and, once the operation has been admitted (valid, within its cost, paid for),
stores it. The document found is then run as any other, by either executor.

The allow-list: callers of a tier named in SHOPGRAPH_GRAPHQL_ALLOWLIST_TIERS may run only
registered operations (`shopgraph operations register`), sent in full or by hash. Sent in
full, an operation is admitted by its exact text or, failing that, by its canonical form
(`operation_files.canonical`: spacing and comments aside), which registering records too,
so a generated client that prints operations its own way is admitted. Admins
are never held to it (operators explore in GraphiQL). Anything else is refused before it
runs with `OPERATION_NOT_ALLOWED`, as an invalid document is (no `data`; 400 under
`application/graphql-response+json`, 200 under `application/json`). Documents stored
through APQ are not registered: storing one grants nothing.

Documents are kept by `resolvers/persisted_operations.py`; what a process found is kept in
a bounded cache here. A hash names one text forever, so a cached text is exact; the
`registered` flag only ever turns on, so a cached `True` is exact and a cached `False` is
read again when it matters (an allow-listed caller).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import structlog

from ..auth.principal import Principal
from ..context import RequestContext
from ..errors import ServiceUnavailable
from ..resolvers.persisted_operations import Known, digest, find, remember
from .operation_files import canonical

log = structlog.get_logger("shopgraph.graphql.persisted")

APQ_VERSION = 1
CACHED = 1_000  # documents a process keeps by hash
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


class Refused(Exception):
    """A request answered before execution with one error. `status` None: refused as an
    invalid document is (400 or 200, by media type)."""

    def __init__(
        self,
        message: str,
        code: str,
        status: int | None,
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.headers = headers or {}
        self.extensions = extensions or {}


def _invalid(message: str) -> Refused:
    return Refused(message, "INVALID_PERSISTED_QUERY", 400)


def _not_found() -> Refused:
    # Apollo clients recognise the message; no cache may keep the miss.
    return Refused(
        "PersistedQueryNotFound",
        "PERSISTED_QUERY_NOT_FOUND",
        200,
        {"Cache-Control": "private, no-cache, must-revalidate"},
    )


def _not_allowed(principal: Principal, sha256: str) -> Refused:
    return Refused(
        f"Credentials of the `{principal.tier}` tier may run registered operations only, "
        "and this one is not registered. Ask the API's operator to register it "
        "(`shopgraph operations register FILE`), then send it as registered (spacing and "
        "comments aside), or only its hash in `extensions.persistedQuery`.",
        "OPERATION_NOT_ALLOWED",
        None,
        extensions={"sha256": sha256},
    )


def names_persisted_query(params: dict[str, Any]) -> bool:
    """Whether a request names its document by hash (and may then omit `query`)."""
    extensions = params.get("extensions")
    return isinstance(extensions, dict) and extensions.get("persistedQuery") is not None


def requested_hash(params: dict[str, Any]) -> str | None:
    """The hash in `extensions.persistedQuery` (lowercase), None without one."""
    if not names_persisted_query(params):
        return None
    persisted = params["extensions"]["persistedQuery"]
    if not isinstance(persisted, dict):
        raise _invalid("`extensions.persistedQuery` must be an object.")
    if persisted.get("version") != APQ_VERSION:
        raise _invalid(f"Unsupported persisted query version: only {APQ_VERSION} exists.")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or _SHA256.match(sha256) is None:
        raise _invalid("`sha256Hash` must be the query's SHA-256, as 64 hex digits.")
    return sha256.lower()


def held_to_allowlist(principal: Principal, tiers: list[str]) -> bool:
    return principal.tier in tiers and "admin" not in principal.scopes


@dataclass(frozen=True, slots=True)
class Document:
    """What a request runs, and the hash to store it under once admitted (APQ)."""

    query: str
    store_as: str | None = None


class PersistedOperations:
    """Finds the document of each request; one per process (see the module)."""

    def __init__(self, size: int = CACHED) -> None:
        self._size = size
        self._cache: OrderedDict[str, Known] = OrderedDict()
        # The hash of a text -> the hash of its canonical form, for allow-listed callers.
        self._canonical: OrderedDict[str, str] = OrderedDict()

    async def document(self, params: dict[str, Any], ctx: RequestContext) -> Document:
        """The request's document; Refused if it names an unknown hash, a hash that is not
        its query's, or an operation the caller may not run."""
        sha256 = requested_hash(params)
        query: str | None = params.get("query")
        held = held_to_allowlist(ctx.principal, ctx.settings.graphql_allowlist_tiers)
        if query is not None:
            if sha256 is not None and digest(query) != sha256:
                raise _invalid("provided sha does not match query")
            if held:
                await self._admitted(ctx, sha256 or digest(query), query)
            return Document(query, sha256)
        assert sha256 is not None  # `_params` lets no request through with neither
        if held:  # an unknown hash too: sending its text would not help
            return Document((await self._registered(ctx, sha256)).document)
        known = await self._find(ctx, sha256, registered=False)
        if known is None:
            raise _not_found()
        return Document(known.document)

    async def store(self, ctx: RequestContext, document: Document) -> None:
        """Keep an admitted APQ document under its hash (bounded in number and size)."""
        sha256 = document.store_as
        if sha256 is None or sha256 in self._cache:
            return
        settings = ctx.settings
        if len(document.query.encode()) > settings.graphql_apq_max_document_bytes:
            return  # runs, but is not kept: its client keeps sending it in full
        try:
            await remember(
                ctx.services.database, sha256, document.query, settings.graphql_apq_max_documents
            )
        except ServiceUnavailable:  # the answer stands; the client will send it again
            log.warning("graphql.persisted_query_not_stored", request_id=ctx.request_id)
            return
        # Registered or not, it is stored; `False` is only ever read again when it matters.
        self._keep(sha256, Known(document.query, registered=False))

    async def _admitted(self, ctx: RequestContext, sha256: str, query: str) -> None:
        """Refused unless `query` (of hash `sha256`) or its canonical form is registered."""
        if await self._is_registered(ctx, sha256):
            return
        printed = self._canonical_hash(sha256, query)  # parsed only when the text is not
        if printed != sha256 and await self._is_registered(ctx, printed):
            return
        raise _not_allowed(ctx.principal, sha256)

    async def _is_registered(self, ctx: RequestContext, sha256: str) -> bool:
        known = await self._find(ctx, sha256, registered=True)
        return known is not None and known.registered

    def _canonical_hash(self, sha256: str, query: str) -> str:
        """The hash of `query`'s canonical form (its own, if it does not parse), worked out
        once per text (bounded)."""
        printed = self._canonical.get(sha256)
        if printed is None:
            printed = digest(canonical(query) or query)
            self._canonical[sha256] = printed
            while len(self._canonical) > self._size:
                self._canonical.popitem(last=False)
        return printed

    async def _registered(self, ctx: RequestContext, sha256: str) -> Known:
        """The registered document of `sha256`; OPERATION_NOT_ALLOWED if there is none."""
        known = await self._find(ctx, sha256, registered=True)
        if known is None or not known.registered:
            raise _not_allowed(ctx.principal, sha256)
        return known

    async def _find(self, ctx: RequestContext, sha256: str, *, registered: bool) -> Known | None:
        """The document of `sha256`, from the cache when it answers the question (for
        `registered`, only a cached True does)."""
        known = self._cache.get(sha256)
        if known is not None and (known.registered or not registered):
            self._cache.move_to_end(sha256)
            return known
        try:
            known = await find(ctx.reader, sha256)
        except ServiceUnavailable as outage:
            headers = {"Retry-After": str(outage.retry_after)}
            raise Refused(outage.detail, outage.code, 503, headers) from None
        if known is not None:
            self._keep(sha256, known)
        return known

    def _keep(self, sha256: str, known: Known) -> None:
        self._cache[sha256] = known
        self._cache.move_to_end(sha256)
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)

"""The servers the documentation's request blocks run against (tests/test_docs_requests.py).

A lane is one `shopgraph serve --demo` on a fresh database of its own, with the keys, ids
and tokens that the variables of docs/api.md ("Examples that run") name, made for it: the
docs show requests on a shop in a known state, and a block may build on what an earlier
one of its file made, so each file gets servers no other file has touched.
"""

from __future__ import annotations

import gc
import itertools
import os
import uuid
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

import graphql
import httpx

from .conftest import private_database
from .servers import Server, ServerProcess

REDIS_URL = os.environ.get("SHOPGRAPH_TEST_REDIS_URL")
SERVER_ENV = {
    # Docs name webhook hosts such as partner.example, which resolve nowhere.
    "SHOPGRAPH_WEBHOOKS_ALLOW_PRIVATE": "true",
    "SHOPGRAPH_WEBHOOK_DISPATCHER": "off",
}


def _ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, (
        f"setting up: {response.request.method} {response.request.url}: "
        f"{response.status_code} {response.text}"
    )
    return response.json()


def provision(server: Server) -> dict[str, str]:
    """Make what the docs' variables name (docs/api.md, "Examples that run")."""
    base = server.base
    with httpx.Client(base_url=base, headers=server.headers, timeout=60) as admin:
        scopes = ["products:write", "orders:read"]
        key = _ok(admin.post("/v1/api-keys", json={"name": "catalog sync", "scopes": scopes}))
        customer = _ok(admin.get("/v1/customers", params={"limit": 1}))["data"][0]["id"]
        products = _ok(admin.get("/v1/products", params={"limit": 20}))["data"]
        product = next(p["id"] for p in products if p["inventory"]["available"] >= 100)
        token = _ok(admin.post(f"/v1/customers/{customer}/tokens"))["access_token"]
        lines = [{"product_id": product, "quantity": 1}]
        order = _ok(admin.post("/v1/orders", json={"customer_id": customer, "lines": lines}))
        paid = _ok(admin.post(f"/v1/orders/{order['id']}/payments", json={"source": "tok_visa"}))
        events = {"object_id": order["id"], "type": "order.paid"}
        event = _ok(admin.get("/v1/events", params=events))["data"][0]["id"]
        orders = _ok(admin.get("/v1/orders", params={"limit": 20}))["data"]
        other = next(o["id"] for o in orders if o["customer_id"] != customer)
        grant = {"grant_type": "client_credentials", "scope": "orders:read"}
        tokens = _ok(admin.post("/oauth/token", auth=(key["id"], key["key"]), data=grant))
    return {
        "BASE": base,
        "ADMIN_KEY": server.headers["Authorization"].removeprefix("Bearer "),
        "KEY": key["key"],
        "KEY_ID": key["id"],
        "ACCESS": tokens["access_token"],
        "REFRESH": tokens["refresh_token"],
        "CUSTOMER": customer,
        "CUSTOMER_TOKEN": token,
        "PRODUCT": product,
        "ORDER": order["id"],
        "PAYMENT": paid["id"],
        "EVENT": event,
        "OTHER_ORDER": other,
    }


class Lane:
    """One `shopgraph serve --demo` on a fresh database, with the docs' variables."""

    def __init__(self, backend: str, folder: Path, label: str, redis_prefix: str) -> None:
        self.stack = ExitStack()
        self.folder = folder
        try:
            url = self.stack.enter_context(private_database(backend, folder, label))
            env = dict(SERVER_ENV)
            if REDIS_URL:
                env |= {"SHOPGRAPH_REDIS_URL": REDIS_URL, "SHOPGRAPH_REDIS_PREFIX": redis_prefix}
            process = ServerProcess(url, "--demo", env=env, tier="enterprise")
            self.server = process.start()
            self.stack.callback(process.stop)
            self.vars = provision(self.server)
        except BaseException:
            self.stack.close()
            raise
        self.namespace: dict[str, Any] = {"__name__": "__doc__"}
        self._schema: graphql.GraphQLSchema | None = None

    @property
    def base(self) -> str:
        return self.server.base

    def schema(self) -> graphql.GraphQLSchema:
        """The live server's schema, by introspection."""
        if self._schema is None:
            query = graphql.get_introspection_query(descriptions=False)
            answer = httpx.post(
                f"{self.base}/graphql",
                json={"query": query},
                headers=self.server.headers,
                timeout=60,
            )
            body = _ok(answer)
            assert "errors" not in body, body["errors"]
            self._schema = graphql.build_client_schema(body["data"])
        return self._schema

    def close(self) -> None:
        # Python examples leave their clients open, as scripts may: close them here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            for value in self.namespace.values():
                if isinstance(value, httpx.Client):
                    value.close()
            self.namespace.clear()
            gc.collect()
        self.stack.close()


LaneKey = tuple[str, str, str]  # backend, file, lane
AHEAD = 2  # servers started ahead of their file


class Lanes:
    """The lanes open for the file being run, and those started ahead for the next files.

    Starting a server is most of the time a file takes, so while one file runs, the
    servers of the next lanes the session will need start beside it.
    """

    def __init__(self, folder: Path, plan: list[LaneKey]) -> None:
        self.folder = folder
        self.plan = plan  # the lanes the session will need, in order
        self.open: dict[LaneKey, Lane] = {}
        self.starting: dict[LaneKey, Future[Lane]] = {}
        self.starter = ThreadPoolExecutor(max_workers=AHEAD)
        self.redis_prefix = f"shopgraph-docs-{uuid.uuid4().hex[:8]}-"
        self.numbers = itertools.count(1)

    def _start(self, key: LaneKey) -> Lane:
        number = next(self.numbers)  # atomic: lanes start in two threads
        folder = self.folder / f"{number}"
        folder.mkdir()
        # Each server has Redis keys of its own, as a deployment of its own would: ids
        # repeat across the fresh databases (the admin key is `key_…` number 1 in each),
        # and a shared bucket would throttle one file for what the others spent.
        return Lane(key[0], folder, f"docs{number}", f"{self.redis_prefix}{number}:")

    def lane(self, key: LaneKey) -> Lane:
        if key not in self.open:
            started = self.starting.pop(key, None)
            self.open[key] = started.result() if started else self._start(key)
            later = self.plan[self.plan.index(key) + 1 :] if key in self.plan else []
            for upcoming in later[:AHEAD]:
                if upcoming not in self.starting:
                    self.starting[upcoming] = self.starter.submit(self._start, upcoming)
        return self.open[key]

    def close_open(self) -> None:
        lanes, self.open = list(self.open.values()), {}
        for lane in lanes:
            lane.close()

    def close(self) -> None:
        self.close_open()
        self.starter.shutdown(wait=True)
        for started in self.starting.values():
            with suppress(Exception):
                started.result().close()
        if REDIS_URL:
            from redis import Redis

            client = Redis.from_url(REDIS_URL)
            with suppress(Exception):
                keys = list(client.scan_iter(match=f"{self.redis_prefix}*"))
                if keys:
                    client.delete(*keys)
            client.close()
